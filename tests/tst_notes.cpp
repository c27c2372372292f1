// SPDX-License-Identifier: MIT
// Notes: what follows from the structure (a tied weight) is derived from it whenever it is read and
// never stored, so an edit cannot leave a stale note in a saved file; kept notes (defaults
// assumed, why a published size differs) travel with the design. The reports carry both, with the
// hyperparameter values the table refers to.
#include "clirun.h"
#include "designio.h"
#include "edits.h"
#include "presets.h"
#include "report.h"
#include "source.h"

#include <nlohmann/json.hpp>

#include <QtTest>

using namespace paramscope::core;
using nlohmann::json;

namespace {

using paramscope::test::cli;
using paramscope::test::Run;

QString qs(const std::string& s)
{
    return QString::fromStdString(s);
}

Design load(const std::string& source)
{
    auto d = loadSource(source);
    if (!d)
        qFatal("%s", d.error().text().c_str());
    return std::move(*d);
}

std::string dataPath(const std::string& file)
{
    return std::string(PARAMSCOPE_TEST_DATA "/") + file;
}

std::vector<Note> tieNotes(const Design& d)
{
    std::vector<Note> out;
    for (const Note& n : d.allNotes())
        if (n.kind == Note::Kind::Tie)
            out.push_back(n);
    return out;
}

/// Stored notes of a design file that mention @p node at their start ("lm_head shares …").
int storedNotesAbout(const std::string& fileText, const std::string& node)
{
    int n = 0;
    const json j = json::parse(fileText);
    if (j.contains("notes"))
        for (const auto& note : j["notes"])
            n += note.get<std::string>().rfind(node + " ", 0) == 0;
    return n;
}

} // namespace

class TestNotes : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    QString write(const QString& name, const std::string& text)
    {
        QFile f(m_dir.filePath(name));
        if (!f.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(f.fileName()));
        f.write(text.data(), qint64(text.size()));
        return f.fileName();
    }

