// SPDX-License-Identifier: MIT
#include "architecturemodel.h"
#include "document.h"
#include "edits.h"
#include "report.h"
#include "source.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>
#include <QUndoStack>

using namespace paramscope;
using ui::ArchitectureModel;
using ui::Document;

class TestArchitectureModel : public QObject {
    Q_OBJECT
private slots:
    void tester_data();
    void tester();
    void valuesEmitDataChangedOnly();
    void structuralEditKeepsPersistentIndexes();
    void treeText();
    void renameKeepsPersistentIndexes();
    void compactCount_data();
    void compactCount();
    void formulaTooLargeSaysWhy();
};

namespace {

core::Design preset(const QString& name)
{
    auto d = core::loadSource(name.toStdString());
    if (!d)
        qFatal("%s", d.error().text().c_str());
    return std::move(*d);
}

/// The tree as indented lines of "label | shape | parameters".
QStringList printTree(const QAbstractItemModel& model, const QModelIndex& parent = {}, int depth = 0)
{
    QStringList lines;
    for (int r = 0; r < model.rowCount(parent); ++r) {
        const QModelIndex i = model.index(r, 0, parent);
        lines << QString(depth * 2, QLatin1Char(' ')) + i.data().toString() + QStringLiteral(" | ")
                + i.siblingAtColumn(ArchitectureModel::ShapeColumn).data().toString() + QStringLiteral(" | ")
                + i.siblingAtColumn(ArchitectureModel::ParametersColumn).data().toString();
        lines << printTree(model, i, depth + 1);
    }
    return lines;
}

} // namespace

void TestArchitectureModel::tester_data()
{
    QTest::addColumn<QString>("source");
    for (const char* p : { "gpt2", "gpt2-xl", "gemma-3-4b", "deepseek-v3" })
        QTest::newRow(p) << QString::fromLatin1(p);
}

void TestArchitectureModel::tester()
{
    QFETCH(QString, source);
    auto design = core::loadSource(source.toStdString());
    if (!design)
        QSKIP("preset not available");
    Document doc;
    ArchitectureModel model(&doc);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(doc.load(std::move(*design)));
    QCOMPARE(model.rowCount(), 1);
    doc.pushValue("L", 3);
    doc.pushValue("E", doc.design().symbol("E")->value * 2);
    // Structural edits, their undo and redo.
    const int leafNode = static_cast<int>(doc.design().nodes().size()) - 1;
    QVERIFY(doc.applyEdit(QStringLiteral("dup"), [leafNode](core::Design& d) -> core::Status {
        auto r = core::duplicateModule(d, leafNode);
        return r ? core::Status(core::Ok {}) : core::Status(r.error());
    }));
    QVERIFY(doc.applyEdit(QStringLiteral("norms"), [](core::Design& d) { return core::switchNorm(d, -1); }));
    QVERIFY(doc.applyEdit(QStringLiteral("del"), [](core::Design& d) { return core::removeModule(d, 1); }));
    while (doc.undoStack()->canUndo())
        doc.undoStack()->undo();
    while (doc.undoStack()->canRedo())
        doc.undoStack()->redo();
    QVERIFY(doc.load(preset(QStringLiteral("gpt2"))));
}

void TestArchitectureModel::valuesEmitDataChangedOnly()
{
    Document doc;
    ArchitectureModel model(&doc);
    QVERIFY(doc.load(preset(QStringLiteral("gpt2"))));
    const QModelIndex root = model.index(0, 0);
    const QModelIndex transformer = model.index(0, 0, root);
    const QPersistentModelIndex wte = model.index(0, ArchitectureModel::ParametersColumn, transformer);
    QCOMPARE(wte.data().toString(), QStringLiteral("38,597,376"));
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy layout(&model, &QAbstractItemModel::layoutChanged);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    doc.pushValue("E", 1032);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(layout.count(), 0);
    QVERIFY(changed.count() > 0);
    QVERIFY(wte.isValid());
    QCOMPARE(wte.data().toString(), QString::fromStdString(core::groupDigits(50257LL * 1032)));
    QCOMPARE(wte.data(ArchitectureModel::CountRole).toLongLong(), 50257LL * 1032);
    // The repeated block's label and shape follow L.
    doc.pushValue("L", 24);
    const QModelIndex h = model.index(2, 0, transformer);
    QCOMPARE(model.index(0, 0, h).data().toString(), QStringLiteral("0–23"));
    QCOMPARE(model.index(0, ArchitectureModel::ShapeColumn, h).data().toString(), QStringLiteral("24 × GPT2Block"));
    QCOMPARE(reset.count(), 0);
}

