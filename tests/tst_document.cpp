// SPDX-License-Identifier: MIT
#include "designio.h"
#include "document.h"
#include "edits.h"
#include "evaluate.h"
#include "source.h"
#include "testutil.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

using namespace paramscope;
using ui::Document;

class TestDocument : public QObject {
    Q_OBJECT
private slots:
    void mergedDrag();
    void separateStepsDoNotMerge();
    void undoRedoEdits_data();
    void undoRedoEdits();
    void saveOpenRoundTrip();
    void invalidValueKeepsLastCounts();
    void overflowingExpressionKeepsLastCounts();
    void unlockAndLockDerived();
    void exportTables_data();
    void exportTables();
    void untieSaveReopenHasNoTieNote();
};

namespace {

/// A preset by name (stops the test, naming the problem, when it does not load).
core::Design preset(const char* name)
{
    return test::load(name);
}

core::Count totalOf(const core::Design& d)
{
    auto e = core::evaluate(d);
    return e ? e->total : -1;
}

} // namespace

void TestDocument::mergedDrag()
{
    Document doc;
    QVERIFY(doc.load(preset("gpt2")));
    const core::Count before = doc.evaluation().total;
    doc.beginDrag();
    for (core::Count e : { 816, 864, 960, 1008 })
        doc.pushValue("E", e);
    doc.endDrag();
    QCOMPARE(doc.undoStack()->count(), 1); // merged
    QCOMPARE(doc.design().symbol("E")->value, 1008);
    core::Design expected = preset("gpt2");
    QVERIFY(expected.setValue("E", 1008));
    QCOMPARE(doc.evaluation().total, totalOf(expected));
    doc.undoStack()->undo();
    QCOMPARE(doc.design().symbol("E")->value, 768);
    QCOMPARE(doc.evaluation().total, before);
    doc.undoStack()->redo();
    QCOMPARE(doc.evaluation().total, totalOf(expected));
    QVERIFY(!doc.undoStack()->isClean());

    // A drag that ends where it began leaves no step.
    doc.beginDrag();
    doc.pushValue("L", 13);
    doc.pushValue("L", 12);
    doc.endDrag();
    QCOMPARE(doc.undoStack()->count(), 1);
}

void TestDocument::separateStepsDoNotMerge()
{
    Document doc;
    QVERIFY(doc.load(preset("gpt2")));
    doc.pushValue("L", 13);
    doc.pushValue("L", 14);
    QCOMPARE(doc.undoStack()->count(), 2);
}

void TestDocument::undoRedoEdits_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("edit");
    // edit: 0 rename, 1 add Linear, 2 delete, 3 duplicate, 4 move down, 5 bias off, 6 untie,
    //       7 switch norms, 8 gated MLP, 9 GQA, 10 repeat, 11 shape
    QTest::newRow("rename wte") << "transformer.wte" << 0;
    QTest::newRow("add linear to attn") << "transformer.h.*.attn" << 1;
    QTest::newRow("delete ln_2") << "transformer.h.*.ln_2" << 2;
    QTest::newRow("duplicate mlp") << "transformer.h.*.mlp" << 3;
    QTest::newRow("move ln_1 down") << "transformer.h.*.ln_1" << 4;
    QTest::newRow("bias off ln_f") << "transformer.ln_f" << 5;
    QTest::newRow("untie lm_head") << "lm_head" << 6;
    QTest::newRow("rmsnorm everywhere") << "" << 7;
    QTest::newRow("gated mlp") << "" << 8;
    QTest::newRow("gqa") << "" << 9;
    QTest::newRow("repeat 2*L") << "transformer.h.*" << 10;
    QTest::newRow("c_fc shape") << "transformer.h.*.mlp.c_fc" << 11;
}

