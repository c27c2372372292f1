// SPDX-License-Identifier: MIT
// Reading and writing design files: round trips, and every kind of bad input named precisely.
#include "designio.h"
#include "evaluate.h"
#include "presets.h"
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
