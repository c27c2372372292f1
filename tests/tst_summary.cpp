// SPDX-License-Identifier: MIT
// The summary above the tree: notes as core derives and keeps them (no word matching), readable
// and copyable whole however long, and the last valid counts greyed while a value is invalid.
#include "document.h"
#include "edits.h"
#include "source.h"
#include "summarywidget.h"
#include "testutil.h"
#include "theme.h"

#include <QClipboard>
#include <QLabel>
#include <QToolButton>
#include <QUndoStack>
#include <QtTest>

using namespace paramscope;
using ui::Document;
using ui::SummaryWidget;

namespace {

/// A preset by name (stops the test, naming the problem, when it does not load).
core::Design preset(const char* name)
{
    return test::load(name);
}

QStringList allNotes(const core::Design& d)
{
    QStringList out;
    for (const core::Note& n : d.allNotes())
        out << QString::fromStdString(n.text);
    return out;
}

QLabel* label(const SummaryWidget& w, const char* name)
{
    auto* l = w.findChild<QLabel*>(QString::fromLatin1(name));
    if (!l)
        qFatal("no label %s", name);
    return l;
}

} // namespace

class TestSummary : public QObject {
    Q_OBJECT
private slots:
    void notesFollowTheTree()
    {
        Document doc;
        core::Design d = preset("gpt2");
        // A kept note that happens to use the words the summary used to hide notes by.
        d.notes.push_back("the authors' script shares nothing: its tied-weight count is V·E higher");
        QVERIFY(doc.load(std::move(d)));
        SummaryWidget w(&doc);
        QCOMPARE(w.notes(), allNotes(doc.design()));
        QCOMPARE(w.notes().size(), 2);
        QVERIFY(w.notes().contains(
            QStringLiteral("the authors' script shares nothing: its tied-weight count is V·E higher")));
        QVERIFY(w.notes().front().startsWith(QStringLiteral("lm_head shares its weight with transformer.wte")));

        QVERIFY(doc.applyEdit(QStringLiteral("Untie LM Head"),
            [](core::Design& d) { return core::toggleTie(d, core::findOutputHead(d)); }));
        QCOMPARE(w.notes(),
            QStringList { QStringLiteral("the authors' script shares nothing: its tied-weight count is V·E higher") });
        doc.undoStack()->undo();
        QCOMPARE(w.notes().size(), 2);
    }

    void longNotesReadAndCopyWhole()
    {
        Document doc;
        QVERIFY(doc.load(preset("gemma-3-4b")));
        SummaryWidget w(&doc);
        w.resize(600, 300);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QLabel* notes = label(w, "notes");
        auto* more = w.findChild<QToolButton*>(QStringLiteral("moreNotes"));
        QVERIFY(more);
        const QString whole = w.notes().join(QLatin1Char('\n'));
        // At 600 px the list of assumed defaults is cut: one line each, with a way to read it whole.
        QTRY_VERIFY(notes->text() != whole);
        QCOMPARE(notes->text().count(QLatin1Char('\n')) + 1, w.notes().size());
        QVERIFY(more->isVisible());

        QTest::mouseClick(more, Qt::LeftButton);
        QVERIFY(w.notesExpanded());
        QCOMPARE(notes->text(), whole);
        QVERIFY(notes->wordWrap());
        // Whole lines wrap: the label is taller than one line per note.
        QTRY_VERIFY(notes->height() > notes->fontMetrics().lineSpacing() * (w.notes().size() + 1));

        // Selectable by keyboard: select all and copy, as a user would.
        QVERIFY(notes->textInteractionFlags().testFlag(Qt::TextSelectableByKeyboard));
        QVERIFY(notes->textInteractionFlags().testFlag(Qt::TextSelectableByMouse));
        QGuiApplication::clipboard()->clear();
        notes->setFocus();
        QTest::keyClick(notes, Qt::Key_A, Qt::ControlModifier);
        // (Qt gives the selection's line breaks as paragraph separators.)
        QCOMPARE(notes->selectedText().replace(QChar::ParagraphSeparator, QLatin1Char('\n')), whole);
        QTest::keyClick(notes, Qt::Key_C, Qt::ControlModifier);
        QCOMPARE(QGuiApplication::clipboard()->text(), whole);

        // Folded back, "Copy All Notes" still copies them whole, not as elided.
        QTest::mouseClick(more, Qt::LeftButton);
        QVERIFY(!w.notesExpanded());
        QVERIFY(notes->text() != whole);
        QGuiApplication::clipboard()->clear();
        auto* copy = w.findChild<QAction*>(QStringLiteral("copyNotes"));
        QVERIFY(copy);
        copy->trigger();
        QCOMPARE(QGuiApplication::clipboard()->text(), whole);
        QGuiApplication::clipboard()->clear();
        QTest::keyClick(&w, Qt::Key_C, Qt::ControlModifier | Qt::ShiftModifier); // its shortcut
        QCOMPARE(QGuiApplication::clipboard()->text(), whole);
    }

    void shortNotesNeedNoButton()
    {
        Document doc;
        QVERIFY(doc.load(preset("gpt2")));
        SummaryWidget w(&doc);
        w.resize(1600, 300);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QTRY_COMPARE(label(w, "notes")->text(), w.notes().join(QLatin1Char('\n')));
        QVERIFY(!w.findChild<QToolButton*>(QStringLiteral("moreNotes"))->isVisible());
    }

    void totalGreyedWhileInvalid()
    {
        Document doc;
        QVERIFY(doc.load(preset("gpt2")));
        SummaryWidget w(&doc);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QLabel* total = label(w, "total");
        const QColor normal = total->palette().color(QPalette::WindowText);
        const QColor grey = ui::dimmedText(w.palette());
        QVERIFY(normal != grey);
        QVERIFY(!w.countsGreyed());

        doc.pushValue("E", 1000); // not divisible by H = 12
        QVERIFY(doc.error().has_value());
        QVERIFY(w.countsGreyed());
        QCOMPARE(total->text(), QStringLiteral("124,439,808")); // the last valid total, kept
        QCOMPARE(total->palette().color(QPalette::WindowText), grey);
        QVERIFY(!w.errorText().isEmpty());

        // The message follows the zoom (a style sheet once kept it at the system size).
        QLabel* error = label(w, "summaryError");
        QFont zoomed = w.font();
        zoomed.setPointSizeF(zoomed.pointSizeF() * 1.75);
        w.setFont(zoomed);
        QCOMPARE(error->font().pointSizeF(), zoomed.pointSizeF());
        QVERIFY(error->font().bold());
        QCOMPARE(error->palette().color(QPalette::WindowText), ui::errorColor(w.palette()));

        doc.pushValue("E", 1536);
        QVERIFY(!w.countsGreyed());
        QCOMPARE(total->palette().color(QPalette::WindowText), normal);
    }
};

QTEST_MAIN(TestSummary)
#include "tst_summary.moc"
