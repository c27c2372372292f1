// SPDX-License-Identifier: MIT
// Reading and writing design files: round trips, and every kind of bad input named precisely.
#include "designio.h"
#include "evaluate.h"
#include "presets.h"
#include "report.h"
#include "source.h"

#include <nlohmann/json.hpp>

#include <QtTest>

using namespace paramscope::core;
using nlohmann::json;

namespace {

json gpt2()
{
    return json::parse(findPreset("gpt2")->json);
}

QString errorOfText(const std::string& text)
{
    auto d = loadText(text, "test.json");
    return d ? QString() : QString::fromStdString(d.error().text());
}

} // namespace

class TestDesignIo : public QObject {
    Q_OBJECT
private slots:
    void presetsRoundTripByteForByte_data()
    {
        QTest::addColumn<QString>("name");
        for (const Preset& p : presets())
            QTest::newRow(std::string(p.name).c_str()) << QString::fromUtf8(p.name.data(), qsizetype(p.name.size()));
    }
    void presetsRoundTripByteForByte()
    {
        QFETCH(QString, name);
        const Preset* p = findPreset(name.toStdString());
        auto d = loadText(p->json, name.toStdString());
        QVERIFY2(d.ok(), d.ok() ? "" : d.error().text().c_str());
        QCOMPARE(
            QString::fromStdString(designToJson(*d)), QString::fromUtf8(p->json.data(), qsizetype(p->json.size())));
        QVERIFY(evaluate(*d).ok());
    }

    void editedDesignRoundTrips()
    {
        auto d = loadSource("gpt2");
        QVERIFY(d.ok());
        d->root->children[0]->children[0]->name = "token_embedding";
        d->root->children[1]->tiedTo = "transformer.token_embedding";
        QVERIFY(d->setValue("E", 1024).ok());
        QVERIFY(d->setValue("H", 16).ok());
        QVERIFY(d->compile().ok());
        const std::string text = designToJson(*d);
        auto back = loadText(text, "edited");
        QVERIFY2(back.ok(), back.ok() ? "" : back.error().text().c_str());
        QCOMPARE(designToJson(*back), text);
        auto a = evaluate(*back), b = evaluate(*d);
        QVERIFY(a.ok() && b.ok());
        QCOMPARE(a->total, b->total);
    }

