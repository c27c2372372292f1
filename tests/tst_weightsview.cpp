// SPDX-License-Identifier: MIT
// The app's side of verifying against weights: the tree's Stored column and ✓/✗, the summary's
// explanation, File ▸ Open Local Model's list of the Hugging Face cache, and a model folder opened
// with its weights attached. Checkpoints are written here (sparse files).
#include "architecturemodel.h"
#include "document.h"
#include "localmodels.h"
#include "mainwindow.h"
#include "summarywidget.h"
#include "weightsactions.h"
#include "weightscheck.h"
#include "weightsfiles.h"

#include "source.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

using namespace paramscope;
using namespace paramscope::test;
using ui::ArchitectureModel;
using ui::Document;
using ui::WeightsCheck;

namespace {

/// GPT-2 small's tensors as its checkpoint lists them (see tst_weights.cpp), optionally without one.
std::vector<TensorSpec> gpt2Tensors(const std::string& without = {})
{
    std::vector<TensorSpec> t { { "wte.weight", "F32", { 50257, 768 } }, { "wpe.weight", "F32", { 1024, 768 } } };
    for (int l = 0; l < 12; ++l) {
        const std::string h = "h." + std::to_string(l) + ".";
        for (const TensorSpec& s : std::vector<TensorSpec> { { h + "ln_1.weight", "F32", { 768 } },
                 { h + "ln_1.bias", "F32", { 768 } }, { h + "attn.bias", "F32", { 1, 1, 1024, 1024 } },
                 { h + "attn.c_attn.weight", "F32", { 768, 2304 } }, { h + "attn.c_attn.bias", "F32", { 2304 } },
                 { h + "attn.c_proj.weight", "F32", { 768, 768 } }, { h + "attn.c_proj.bias", "F32", { 768 } },
                 { h + "ln_2.weight", "F32", { 768 } }, { h + "ln_2.bias", "F32", { 768 } },
                 { h + "mlp.c_fc.weight", "F32", { 768, 3072 } }, { h + "mlp.c_fc.bias", "F32", { 3072 } },
                 { h + "mlp.c_proj.weight", "F32", { 3072, 768 } }, { h + "mlp.c_proj.bias", "F32", { 768 } } })
            if (s.name != without)
                t.push_back(s);
    }
    t.push_back({ "ln_f.weight", "F32", { 768 } });
    t.push_back({ "ln_f.bias", "F32", { 768 } });
    return t;
}

const char* kGpt2Config = R"({"architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "vocab_size": 50257,
  "n_positions": 1024, "n_embd": 768, "n_head": 12, "n_layer": 12})";

bool writeText(const QString& path, const char* text)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(text) > 0;
}

core::Design load(const std::string& source)
{
    auto d = core::loadSource(source);
    if (!d)
        qFatal("%s", d.error().text().c_str());
    return std::move(*d);
}

} // namespace

class TestWeightsView : public QObject {
    Q_OBJECT
private slots:
    void storedColumn()
    {
        QTemporaryDir dir;
        const QString good = dir.filePath(QStringLiteral("good.safetensors"));
        QVERIFY(writeSafetensors(good, gpt2Tensors()));
        const QString missing = dir.filePath(QStringLiteral("missing.safetensors"));
        QVERIFY(writeSafetensors(missing, gpt2Tensors("h.4.mlp.c_fc.bias")));

        Document doc;
        QVERIFY(doc.load(load("gpt2")));
        ArchitectureModel model(&doc);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        WeightsCheck check(&doc);
        model.setWeightsCheck(&check);
        QCOMPARE(model.columnCount(), int(ArchitectureModel::ColumnCount));

        QSignalSpy inserted(&model, &QAbstractItemModel::columnsInserted);
        QString error;
        QVERIFY2(check.attach(good, &error), qPrintable(error));
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(model.columnCount(), int(ArchitectureModel::ColumnCount) + 1);
        const QModelIndex root = model.index(0, ArchitectureModel::StoredColumn);
        QCOMPARE(root.data().toString(), QStringLiteral("✓ 124,439,808"));
        QCOMPARE(
            model.headerData(ArchitectureModel::StoredColumn, Qt::Horizontal).toString(), QStringLiteral("Stored"));
        // Inside the repeated block: one copy's count, as the Parameters column shows it
        // (c_attn 768·2304 + 2304).
        const core::Module* cAttn = doc.design().find("transformer.h.*.attn.c_attn");
        QVERIFY(cAttn);
        const QModelIndex c = model.indexOfNode(cAttn->index, ArchitectureModel::StoredColumn);
        QCOMPARE(c.data().toString(), QStringLiteral("✓ 1,771,776"));

        // A slider step rechecks: at E = 1536 nothing fits any more; at E = 1000 (not divisible
        // by H) nothing is checked.
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        doc.pushValue("E", 1536);
        QVERIFY(changed.count() > 0);
        QVERIFY2(root.data().toString().startsWith(QStringLiteral("✗")), qPrintable(root.data().toString()));
        doc.undoStack()->undo();
        doc.pushValue("E", 1000);
        QVERIFY(doc.error());
        QCOMPARE(root.data().toString(), QStringLiteral("—"));
        doc.undoStack()->undo();
        QCOMPARE(root.data().toString(), QStringLiteral("✓ 124,439,808"));

        // A file with one bias missing: its module and those above are ✗, the others ✓; inside
        // the block the sum over all twelve copies is shown (one of them lacks the bias).
        QVERIFY(check.attach(missing, &error));
        QCOMPARE(model.columnCount(), int(ArchitectureModel::ColumnCount) + 1);
        const core::Module* fc = doc.design().find("transformer.h.*.mlp.c_fc");
        QCOMPARE(model.indexOfNode(fc->index, ArchitectureModel::StoredColumn).data().toString(),
            QStringLiteral("✗ 28,345,344 in 12 copies")); // 12 · (768·3072 + 3072) − 3072
        QVERIFY(model.indexOfNode(cAttn->index, ArchitectureModel::StoredColumn)
                    .data()
                    .toString()
                    .startsWith(QStringLiteral("✓")));
        QVERIFY(root.data().toString().startsWith(QStringLiteral("✗")));
        QVERIFY(model.indexOfNode(fc->index, ArchitectureModel::StoredColumn)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("h.4.mlp.c_fc.bias")));