void TestDocument::undoRedoEdits()
{
    QFETCH(QString, path);
    QFETCH(int, edit);
    Document doc;
    QVERIFY(doc.load(preset("gpt2")));
    const std::string original = core::designToJson(doc.design());
    const core::Count before = doc.evaluation().total;
    const core::Module* m = doc.design().find(path.toStdString());
    QVERIFY(m);
    const int node = m->index;
    const auto run = [&](core::Design& d) -> core::Status {
        switch (edit) {
        case 0:
            return core::renameModule(d, node, "tokens");
        case 1: {
            auto r = core::addChildModule(d, node, core::ModuleKind::Linear);
            return r ? core::Status(core::Ok {}) : core::Status(r.error());
        }
        case 2:
            return core::removeModule(d, node);
        case 3: {
            auto r = core::duplicateModule(d, node);
            return r ? core::Status(core::Ok {}) : core::Status(r.error());
        }
        case 4: {
            auto r = core::moveModule(d, node, 1);
            return r ? core::Status(core::Ok {}) : core::Status(r.error());
        }
        case 5:
            return core::setBias(d, node, false);
        case 6:
            return core::toggleTie(d, node);
        case 7:
            return core::switchNorm(d, -1);
        case 8:
            return core::switchMlp(d, -1);
        case 9:
            return core::switchAttention(d, -1);
        case 10:
            return core::setExpression(d, node, -1, "2*L");
        case 11:
            return core::setExpression(d, node, 0, "2*E");
        }
        return core::Error { "", "no such edit" };
    };
    core::Design expected = doc.design();
    QVERIFY(run(expected));
    QString error;
    QVERIFY2(doc.applyEdit(QStringLiteral("edit"), run, {}, &error), qPrintable(error));
    QCOMPARE(doc.undoStack()->count(), 1);
    QCOMPARE(doc.evaluation().total, totalOf(expected));
    QCOMPARE(doc.design().nodes().size(), expected.nodes().size());
    const std::string edited = core::designToJson(doc.design());
    if (edit != 0 && edit != 4)
        QVERIFY(doc.evaluation().total != before);
    doc.undoStack()->undo();
    QCOMPARE(core::designToJson(doc.design()), original);
    QCOMPARE(doc.evaluation().total, before);
    doc.undoStack()->redo();
    QCOMPARE(core::designToJson(doc.design()), edited);
}

void TestDocument::saveOpenRoundTrip()
{
    Document doc;
    QVERIFY(doc.load(preset("gpt2")));
    QVERIFY(doc.applyEdit(QStringLiteral("gated"), [](core::Design& d) { return core::switchMlp(d, -1); }));
    doc.pushValue("L", 24);
    QVERIFY(!doc.undoStack()->isClean());
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("edited.json"));
    QString error;
    QVERIFY2(doc.save(file, &error), qPrintable(error));
    QVERIFY(doc.undoStack()->isClean());
    QCOMPARE(doc.filePath(), file);

    auto reopened = core::loadSource(file.toStdString());
    QVERIFY2(reopened, reopened ? "" : reopened.error().text().c_str());
    Document other;
    QVERIFY(other.load(std::move(*reopened), file));
    QCOMPARE(other.evaluation().total, doc.evaluation().total);
    QCOMPARE(core::designToJson(other.design()), core::designToJson(doc.design()));
    QCOMPARE(other.design().symbol("L")->value, 24);
}

void TestDocument::invalidValueKeepsLastCounts()
{
    Document doc;
    QVERIFY(doc.load(preset("gpt2")));
    QSignalSpy errors(&doc, &Document::errorChanged);
    const core::Count before = doc.evaluation().total;
    doc.pushValue("E", 770); // not divisible by H = 12
    QVERIFY(doc.error().has_value());
    QCOMPARE(doc.errorSource(), QStringLiteral("symbol:E"));
    QCOMPARE(doc.evaluation().total, before); // the last valid counts
    QVERIFY(doc.countsValid());
    QVERIFY(errors.count() >= 1);
    doc.pushValue("E", 780);
    QVERIFY(!doc.error().has_value());
    QVERIFY(doc.evaluation().total != before);
}

void TestDocument::overflowingExpressionKeepsLastCounts()
{
    Document doc;
    QVERIFY(doc.load(preset("gpt2")));
    const core::Count before = doc.evaluation().total;
    const int node = doc.design().find("transformer.wte")->index;
    // Parses, but E^9 overflows 64 bits: the edit applies, the counts stay.
    QVERIFY(doc.applyEdit(
        QStringLiteral("shape"), [node](core::Design& d) { return core::setExpression(d, node, 1, "E^9"); },
        QStringLiteral("node:transformer.wte:arg:1")));
    QVERIFY(doc.error().has_value());
    QCOMPARE(doc.evaluation().total, before);
    // One that does not parse is refused and changes nothing.
    QString error;
    QVERIFY(!doc.applyEdit(
        QStringLiteral("bad"), [node](core::Design& d) { return core::setExpression(d, node, 1, "3*E+"); }, {},
        &error));
    QVERIFY(!error.isEmpty());
    QCOMPARE(doc.undoStack()->count(), 1);
    doc.undoStack()->undo();
    QVERIFY(!doc.error().has_value());
}

void TestDocument::unlockAndLockDerived()
{
    Document doc;
    QVERIFY(doc.load(preset("gpt2")));
    QVERIFY(doc.design().symbol("F")->isDerived());
    QVERIFY(doc.applyEdit(QStringLiteral("unlock"), [](core::Design& d) -> core::Status {
        if (auto st = d.setValue("F", 3072); !st)
            return st;
        return d.compile();
    }));
    QVERIFY(!doc.design().symbol("F")->isDerived());
    const core::Count before = doc.evaluation().total;
    doc.pushValue("E", 1536);
    // F stays 3072 now: the MLP grows only linearly in E.
    QCOMPARE(doc.evaluation().symbols[static_cast<std::size_t>(doc.design().symbolIndex("F"))], 3072);
    QVERIFY(doc.evaluation().total > before);
    QVERIFY(doc.originalDefinition("F").has_value());
}