    void badInput_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        auto with = [](auto edit) {
            json j = gpt2();
            edit(j);
            return QString::fromStdString(j.dump(1));
        };
        QTest::newRow("malformed") << QStringLiteral("{\n  \"format\": \"paramscope-design\",\n  \"name\": \n}")
                                   << QStringLiteral("test.json: line 4, column 1: malformed JSON");
        QTest::newRow("not an object") << QStringLiteral("[1, 2]") << QStringLiteral("neither a ParamScope design");
        QTest::newRow("no hyperparameters") << with([](json& j) { j.erase("hyperparameters"); })
                                            << QStringLiteral("test.json: /hyperparameters: missing");
        QTest::newRow("string value") << with([](json& j) { j["hyperparameters"][2]["value"] = "768"; })
                                      << QStringLiteral("/hyperparameters/2/value: expected an integer, got string");
        QTest::newRow("fraction") << with([](json& j) { j["hyperparameters"][2]["value"] = 768.5; })
                                  << QStringLiteral("/hyperparameters/2/value: expected an integer, got a fraction");
        QTest::newRow("zero") << with([](json& j) { j["hyperparameters"][2]["value"] = 0; })
                              << QStringLiteral("/hyperparameters/2/value: value 0 must be at least 1");
        QTest::newRow("negative") << with([](json& j) { j["hyperparameters"][4]["value"] = -3; })
                                  << QStringLiteral("/hyperparameters/4/value: value -3 must be at least 1");
        QTest::newRow("too large") << with([](json& j) {
            j["hyperparameters"][0]["value"] = 18446744073709551615ULL;
        }) << QStringLiteral("/hyperparameters/0/value: value 18446744073709551615 is too large");
        QTest::newRow("both value and expr") << with([](json& j) { j["hyperparameters"][2]["expr"] = "4*H"; })
                                             << QStringLiteral("/hyperparameters/2: needs exactly one of");
        QTest::newRow("cycle") << with([](json& j) {
            j["hyperparameters"][2].erase("value");
            j["hyperparameters"][2]["expr"] = "F/4";
        }) << QStringLiteral("is defined in terms of itself");
        QTest::newRow("bad expression") << with([](json& j) {
            j["tree"]["children"][0]["children"][0]["args"]["num"] = "V +";
        }) << QStringLiteral("/tree/children/0/children/0/args/num: in expression 'V +'");
        QTest::newRow("unknown name") << with([](json& j) {
            j["tree"]["children"][0]["children"][3]["args"]["dim"] = "Q";
        }) << QStringLiteral("/tree/children/0/children/3/args/dim: (transformer.ln_f) unknown hyperparameter 'Q'");
        QTest::newRow("missing arg") << with([](json& j) { j["tree"]["children"][1]["args"].erase("in"); })
                                     << QStringLiteral("/tree/children/1/args/in: missing");
        QTest::newRow("wrong arg type") << with([](json& j) { j["tree"]["children"][1]["args"]["in"] = true; })
                                        << QStringLiteral("/tree/children/1/args/in: expected an expression");
        QTest::newRow("unknown kind") << with([](json& j) { j["tree"]["children"][1]["kind"] = "Lnear"; })
                                      << QStringLiteral("/tree/children/1/kind: unknown kind 'Lnear'");
        QTest::newRow("bias on Conv1D") << with([](json& j) {
            j["tree"]["children"][0]["children"][3]["kind"] = "RMSNorm";
        }) << QStringLiteral("/tree/children/0/children/3/args/bias: RMSNorm has no bias switch");
        QTest::newRow("dangling tie") << with([](json& j) {
            j["tree"]["children"][1]["tied_to"] = "transformer.wtf";
        }) << QStringLiteral("/tree/children/1/tied_to: (lm_head) no module at 'transformer.wtf'");
        QTest::newRow("children wrong type") << with([](json& j) { j["tree"]["children"] = "none"; })
                                             << QStringLiteral("/tree/children: expected an array, got string");
        QTest::newRow("version") << with([](json& j) { j["version"] = 2; })
                                 << QStringLiteral("/version: version 2 is not supported");
        QTest::newRow("number beyond double") << with([](json& j) {
            j["published_total"] = 1;
        }).replace(QStringLiteral("\"published_total\": 1"), QStringLiteral("\"published_total\": 1e400"))
                                              << QStringLiteral("number overflow parsing '1e400'");
        QTest::newRow("duplicate key") << QStringLiteral("{\"format\": \"paramscope-design\", \"tree\": "
                                                         "{\"children\": [{\"name\": \"a\", \"name\": \"b\"}]}}")
                                       << QStringLiteral("test.json: /tree/children/0: duplicate key \"name\"");
        QTest::newRow("dot in a name") << with([](json& j) { j["tree"]["children"][1]["name"] = "lm.head"; })
                                       << QStringLiteral("/tree/children/1/name: 'lm.head' cannot hold '.' or '*'");
        QTest::newRow("star in a name") << with([](json& j) { j["tree"]["children"][0]["name"] = "*"; })
                                        << QStringLiteral("/tree/children/0/name: '*' cannot hold '.' or '*'");
        QTest::newRow("nul byte") << QString::fromStdString(std::string("{\"format\"\0: 1}", 14))
                                  << QStringLiteral("malformed JSON");
    }
    void badInput()
    {
        QFETCH(QString, text);
        QFETCH(QString, message);
        const QString error = errorOfText(text.toStdString());
        QVERIFY2(error.contains(message), qPrintable(QStringLiteral("got: ") + error));
    }

    void deepNestingIsRefusedQuickly()
    {
        QElapsedTimer timer;
        timer.start();
        const std::string deep = std::string(200000, '[') + std::string(200000, ']');
        QVERIFY(errorOfText(deep).contains(QStringLiteral("nested deeper than 128")));
        QVERIFY(timer.elapsed() < 5000);
    }

    // nlohmann's callback parser (used for the depth limit) rescanned the parent after every
    // object: a 1 MB [{},{},...] took 32 s and a 16 MiB file hours. The limit is checked in a
    // separate linear pass now; the bound below is some 300 times what it takes.
    void manySmallObjectsParseInLinearTime()
    {
        std::string text = "[";
        for (int i = 0; i < 333'333; ++i)
            text += "{},";
        text += "{}]";
        QElapsedTimer timer;
        timer.start();
        auto j = parseJson(text);
        QVERIFY(j.ok());
        QCOMPARE(j->size(), std::size_t(333'334));
        QVERIFY2(timer.elapsed() < 10'000, qPrintable(QString::number(timer.elapsed()) + QStringLiteral(" ms")));
    }

    void depthLimitIsExact()
    {
        // 128 levels of arrays are fine, 129 are not.
        QVERIFY(parseJson(std::string(128, '[') + std::string(128, ']')).ok());
        auto deep = parseJson(std::string(129, '[') + std::string(129, ']'));
        QVERIFY(!deep.ok());
        QVERIFY(QString::fromStdString(deep.error().text()).contains(QStringLiteral("nested deeper than 128")));
        // Brackets inside strings do not count.
        QVERIFY(parseJson("[\"" + std::string(1000, '[') + "\"]").ok());
    }

    void numbersBeyondDoubleAreErrorsNotExceptions()
    {
        auto j = parseJson("{\n  \"a\": [1,\n  -1e400]}");
        QVERIFY(!j.ok());
        // Line 3 is "  -1e400]}": the number ends at column 8.
        QCOMPARE(QString::fromStdString(j.error().text()),
            QStringLiteral("line 3, column 8: malformed JSON: number overflow parsing '-1e400'"));
    }

    void duplicateKeysAreRefusedWhereTheyAre()
    {
        auto j = parseJson(R"({"a": [1, {"b": 1}, {"c": 2, "d": {"e": 1, "e": 2}}]})");
        QVERIFY(!j.ok());
        QCOMPARE(QString::fromStdString(j.error().text()), QStringLiteral("/a/2/d: duplicate key \"e\""));
        // The same key in sibling objects is fine.
        QVERIFY(parseJson(R"([{"a": 1}, {"a": 2}, {"a": {"a": 3}}])").ok());
    }

    void namesThatAreNotUtf8AreWrittenReplaced()
    {
        auto d = loadText(findPreset("gpt2")->json, "gpt2");
        QVERIFY(d.ok());
        d->name = "folder \xff\xfe";
        d->source = "/tmp/\xc3/config.json";
        const std::string text = designToJson(*d);
        auto back = loadText(text, "back");
        QVERIFY2(back.ok(), back.ok() ? "" : back.error().text().c_str());
        QCOMPARE(back->name, std::string("folder \uFFFD\uFFFD"));
        QCOMPARE(back->source, std::string("/tmp/\uFFFD/config.json"));
        auto counted = count(std::move(*d));
        QVERIFY(counted.ok());
        QVERIFY(json::parse(report(*counted, Format::Json))["name"] == "folder \uFFFD\uFFFD");
    }

    // A block of nothing repeated 10^10 times inside one repeated 10^10 times: the copies
    // (10^20) do not fit, the count (0) does. The multiplicity used to wrap silently.
    void nestedRepeatsOfNothing()
    {
        json j = gpt2();
        j["tree"]["children"].push_back({ { "name", "void" }, { "module", "ModuleList" },
            { "children",
                { { { "module", "Outer" }, { "repeat", 10'000'000'000 },
                    { "children",
                        { { { "name", "inner" }, { "module", "Inner" }, { "repeat", 10'000'000'000 },
                            { "children",
                                { { { "name", "nothing" }, { "module", "Parameter" },
                                    { "args", { { "shape", { 0 } } } } } } } } } } } } } });
        auto d = loadText(j.dump(), "test.json");
        QVERIFY2(d.ok(), d.ok() ? "" : d.error().text().c_str());
        auto c = count(std::move(*d));
        QVERIFY(c.ok());
        QCOMPARE(c->evaluation.total, Count(124439808));
        for (const Row& r : rows(*c)) {
            if (r.module->name != "nothing")
                continue;
            QCOMPARE(r.overall, Count(0));
            QCOMPARE(r.multiplicity, Count(INT64_MAX)); // saturated, as documented
        }
    }

    void hugeInputIsRefused()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("huge.json"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(30 * 1024 * 1024, ' '));
        f.close();
        auto d = loadSource(path.toStdString());
        QVERIFY(!d.ok());
        QVERIFY2(QString::fromStdString(d.error().text()).contains(QStringLiteral("the limit is")),
            d.error().text().c_str());
    }

    void pathsAreChecked()
    {
        auto missing = loadSource("/nonexistent/model.json");
        QVERIFY(!missing.ok());
        QVERIFY(QString::fromStdString(missing.error().text()).contains(QStringLiteral("no such file or preset")));
        QTemporaryDir dir;
        auto empty = loadSource(dir.path().toStdString());
        QVERIFY(!empty.ok());
        QVERIFY(QString::fromStdString(empty.error().text()).contains(QStringLiteral("no config.json")));
    }
};

QTEST_APPLESS_MAIN(TestDesignIo)
#include "tst_designio.moc"