        // A new design detaches the weights: the column goes.
        QSignalSpy removed(&model, &QAbstractItemModel::columnsRemoved);
        QVERIFY(doc.load(load("llama-3-8b")));
        QCOMPARE(removed.count(), 1);
        QVERIFY(!check.isAttached());
        QCOMPARE(model.columnCount(), int(ArchitectureModel::ColumnCount));
    }

    void unreadableWeights()
    {
        QTemporaryDir dir;
        Document doc;
        QVERIFY(doc.load(load("gpt2")));
        WeightsCheck check(&doc);
        QString error;
        QVERIFY(!check.attach(dir.filePath(QStringLiteral("none.safetensors")), &error));
        QVERIFY2(error.contains(QStringLiteral("no such file")), qPrintable(error));
        QVERIFY(!check.isAttached());
    }

    void localModels()
    {
        QTemporaryDir hub;
        const QDir root(hub.path());
        // gpt2: two snapshots, refs/main names the older one, which has its weights.
        const QString repo = QStringLiteral("models--openai-community--gpt2");
        QVERIFY(root.mkpath(repo + QStringLiteral("/snapshots/aaa")));
        QVERIFY(root.mkpath(repo + QStringLiteral("/snapshots/bbb")));
        QVERIFY(root.mkpath(repo + QStringLiteral("/refs")));
        QVERIFY(writeText(root.filePath(repo + QStringLiteral("/refs/main")), "aaa\n"));
        QVERIFY(writeText(root.filePath(repo + QStringLiteral("/snapshots/aaa/config.json")), kGpt2Config));
        QVERIFY(writeText(root.filePath(repo + QStringLiteral("/snapshots/bbb/config.json")), kGpt2Config));
        QVERIFY(
            writeSafetensors(root.filePath(repo + QStringLiteral("/snapshots/aaa/model.safetensors")), gpt2Tensors()));
        // A config without weights, and a download with no config yet (not listed).
        QVERIFY(root.mkpath(QStringLiteral("models--org--config-only/snapshots/ccc")));
        QVERIFY(writeText(
            root.filePath(QStringLiteral("models--org--config-only/snapshots/ccc/config.json")), kGpt2Config));
        QVERIFY(root.mkpath(QStringLiteral("models--org--partial/snapshots/ddd")));
        QVERIFY(root.mkpath(QStringLiteral("datasets--org--data/snapshots/eee")));

        const auto models = ui::localModels(hub.path());
        QCOMPARE(models.size(), 2);
        QCOMPARE(models[0].id, QStringLiteral("openai-community/gpt2"));
        QCOMPARE(models[0].revision, QStringLiteral("aaa"));
        QVERIFY(models[0].hasWeights);
        QCOMPARE(models[1].id, QStringLiteral("org/config-only"));
        QVERIFY(!models[1].hasWeights);

        qputenv("HF_HUB_CACHE", "");
        qputenv("HF_HOME", QFile::encodeName(QStringLiteral("/somewhere/hf")));
        QCOMPARE(ui::huggingFaceHub(), QStringLiteral("/somewhere/hf/hub"));
        qputenv("HF_HUB_CACHE", QFile::encodeName(hub.path()));
        QCOMPARE(ui::huggingFaceHub(), hub.path());

        // Opened with its weights attached: the design is named by its id, the summary says ✓.
        ui::MainWindow window;
        QString error;
        QVERIFY2(ui::openModelFolder(&window, window.weightsCheck(), models[0].folder, &error), qPrintable(error));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(QString::fromStdString(window.document()->design().name), QStringLiteral("openai-community/gpt2"));
        QVERIFY(window.weightsCheck()->isAttached());
        QCOMPARE(window.model()->columnCount(), int(ArchitectureModel::ColumnCount) + 1);
        const QString summary = window.summary()->weightsText();
        QVERIFY2(summary.contains(QStringLiteral("✓ all 124,439,808 parameters")), qPrintable(summary));
        QVERIFY2(summary.contains(QStringLiteral("12 × h.*.attn.bias (12,582,912 values)")), qPrintable(summary));
        QVERIFY(window.action(QStringLiteral("detachWeights"))->isEnabled());
        window.action(QStringLiteral("detachWeights"))->trigger();
        QVERIFY(window.summary()->weightsText().isEmpty());
        QCOMPARE(window.model()->columnCount(), int(ArchitectureModel::ColumnCount));
        for (const char* name : { "openLocalModel", "verifyWeights", "verifyWeightsFolder", "detachWeights" }) {
            QAction* a = window.action(QString::fromLatin1(name));
            QVERIFY2(a && !a->shortcut().isEmpty() && !a->toolTip().isEmpty(), name);
        }
    }
};

QTEST_MAIN(TestWeightsView)
#include "tst_weightsview.moc"
