// SPDX-License-Identifier: MIT
// The lecture tools driven through the real MainWindow, offscreen, as sequences: select a module,
// step a slider, see the derivation follow; F5 into presentation mode, arrows to the attention
// (GPT-2) or the vision tower (Gemma 3), Esc out; compare with GPT-2 medium and move a slider;
// click the diagram. Expected numbers are derived by hand in the test.
#include "architecturemodel.h"
#include "comparewidget.h"
#include "derivationpane.h"
#include "diagramwidget.h"
#include "document.h"
#include "hyperparameterpanel.h"
#include "lecturetools.h"
#include "mainwindow.h"
#include "presentationwindow.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDockWidget>
#include <QLabel>
#include <QSlider>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTreeView>
#include <QtTest>

using namespace paramscope;
using core::Count;
using ui::MainWindow;

namespace {

QString grouped(Count n)
{
    return QLocale(QLocale::English).toString(qlonglong(n));
}

constexpr Count gpt2(Count V, Count P, Count E, Count L)
{
    return V * E + P * E + L * (12 * E * E + 13 * E) + 2 * E;
}

int nodeOf(const MainWindow& w, const char* path)
{
    const core::Module* m = w.document()->design().find(path);
    return m ? m->index : -1;
}

int currentNode(const MainWindow& w)
{
    const core::Module* m = w.model()->moduleFromIndex(w.treeView()->currentIndex());
    return m ? m->index : -1;
}

} // namespace

class TestLecture : public QObject {
    Q_OBJECT

private slots:
    void emptyWindow()
    {
        // Regression (found by the monkey): a window with no design yet, its tree focused (which
        // makes the root current), crashed the derivation pane.
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.action(QStringLiteral("showDerivation"))->trigger();
        w.treeView()->setFocus();
        QApplication::processEvents();
        QVERIFY(!w.lectureTools()->derivationPane()->derivation());
        w.lectureTools()->setPresenting(true);
        QVERIFY(w.lectureTools()->presentation());
        QTest::keyClick(w.lectureTools()->presentation()->tree(), Qt::Key_Right);
        w.lectureTools()->setPresenting(false);
    }