void TestDocument::exportTables_data()
{
    QTest::addColumn<QString>("suffix");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("values"); // the hyperparameters the table was computed with
    // GPT-2 medium's published total (354,823,168) after the drag E 768 -> 1024, H 12 -> 16, L 12 -> 24.
    QTest::newRow("csv") << "csv"
                         << "\ntransformer.wte,2,Embedding,\"Embedding(50257, 1024)\",51463168,"
                         << "# hyperparameters: V=50257  P=1024  E=1024  H=16  L=24  F=4096 (4*E)  D=64 (E/H)\n";
    QTest::newRow("markdown") << "md"
                              << "| Module | Shape | Parameters | Share | Formula |"
                              << "V = 50257 · P = 1024 · E = 1024 · H = 16 · L = 24 · F = 4096 (4\\*E) · D = 64 (E/H)";
    QTest::newRow("latex") << "tex"
                           << "\\toprule"
                           << "V = 50257, P = 1024, E = 1024, H = 16, L = 24, F = 4096 (4*E), D = 64 (E/H)";
    QTest::newRow("json") << "json"
                          << "\"total\": 354823168"
                          << "\"E\": 1024,\n    \"H\": 16,\n    \"L\": 24,";
    QTest::newRow("text") << "txt"
                          << "total: 354,823,168"
                          << "V=50257  P=1024  E=1024  H=16  L=24  F=4096 (4*E)  D=64 (E/H)";
}

void TestDocument::exportTables()
{
    QFETCH(QString, suffix);
    QFETCH(QString, expected);
    QFETCH(QString, values);
    Document doc;
    QVERIFY(doc.load(preset("gpt2")));
    doc.pushValue("H", 16);
    doc.pushValue("E", 1024);
    doc.pushValue("L", 24);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("table.") + suffix);
    QString error;
    QVERIFY2(doc.exportTable(path, &error), qPrintable(error));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(f.readAll());
    QVERIFY2(text.contains(expected), qPrintable(text.left(400)));
    QVERIFY2(text.contains(values), qPrintable(text));
    // The note the table refers to (lm_head's count of 0): its weight is wte's (LaTeX escapes '_').
    QVERIFY2(QString(text)
                 .replace(QStringLiteral("\\_"), QStringLiteral("_"))
                 .contains(QStringLiteral("lm_head shares its weight with transformer.wte")),
        qPrintable(text));

    // An invalid value exports nothing and says why; an unknown suffix is refused.
    doc.pushValue("E", 1000);
    QVERIFY(!doc.exportTable(dir.filePath(QStringLiteral("bad.csv")), &error));
    QVERIFY2(error.contains(QStringLiteral("not divisible")), qPrintable(error));
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("bad.csv"))));
    QVERIFY(!doc.exportTable(dir.filePath(QStringLiteral("table.xls")), &error));
    QVERIFY(error.contains(QStringLiteral(".xls")));
}

void TestDocument::untieSaveReopenHasNoTieNote()
{
    // Issue 8, item 4: Untie LM Head, Save, and the file still said the head shared wte's weight.
    auto tieNotes = [](const core::Design& d) {
        int n = 0;
        for (const core::Note& note : d.allNotes())
            n += note.kind == core::Note::Kind::Tie;
        return n;
    };
    auto toggle = [](core::Design& d) { return core::toggleTie(d, core::findOutputHead(d)); };
    Document doc;
    QVERIFY(doc.load(preset("gpt2")));
    QCOMPARE(tieNotes(doc.design()), 1);
    QVERIFY(doc.applyEdit(QStringLiteral("Untie LM Head"), toggle));
    QCOMPARE(tieNotes(doc.design()), 0);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("untied.json"));
    QString error;
    QVERIFY2(doc.save(path, &error), qPrintable(error));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(!f.readAll().contains("lm_head shares"));
    f.close();
    auto reopened = core::loadSource(path.toStdString());
    QVERIFY(reopened.ok());
    QCOMPARE(tieNotes(*reopened), 0);
    for (const core::Note& n : reopened->allNotes())
        QVERIFY2(n.text.find("lm_head") == std::string::npos, n.text.c_str());

    // Undo ties it again: the note comes back, and saving still stores none.
    doc.undoStack()->undo();
    QCOMPARE(tieNotes(doc.design()), 1);
    QVERIFY2(doc.save(path, &error), qPrintable(error));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(!f.readAll().contains("lm_head shares"));
    auto tied = core::loadSource(path.toStdString());
    QVERIFY(tied.ok());
    QCOMPARE(tieNotes(*tied), 1);
}

QTEST_MAIN(TestDocument)
#include "tst_document.moc"