void TestArchitectureModel::structuralEditKeepsPersistentIndexes()
{
    Document doc;
    ArchitectureModel model(&doc);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(doc.load(preset(QStringLiteral("gpt2"))));
    const QPersistentModelIndex ln2 = model.indexOfNode(doc.design().find("transformer.h.*.ln_2")->index);
    const QPersistentModelIndex ln1 = model.indexOfNode(doc.design().find("transformer.h.*.ln_1")->index);
    QCOMPARE(ln2.data().toString(), QStringLiteral("ln_2"));
    QCOMPARE(ln2.row(), 2);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    const int node = doc.design().find("transformer.h.*.ln_1")->index;
    QVERIFY(doc.applyEdit(QStringLiteral("del"), [node](core::Design& d) { return core::removeModule(d, node); }));
    QCOMPARE(reset.count(), 0);
    QVERIFY(ln2.isValid());
    QCOMPARE(ln2.data().toString(), QStringLiteral("ln_2"));
    QCOMPARE(ln2.row(), 1);
    QVERIFY(!ln1.isValid());
    doc.undoStack()->undo();
    QCOMPARE(ln2.row(), 2);
}

void TestArchitectureModel::treeText()
{
    Document doc;
    ArchitectureModel model(&doc);
    QVERIFY(doc.load(preset(QStringLiteral("gpt2"))));
    const QStringList expected {
        QStringLiteral("GPT2LMHeadModel | GPT2LMHeadModel | 124,439,808"),
        QStringLiteral("  transformer | GPT2Model | 124,439,808"),
        QStringLiteral("    wte | Embedding(50257, 768) | 38,597,376"),
        QStringLiteral("    wpe | Embedding(1024, 768) | 786,432"),
        QStringLiteral("    h | ModuleList | 85,054,464"),
        QStringLiteral("      0–11 | 12 × GPT2Block | 85,054,464"),
        QStringLiteral("        ln_1 | LayerNorm(768, bias) | 1,536"),
        QStringLiteral("        attn | GPT2Attention | 2,362,368"),
        QStringLiteral("          c_attn | Conv1D(2304, 768) | 1,771,776"),
        QStringLiteral("          c_proj | Conv1D(768, 768) | 590,592"),
        QStringLiteral("        ln_2 | LayerNorm(768, bias) | 1,536"),
        QStringLiteral("        mlp | GPT2MLP | 4,722,432"),
        QStringLiteral("          c_fc | Conv1D(3072, 768) | 2,362,368"),
        QStringLiteral("          c_proj | Conv1D(768, 3072) | 2,360,064"),
        QStringLiteral("    ln_f | LayerNorm(768, bias) | 1,536"),
        QStringLiteral("  lm_head | Linear(768, 50257) | 0"),
    };
    QCOMPARE(printTree(model), expected);
    const QModelIndex root = model.index(0, ArchitectureModel::FormulaColumn);
    QCOMPARE(root.data().toString(), QStringLiteral("VE + PE + L(12E² + 13E) + 2E"));
    QCOMPARE(model.index(0, ArchitectureModel::ShareColumn).data().toString(), QStringLiteral("100.00 %"));
}