    void derivationFollowsSelectionAndSlider()
    {
        MainWindow w;
        QVERIFY(w.openSource(QStringLiteral("gpt2"), nullptr, false));
        w.resize(1440, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        ui::LectureTools* tools = w.lectureTools();
        // View ▸ Derivation shows the pane.
        w.action(QStringLiteral("showDerivation"))->trigger();
        QTRY_VERIFY(tools->derivationPane()->isVisible());

        // By layer index, as paramscope-cli explain takes it.
        QVERIFY(w.selectPath(QStringLiteral("transformer.h.5.attn")));
        QCOMPARE(currentNode(w), nodeOf(w, "transformer.h.*.attn"));
        QVERIFY(!w.selectPath(QStringLiteral("transformer.h.12.attn")));
        QVERIFY2(tools->derivationPane()->plainText().contains(QStringLiteral("4E² + 4E = 4·768² + 4·768 = 2,362,368")),
            qPrintable(tools->derivationPane()->plainText()));
        QVERIFY(tools->derivationPane()->plainText().contains(
            QStringLiteral("c_attn + c_proj = 1,771,776 + 590,592 = 2,362,368")));

        // Select the block, then step L's slider: the copies line follows.
        QVERIFY(w.selectPath(QStringLiteral("transformer.h.*")));
        QVERIFY(tools->derivationPane()->plainText().contains(
            QStringLiteral("L × 7,087,872 = 12 × 7,087,872 = 85,054,464")));
        QSlider* slider = w.hyperparameterPanel()->slider(QStringLiteral("L"));
        QVERIFY(slider);
        QTest::keyClick(slider, Qt::Key_Right);
        const Count L = w.document()->design().symbol("L")->value;
        QVERIFY(L > 12);
        const QString copies = QStringLiteral("L × 7,087,872 = %1 × 7,087,872 = %2").arg(L).arg(grouped(L * 7087872));
        QTRY_VERIFY2(
            tools->derivationPane()->plainText().contains(copies), qPrintable(tools->derivationPane()->plainText()));

        // Copy as text, Markdown, LaTeX.
        tools->derivationPane()->copyLatex();
        QVERIFY2(QApplication::clipboard()->text().contains(QStringLiteral("\\times 7{,}087{,}872")),
            qPrintable(QApplication::clipboard()->text()));
        tools->derivationPane()->copyMarkdown();
        QVERIFY(QApplication::clipboard()->text().contains(QStringLiteral("- copies: `L × 7,087,872")));

        // An invalid value: the pane says why instead of showing a wrong number; a valid one brings it back.
        QVERIFY(w.applySetting(QStringLiteral("E=1000")));
        QVERIFY2(tools->derivationPane()->plainText().startsWith(QStringLiteral("No counts for these values")),
            qPrintable(tools->derivationPane()->plainText()));
        QVERIFY(!tools->derivationPane()->derivation());
        QVERIFY(w.applySetting(QStringLiteral("E=1024")));
        QVERIFY(w.applySetting(QStringLiteral("H=16")));
        QVERIFY(tools->derivationPane()->plainText().contains(
            QStringLiteral("12E² + 13E = 12·1024² + 13·1024 = %1").arg(grouped(12 * 1024 * 1024 + 13 * 1024))));
    }

    void presentationStepsToTheAttention()
    {
        MainWindow w;
        QVERIFY(w.openSource(QStringLiteral("gpt2"), nullptr, false));
        w.resize(1440, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(w.selectPath(QString())); // the root
        QCOMPARE(currentNode(w), 0);
        QTest::keyClick(w.treeView(), Qt::Key_F5);
        ui::PresentationWindow* p = w.lectureTools()->presentation();
        QVERIFY(p);
        QTRY_VERIFY(p->isVisible());
        QVERIFY(p->isFullScreen());
        QVERIFY(w.action(QStringLiteral("presentation"))->isChecked());
        QVERIFY(p->totalLabel()->text().contains(QStringLiteral("124,439,808")));
        // In tree order: GPT2LMHeadModel, transformer, wte, wpe, h, 0-11, ln_1, attn.
        const int attn = nodeOf(w, "transformer.h.*.attn");
        QCOMPARE(attn, 7);
        for (int i = 0; i < 7; ++i)
            QTest::keyClick(p->tree(), Qt::Key_Right);
        QCOMPARE(p->currentNode(), attn);
        QCOMPARE(currentNode(w), attn); // one selection for both windows
        QVERIFY2(p->derivationPane()->plainText().contains(QStringLiteral("4E² + 4E = 4·768² + 4·768 = 2,362,368")),
            qPrintable(p->derivationPane()->plainText()));
        QCOMPARE(p->diagram()->selected(), attn);
        // Left steps back; the first and last steps stop at the ends.
        QTest::keyClick(p->tree(), Qt::Key_Left);
        QCOMPARE(p->currentNode(), nodeOf(w, "transformer.h.*.ln_1"));
        QTest::keyClick(p->tree(), Qt::Key_Home);
        QCOMPARE(p->currentNode(), 0);
        QTest::keyClick(p->tree(), Qt::Key_Left);
        QCOMPARE(p->currentNode(), 0);
        // A slider step while presenting: the total follows (L = 24 by hand).
        QVERIFY(w.applySetting(QStringLiteral("L=24")));
        QVERIFY2(
            p->totalLabel()->text().contains(grouped(gpt2(50257, 1024, 768, 24))), qPrintable(p->totalLabel()->text()));
        // Esc leaves; the window is back and the selection kept.
        QTest::keyClick(p->tree(), Qt::Key_Escape);
        QTRY_VERIFY(!w.lectureTools()->isPresenting());
        QVERIFY(!w.action(QStringLiteral("presentation"))->isChecked());
        QCOMPARE(currentNode(w), 0);
    }

    void presentationOnTheVisionTower()
    {
        MainWindow w;
        QVERIFY(w.openSource(QStringLiteral("gemma-3-4b"), nullptr, false));
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(w.selectPath(QString()));
        w.action(QStringLiteral("presentation"))->trigger();
        ui::PresentationWindow* p = w.lectureTools()->presentation();
        QVERIFY(p);
        // Gemma3ForConditionalGeneration, model, vision_tower.
        QTest::keyClick(p->tree(), Qt::Key_Right);
        QTest::keyClick(p->tree(), Qt::Key_Right);
        QCOMPARE(p->currentNode(), nodeOf(w, "model.vision_tower"));
        QVERIFY2(p->derivationPane()->plainText().startsWith(QStringLiteral("model.vision_tower")),
            qPrintable(p->derivationPane()->plainText()));
        QVERIFY(p->diagram()->nodeRect(p->currentNode()).isValid());
        // F5 leaves too.
        QTest::keyClick(p->tree(), Qt::Key_F5);
        QTRY_VERIFY(!w.lectureTools()->isPresenting());
    }

    void compareWithMedium()
    {
        MainWindow w;
        QVERIFY(w.openSource(QStringLiteral("gpt2"), nullptr, false));
        w.show();
        ui::LectureTools* tools = w.lectureTools();
        QString error;
        QVERIFY(!tools->compareWith(QStringLiteral("no-such-model"), &error));
        QVERIFY(error.contains(QStringLiteral("no-such-model")));
        QVERIFY(tools->compareWith(QStringLiteral("gpt2-medium"), &error));
        QTRY_VERIFY(tools->compareDock()->isVisible());
        QVERIFY(tools->compare()->comparison());
        QCOMPARE(tools->compare()->comparison()->total.difference(), Count(230383360));
        // A is live: at L = 24 the small model trails the medium one by the width alone.
        QVERIFY(w.applySetting(QStringLiteral("L=24")));
        QCOMPARE(tools->compare()->comparison()->total.difference(),
            gpt2(50257, 1024, 1024, 24) - gpt2(50257, 1024, 768, 24));
        // A module row selects that module in the tree.
        emit tools->compare()->pathActivated(QStringLiteral("transformer.h.*.mlp"));
        QCOMPARE(currentNode(w), nodeOf(w, "transformer.h.*.mlp"));
    }

    void diagramTabSelectsAndExports()
    {
        MainWindow w;
        QVERIFY(w.openSource(QStringLiteral("mixtral-8x7b"), nullptr, false));
        w.resize(1440, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.action(QStringLiteral("showDiagram"))->trigger();
        ui::DiagramWidget* d = w.lectureTools()->diagram();
        QCOMPARE(w.tabs()->currentWidget(), d);
        QTRY_VERIFY(d->isVisible());
        const int moe = nodeOf(w, "model.layers.*.block_sparse_moe");
        const QRect r = d->nodeRect(moe);
        QVERIFY(r.isValid());
        QTest::mouseClick(d, Qt::LeftButton, {}, QPoint(r.left() + 4, r.top() + 4));
        QCOMPARE(currentNode(w), moe);
        QCOMPARE(d->selected(), moe);
        QTemporaryDir dir;
        QString error;
        QVERIFY2(
            w.lectureTools()->exportDiagram(dir.filePath(QStringLiteral("mixtral.pdf")), &error), qPrintable(error));
        QVERIFY(QFileInfo(dir.filePath(QStringLiteral("mixtral.pdf"))).size() > 1000);
    }
};

QTEST_MAIN(TestLecture)
#include "tst_lecture.moc"