private slots:
    void untieSaveReloadTieAgain_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("embedding");
        QTest::addColumn<QString>("tieNote"); // written out by hand from the importer's wording
        QTest::newRow("gpt2 preset")
            << QStringLiteral("gpt2") << QStringLiteral("transformer.wte")
            << QStringLiteral("lm_head shares its weight with transformer.wte: counted once, as "
                              "model.num_parameters() does (a checkpoint that also stores lm_head.weight holds "
                              "V·E more values)");
        QTest::newRow("gemma-3-4b preset")
            << QStringLiteral("gemma-3-4b") << QStringLiteral("model.language_model.embed_tokens")
            << QStringLiteral("lm_head shares its weight with model.language_model.embed_tokens: counted once, as "
                              "model.num_parameters() does (a checkpoint that also stores lm_head.weight holds "
                              "V·E more values)");
        // OPT's head reads the projection width W.
        QTest::newRow("opt-125m config")
            << qs(dataPath("hf-extra/facebook__opt-125m.json")) << QStringLiteral("model.decoder.embed_tokens")
            << QStringLiteral("lm_head shares its weight with model.decoder.embed_tokens: counted once, as "
                              "model.num_parameters() does (a checkpoint that also stores lm_head.weight holds "
                              "V·W more values)");
    }
    void untieSaveReloadTieAgain()
    {
        QFETCH(QString, source);
        QFETCH(QString, embedding);
        QFETCH(QString, tieNote);
        Design d = load(source.toStdString());
        const int head = findOutputHead(d);
        QVERIFY(head >= 0);
        QCOMPARE(qs(d.nodes()[std::size_t(head)]->tiedTo), embedding);
        QCOMPARE(tieNotes(d).size(), std::size_t(1));
        QCOMPARE(qs(tieNotes(d)[0].text), tieNote);

        // Untie through the edit API, save, read back: no note says the head shares anything.
        QVERIFY(toggleTie(d, head).ok());
        const std::string untied = designToJson(d);
        QCOMPARE(storedNotesAbout(untied, "lm_head"), 0);
        const QString file = write(QStringLiteral("untied.json"), untied);
        Design back = load(file.toStdString());
        QVERIFY(tieNotes(back).empty());
        for (const Note& n : back.allNotes())
            QVERIFY2(n.text.rfind("lm_head", 0) != 0, n.text.c_str());
        // The CLI reads the same file alike, in text and JSON.
        const Run text = cli({ QStringLiteral("count"), file });
        QCOMPARE(text.exitCode, 0);
        QVERIFY(!text.out.contains("note: lm_head"));
        const Run js = cli({ QStringLiteral("count"), file, QStringLiteral("--json") });
        QCOMPARE(js.exitCode, 0);
        const QJsonObject j = QJsonDocument::fromJson(js.out).object();
        for (const QJsonValue& n : j[QStringLiteral("notes")].toArray())
            QVERIFY(!n.toString().startsWith(QStringLiteral("lm_head")));

        // Tie again: the note comes back, from the tree, and is still not stored.
        QVERIFY(toggleTie(back, findOutputHead(back)).ok());
        const std::string tied = designToJson(back);
        QCOMPARE(storedNotesAbout(tied, "lm_head"), 0);
        Design again = load(write(QStringLiteral("tied.json"), tied).toStdString());
        QCOMPARE(tieNotes(again).size(), std::size_t(1));
        QCOMPARE(qs(tieNotes(again)[0].text), tieNote);
        QCOMPARE(qs(tieNotes(again)[0].node), QStringLiteral("lm_head"));
        QCOMPARE(qs(tieNotes(again)[0].target), embedding);
    }

    void presetsStoreNoTieNotes_data()
    {
        QTest::addColumn<QString>("name");
        for (const Preset& p : presets())
            QTest::newRow(std::string(p.name).c_str()) << qs(std::string(p.name));
    }
    void presetsStoreNoTieNotes()
    {
        QFETCH(QString, name);
        const Preset* p = findPreset(name.toStdString());
        const std::string text(p->json);
        const Design d = load(name.toStdString());
        for (const Module* m : d.nodes())
            if (!m->tiedTo.empty())
                QCOMPARE(storedNotesAbout(text, Design::path(*m)), 0);
    }

    void legacyStoredTieNoteIsDropped()
    {
        // A file written before ties were derived: the head was untied after the note was stored.
        json j = json::parse(findPreset("gpt2")->json);
        j["notes"] = { "lm_head shares its weight with transformer.wte: counted once, as model.num_parameters() does",
            "a note the author kept" };
        json& head = j["tree"]["children"][1];
        QCOMPARE(head["name"].get<std::string>(), std::string("lm_head"));
        head.erase("tied_to");
        auto d = loadText(j.dump(), "legacy.json");
        QVERIFY2(d.ok(), d.ok() ? "" : d.error().text().c_str());
        const auto notes = d->allNotes();
        QCOMPARE(notes.size(), std::size_t(1));
        QCOMPARE(qs(notes[0].text), QStringLiteral("a note the author kept"));
        QVERIFY(notes[0].kind == Note::Kind::Kept);
    }

    void importerTiesAreDerived_data()
    {
        QTest::addColumn<QString>("config");
        QTest::addColumn<QString>("className");
        QTest::addColumn<QString>("tieNote");
        QTest::newRow("bert MLM: tied decoder with a bias")
            << QStringLiteral("hf-configs/google-bert__bert-base-uncased.json") << QStringLiteral("BertForMaskedLM")
            << QStringLiteral("cls.predictions.decoder shares its weight with bert.embeddings.word_embeddings: "
                              "counted once, as model.num_parameters() does; its bias is counted (a checkpoint "
                              "that also stores cls.predictions.decoder.weight holds V·E more values)");
        QTest::newRow("qwen2.5-0.5b") << QStringLiteral("hf-configs/Qwen__Qwen2.5-0.5B.json") << QString()
                                      << QStringLiteral("lm_head shares its weight with model.embed_tokens: counted "
                                                        "once, as model.num_parameters() does (a checkpoint that "
                                                        "also stores lm_head.weight holds V·E more values)");
        QTest::newRow("llama-3-8b: untied")
            << QStringLiteral("hf-configs/meta-llama__Meta-Llama-3-8B.json") << QString() << QString();
    }
    void importerTiesAreDerived()
    {
        QFETCH(QString, config);
        QFETCH(QString, className);
        QFETCH(QString, tieNote);
        auto d = loadSource(dataPath(config.toStdString()), { className.toStdString() });
        QVERIFY2(d.ok(), d.ok() ? "" : d.error().text().c_str());
        const auto ties = tieNotes(*d);
        QCOMPARE(ties.size(), std::size_t(tieNote.isEmpty() ? 0 : 1));
        if (!ties.empty())
            QCOMPARE(qs(ties[0].text), tieNote);
        // The importer stores none of it: the stored notes do not start with a tied module's path.
        for (const Module* m : d->nodes())
            if (!m->tiedTo.empty())
                for (const std::string& n : d->notes)
                    QVERIFY2(n.rfind(Design::path(*m) + " shares", 0) != 0, n.c_str());
    }

    void cliJsonKeepsNotesAsStrings()
    {
        // "notes" (a contract): every note as a string; "note_details" types each, in the same order.
        const Run r = cli({ QStringLiteral("count"), QStringLiteral("gemma-3-4b"), QStringLiteral("--json") });
        QCOMPARE(r.exitCode, 0);
        const QJsonObject j = QJsonDocument::fromJson(r.out).object();
        const QJsonArray notes = j[QStringLiteral("notes")].toArray();
        const QJsonArray details = j[QStringLiteral("note_details")].toArray();
        QCOMPARE(notes.size(), 3); // the tie, the vocabulary padding, the defaults assumed
        QCOMPARE(details.size(), notes.size());
        for (int i = 0; i < notes.size(); ++i) {
            QVERIFY(notes[i].isString());
            QCOMPARE(details[i].toObject()[QStringLiteral("text")].toString(), notes[i].toString());
        }
        const QJsonObject tie = details[0].toObject();
        QCOMPARE(tie[QStringLiteral("kind")].toString(), QStringLiteral("tie"));
        QCOMPARE(tie[QStringLiteral("node")].toString(), QStringLiteral("lm_head"));
        QCOMPARE(tie[QStringLiteral("tied_to")].toString(), QStringLiteral("model.language_model.embed_tokens"));
        QCOMPARE(details[1].toObject()[QStringLiteral("kind")].toString(), QStringLiteral("kept"));
    }

    void tablesCarryHyperparametersAndNotes_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<QStringList>("expected");
        // GPT-2 small's values (the notebook's) and its one note, the tied head.
        QTest::newRow("csv") << QStringLiteral("csv")
                             << QStringList { QStringLiteral("# hyperparameters: V=50257  P=1024  E=768  H=12  L=12  "
                                                             "F=3072 (4*E)  D=64 (E/H)\n"),
                                    QStringLiteral("# note: lm_head shares its weight with transformer.wte:") };
        QTest::newRow("markdown") << QStringLiteral("markdown")
                                  << QStringList { QStringLiteral("Hyperparameters: V = 50257 · P = 1024 · E = 768 · "
                                                                  "H = 12 · L = 12 · F = 3072 (4\\*E) · D = 64 (E/H)"),
                                         QStringLiteral("\n- lm_head shares its weight with transformer.wte:") };
        QTest::newRow("latex") << QStringLiteral("latex")
                               << QStringList { QStringLiteral("Hyperparameters: V = 50257, P = 1024, E = 768, H = 12, "
                                                               "L = 12, F = 3072 (4*E), D = 64 (E/H)."),
                                      QStringLiteral("Note: lm\\_head shares its weight with transformer.wte:"),
                                      QStringLiteral("holds V$\\cdot$E more values") };
        QTest::newRow("text") << QStringLiteral("text")
                              << QStringList { QStringLiteral("V=50257  P=1024  E=768  H=12  L=12  F=3072 (4*E)"),
                                     QStringLiteral("note: lm_head shares its weight with transformer.wte:") };
    }
    void tablesCarryHyperparametersAndNotes()
    {
        QFETCH(QString, format);
        QFETCH(QStringList, expected);
        const Run r = cli({ QStringLiteral("count"), QStringLiteral("gpt2"), QStringLiteral("--format"), format });
        QCOMPARE(r.exitCode, 0);
        const QString out = QString::fromUtf8(r.out);
        for (const QString& e : expected)
            QVERIFY2(out.contains(e), qPrintable(QStringLiteral("missing: ") + e));
        if (format == QLatin1String("csv")) {
            // The header stays the first line, and every row before the comments has its 8 fields.
            QVERIFY(out.startsWith(QStringLiteral("path,depth,module,shape,parameters,overall,share,formula\n")));
            const QStringList lines = out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
            bool comments = false;
            for (const QString& l : lines) {
                comments = comments || l.startsWith(QLatin1Char('#'));
                QVERIFY2(!comments || l.startsWith(QLatin1Char('#')), qPrintable(l)); // only comments at the end
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestNotes)
#include "tst_notes.moc"