void TestArchitectureModel::renameKeepsPersistentIndexes()
{
    // A renamed module (and what is under it) keeps its persistent indexes: the tree's selection
    // and expansion stay on it (F2, Enter, then Ctrl+B acts on the renamed module).
    Document doc;
    QVERIFY(doc.load(preset(QStringLiteral("gpt2"))));
    ArchitectureModel model(&doc);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const core::Design& d = doc.design();
    const QPersistentModelIndex attn = model.indexOfNode(d.find("transformer.h.*.attn")->index);
    const QPersistentModelIndex cAttn = model.indexOfNode(d.find("transformer.h.*.attn.c_attn")->index);
    QVERIFY(model.setData(attn, QStringLiteral("self_attn")));
    QVERIFY(attn.isValid() && cAttn.isValid());
    QCOMPARE(attn.data().toString(), QStringLiteral("self_attn"));
    QCOMPARE(cAttn.data().toString(), QStringLiteral("c_attn"));
    QCOMPARE(cAttn.parent(), QModelIndex(attn));
    doc.undoStack()->undo();
    QCOMPARE(attn.data().toString(), QStringLiteral("attn"));
}

void TestArchitectureModel::compactCount_data()
{
    QTest::addColumn<qlonglong>("count");
    QTest::addColumn<QString>("compact");
    QTest::newRow("small") << 1536LL << QStringLiteral("1,536");
    QTest::newRow("GPT-2 small") << 124439808LL << QStringLiteral("124.44M");
    QTest::newRow("rounds up to B") << 999995000LL << QStringLiteral("1.00B");
    QTest::newRow("DeepSeek-V3") << 671026419200LL << QStringLiteral("671.03B");
    QTest::newRow("T") << 999990000000000LL << QStringLiteral("999.99T");
    // The issue's "9153408.00T": past T, a power of ten.
    QTest::newRow("10^15") << 1000000000000000LL << QStringLiteral("1.00 × 10¹⁵");
    QTest::newRow("rounds to 10^15") << 999995000000000LL << QStringLiteral("1.00 × 10¹⁵");
    QTest::newRow("issue") << 9153408000000000000LL << QStringLiteral("9.15 × 10¹⁸");
    QTest::newRow("2^63-1") << 9223372036854775807LL << QStringLiteral("9.22 × 10¹⁸");
    QTest::newRow("negative") << -9153408000000000000LL << QStringLiteral("-9.15 × 10¹⁸");
    QTest::newRow("10^16") << 12345678901234567LL << QStringLiteral("1.23 × 10¹⁶");
}

void TestArchitectureModel::compactCount()
{
    QFETCH(qlonglong, count);
    QFETCH(QString, compact);
    QCOMPARE(QString::fromStdString(core::compactCount(count)), compact);
}

void TestArchitectureModel::formulaTooLargeSaysWhy()
{
    // (A+…+F)^16 has C(21, 5) = 20,349 terms: more than a formula shows. The count still comes:
    // with every symbol 1 it is 6^16 = 2,821,109,907,456.
    auto d = core::loadText(R"J({"format": "paramscope-design", "version": 1, "name": "t", "hyperparameters": [
        {"name": "A", "value": 1}, {"name": "B", "value": 1}, {"name": "C", "value": 1},
        {"name": "D", "value": 1}, {"name": "E", "value": 1}, {"name": "F", "value": 1}],
        "tree": {"module": "M", "children": [{"name": "w", "module": "Parameter",
          "args": {"shape": ["(A+B+C+D+E+F)^16"]}}]}})J",
        "test");
    QVERIFY(d);
    Document doc;
    ArchitectureModel model(&doc);
    QVERIFY(doc.load(std::move(*d)));
    const QModelIndex w = model.index(0, 0, model.index(0, 0));
    QCOMPARE(
        w.siblingAtColumn(ArchitectureModel::ParametersColumn).data().toString(), QStringLiteral("2,821,109,907,456"));
    const QString formula = w.siblingAtColumn(ArchitectureModel::FormulaColumn).data().toString();
    QVERIFY2(formula.contains(QStringLiteral("too large")), qPrintable(formula));
    QVERIFY(w.siblingAtColumn(ArchitectureModel::FormulaColumn)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("more than 1000 terms")));
}

QTEST_MAIN(TestArchitectureModel)
#include "tst_architecturemodel.moc"
