// SPDX-License-Identifier: MIT
// paramscope-cli as a user runs it: outputs, exit codes, and one clear message per bad input.
#include "clirun.h"

#include <QtTest>

#include <filesystem>

namespace {

using paramscope::test::cli;
using paramscope::test::Run;

/// Runs paramscope-cli through the shell as `sh -c SCRIPT CLI ARGS...` (so $0 is the CLI), for
/// arguments that Qt cannot pass as they are: bytes that are not UTF-8.
Run shell(const QString& script, const QStringList& args = {})
{
    QProcess p;
    p.start(
        QStringLiteral("/bin/sh"), QStringList { QStringLiteral("-c"), script, QStringLiteral(PARAMSCOPE_CLI) } + args);
    if (!p.waitForFinished(30000)) {
        p.kill();
        return {};
    }
    return { p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
        p.readAllStandardError() };
}

QJsonObject childNamed(const QJsonObject& node, const QString& name)
{
    for (const QJsonValue& c : node[QStringLiteral("children")].toArray())
        if (c.toObject()[QStringLiteral("name")].toString() == name)
            return c.toObject();
    return {};
}

qint64 countOf(const QJsonObject& node)
{
    return static_cast<qint64>(node[QStringLiteral("count")].toDouble());
}

} // namespace

class TestCli : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    QString writeFile(const QString& name, const QByteArray& content)
    {
        QFile f(m_dir.filePath(name));
        if (!f.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(f.fileName()));
        f.write(content);
        return f.fileName();
    }

private slots:
    void countJson()
    {
        const Run r = cli({ QStringLiteral("count"), QStringLiteral("gpt2"), QStringLiteral("--json") });
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.err.isEmpty());
        const QJsonObject j = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(static_cast<qint64>(j[QStringLiteral("total")].toDouble()), 124'439'808);
        QCOMPARE(j[QStringLiteral("class")].toString(), QStringLiteral("GPT2LMHeadModel"));
        // The notebook's per-component numbers, found in the tree by name.
        const QJsonObject tree = j[QStringLiteral("tree")].toObject();
        const QJsonObject transformer = childNamed(tree, QStringLiteral("transformer"));
        QCOMPARE(countOf(childNamed(transformer, QStringLiteral("wte"))), 38'597'376);
        QCOMPARE(countOf(childNamed(transformer, QStringLiteral("wpe"))), 786'432);
        QCOMPARE(countOf(childNamed(transformer, QStringLiteral("ln_f"))), 1'536);
        const QJsonObject block = childNamed(childNamed(transformer, QStringLiteral("h")), QStringLiteral("0-11"));
        QCOMPARE(static_cast<qint64>(block[QStringLiteral("count_each")].toDouble()), 7'087'872);
        QCOMPARE(block[QStringLiteral("repeat")].toInt(), 12);
        QCOMPARE(block[QStringLiteral("module")].toString(), QStringLiteral("GPT2Block"));
        QCOMPARE(countOf(childNamed(block, QStringLiteral("attn"))), 2'362'368);
        QCOMPARE(countOf(childNamed(block, QStringLiteral("mlp"))), 4'722'432);
        QCOMPARE(countOf(childNamed(block, QStringLiteral("ln_1"))), 1'536);
        QCOMPARE(childNamed(block, QStringLiteral("attn"))[QStringLiteral("formula")].toString(),
            QStringLiteral("4E² + 4E"));
        QCOMPARE(tree[QStringLiteral("formula")].toString(), QStringLiteral("VE + PE + L(12E² + 13E) + 2E"));
    }

    void setMovesDerivedSymbols()
    {
        const Run r = cli({ QStringLiteral("count"), QStringLiteral("gpt2"), QStringLiteral("--set"),
            QStringLiteral("E=1024"), QStringLiteral("--set"), QStringLiteral("H=16"), QStringLiteral("--set"),
            QStringLiteral("L=24"), QStringLiteral("--json") });
        QCOMPARE(r.exitCode, 0);
        const QJsonObject j = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(static_cast<qint64>(j[QStringLiteral("total")].toDouble()), 354'823'168);
        QCOMPARE(j[QStringLiteral("hyperparameters")].toObject()[QStringLiteral("F")].toInt(), 4096);
    }

    void presetsListsTotals()
    {
        const Run r = cli({ QStringLiteral("presets"), QStringLiteral("--json") });
        QCOMPARE(r.exitCode, 0);
        QMap<QString, qint64> totals;
        for (const QJsonValue& v : QJsonDocument::fromJson(r.out).array())
            totals[v.toObject()[QStringLiteral("name")].toString()]
                = static_cast<qint64>(v.toObject()[QStringLiteral("total")].toDouble());
        QCOMPARE(totals.value(QStringLiteral("gpt2")), 124'439'808);
        QCOMPARE(totals.value(QStringLiteral("gpt2-medium")), 354'823'168);
        QCOMPARE(totals.value(QStringLiteral("gpt2-large")), 774'030'080);
        QCOMPARE(totals.value(QStringLiteral("gpt2-xl")), 1'557'611'200);
    }

    void tableFormats()
    {
        const Run csv = cli(
            { QStringLiteral("count"), QStringLiteral("gpt2"), QStringLiteral("--format"), QStringLiteral("csv") });
        QCOMPARE(csv.exitCode, 0);
        QVERIFY(csv.out.startsWith("path,depth,module,shape,parameters,overall,share,formula\n"));
        QVERIFY(csv.out.contains("\ntransformer.wte,2,Embedding,\"Embedding(50257, 768)\",38597376,38597376,"));
        QVERIFY(csv.out.contains("\ntransformer.h.0-11.attn,4,GPT2Attention,GPT2Attention,2362368,28348416,"));
        const Run md = cli({ QStringLiteral("count"), QStringLiteral("gpt2"), QStringLiteral("--format"),
            QStringLiteral("markdown") });
        QCOMPARE(md.exitCode, 0);
        QVERIFY(md.out.contains("| Module | Shape | Parameters | Share | Formula |"));
        QVERIFY(md.out.contains("124,439,808"));
        const Run tex = cli(
            { QStringLiteral("count"), QStringLiteral("gpt2"), QStringLiteral("--format"), QStringLiteral("latex") });
        QCOMPARE(tex.exitCode, 0);
        QVERIFY(tex.out.contains("\\toprule") && tex.out.contains("\\bottomrule"));
        QVERIFY(tex.out.contains("$VE + PE + L(12E^{2} + 13E) + 2E$"));
    }

    void badInput_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        const QString count = QStringLiteral("count");
        const QString gpt2 = QStringLiteral("gpt2");
        const QString set = QStringLiteral("--set");
        QTest::newRow("indivisible") << QStringList { count, gpt2, set, QStringLiteral("E=1000") }
                                     << QStringLiteral("E = 1000 is not divisible by H = 12");
        QTest::newRow("unknown name") << QStringList { count, gpt2, set, QStringLiteral("Q=5") }
                                      << QStringLiteral("--set: Q: no such hyperparameter");
        QTest::newRow("not a number") << QStringList { count, gpt2, set, QStringLiteral("E=abc") }
                                      << QStringLiteral("'abc' is not a positive whole number");
        QTest::newRow("negative") << QStringList { count, gpt2, set, QStringLiteral("E=-768") }
                                  << QStringLiteral("'-768' is not a positive whole number");
        QTest::newRow("fraction") << QStringList { count, gpt2, set, QStringLiteral("E=1.5") }
                                  << QStringLiteral("'1.5' is not a positive whole number");
        QTest::newRow("zero") << QStringList { count, gpt2, set, QStringLiteral("L=0") }
                              << QStringLiteral("L = 0 must be at least 1");
        QTest::newRow("no value") << QStringList { count, gpt2, set } << QStringLiteral("--set needs a value");
        QTest::newRow("no equals") << QStringList { count, gpt2, set, QStringLiteral("E") }
                                   << QStringLiteral("expected NAME=VALUE");
        QTest::newRow("too large") << QStringList { count, gpt2, set, QStringLiteral("E=99999999999999999999") }
                                   << QStringLiteral("too large");
        QTest::newRow("overflow") << QStringList { count, gpt2, set, QStringLiteral("H=16"), set,
            QStringLiteral("E=4611686018427387904") }
                                  << QStringLiteral("overflows 64 bits");
        QTest::newRow("huge L") << QStringList { count, gpt2, set, QStringLiteral("L=1000000000000000") }
                                << QStringLiteral("overflows 64 bits");
        QTest::newRow("no file") << QStringList { count, QStringLiteral("/no/such/model.json") }
                                 << QStringLiteral("no such file or preset");
        QTest::newRow("no source") << QStringList { count } << QStringLiteral("no SOURCE given");
        QTest::newRow("format") << QStringList { count, gpt2, QStringLiteral("--format"), QStringLiteral("xml") }
                                << QStringLiteral("unknown format 'xml'");
        QTest::newRow("option") << QStringList { count, gpt2, QStringLiteral("--frobnicate") }
                                << QStringLiteral("unknown option --frobnicate");
        QTest::newRow("command") << QStringList { QStringLiteral("cuont") }
                                 << QStringLiteral("unknown command 'cuont'");
    }
    void badInput()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = cli(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.out.isEmpty(), r.out.constData());
        const QString err = QString::fromUtf8(r.err);
        QVERIFY2(err.startsWith(QStringLiteral("paramscope-cli: ")), qPrintable(err));
        QVERIFY2(err.contains(message), qPrintable(err));
        if (!args.contains(QStringLiteral("cuont")))
            QCOMPARE(err.count(QLatin1Char('\n')), 1); // one message, one line
    }

    void versionAndHelp()
    {
        const Run v = cli({ QStringLiteral("--version") });
        QCOMPARE(v.exitCode, 0);
        QCOMPARE(v.out.trimmed(), QByteArray(PARAMSCOPE_VERSION));
        // Every command has its own help, by --help and by `help COMMAND`, listing its options.
        for (const auto& [command, option] : { std::pair { "count", "--class" }, { "memory", "--kv-dtype" },
                 { "flops", "--tokens" }, { "sweep", "--step" }, { "chart", "--out" }, { "convert", "--name" } }) {
            const QString name = QLatin1String(command);
            for (const QStringList& args :
                { QStringList { name, QStringLiteral("--help") }, QStringList { QStringLiteral("help"), name } }) {
                const Run h = cli(args);
                QCOMPARE(h.exitCode, 0);
                QVERIFY2(h.out.contains("paramscope-cli " + QByteArray(command)), h.out.constData());
                QVERIFY2(h.out.contains(option), h.out.constData());
                QVERIFY(h.err.isEmpty());
            }
        }
        const Run all = cli({ QStringLiteral("--help") });
        QCOMPARE(all.exitCode, 0);
        for (const char* command : { "count", "presets", "convert", "sweep", "chart", "memory", "flops" })
            QVERIFY2(all.out.contains(command), command);
        // No command at all is a usage error: the help, and exit 2.
        const Run none = cli({});
        QCOMPARE(none.exitCode, 2);
        QVERIFY(none.out.contains("count"));
    }

    void badFiles_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("message");
        QTest::newRow("malformed") << QByteArray("{\n  \"format\": \"paramscope-design\",\n  \"version\": 1,,\n}")
                                   << QStringLiteral("line 3, column 16: malformed JSON");
        QTest::newRow("deep") << QByteArray(200000, '[') + QByteArray(200000, ']')
                              << QStringLiteral("nested deeper than");
        QTest::newRow("huge") << QByteArray(30 * 1024 * 1024, ' ') << QStringLiteral("the limit is");
        QTest::newRow("nul bytes") << QByteArray("{\"model_type\": \"gpt2\"\0\0\0}", 25)
                                   << QStringLiteral("malformed JSON");
        QTest::newRow("empty") << QByteArray() << QStringLiteral("malformed JSON");
        QTest::newRow("neither") << QByteArray("{\"hello\": 1}") << QStringLiteral("neither a ParamScope design");
    }
    void badFiles()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, message);
        const QString path = writeFile(QStringLiteral("bad.json"), content);
        QElapsedTimer timer;
        timer.start();
        const Run r = cli({ QStringLiteral("count"), path });
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.out.isEmpty());
        const QString err = QString::fromUtf8(r.err);
        QVERIFY2(err.contains(path) && err.contains(message), qPrintable(err));
        QCOMPARE(err.count(QLatin1Char('\n')), 1);
    }

    // INT64_MIN / -1 in a design file killed the CLI with SIGFPE (exit 136).
    void minDividedByMinusOneIsAnError()
    {
        const QString path = writeFile(QStringLiteral("sigfpe.json"),
            R"J({"format": "paramscope-design", "version": 1, "name": "t",
                "hyperparameters": [{"name": "E", "value": 768}],
                "tree": {"module": "M", "children": [{"name": "w", "module": "Parameter",
                  "args": {"shape": ["(-9223372036854775807 - 1) / (E - 769)"]}}]}})J");
        const Run r = cli({ QStringLiteral("count"), path });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("w: '(-9223372036854775807 - 1) / (E - 769)' overflows 64 bits"), r.err.constData());
    }

    // 1e400 is valid JSON that no double holds: it was an uncaught exception ("internal error").
    void numberBeyondDoubleIsBadInput()
    {
        const QString path = writeFile(QStringLiteral("config.json"), R"({"model_type": "gpt2", "n_embd": 1e400})");
        const Run r = cli({ QStringLiteral("count"), path });
        QCOMPARE(r.exitCode, 2);
        const QString err = QString::fromUtf8(r.err);
        QVERIFY2(!err.contains(QStringLiteral("internal error")), qPrintable(err));
        QVERIFY2(err.contains(path + QStringLiteral(": line 1, column ")), qPrintable(err));
        QVERIFY2(err.contains(QStringLiteral("number overflow parsing '1e400'")), qPrintable(err));
    }

    // A folder named in bytes that are not UTF-8 names the design: JSON output threw
    // (type_error 316, "internal error"). It is written with U+FFFD in their place.
    void folderNameThatIsNotUtf8()
    {
        const std::string folder = m_dir.path().toStdString() + "/model-\xff\xfe";
        std::filesystem::create_directory(folder);
        std::filesystem::copy_file(
            PARAMSCOPE_TEST_DATA "/hf-configs/openai-community__gpt2.json", folder + "/config.json");
        const Run r
            = shell(QStringLiteral("exec \"$0\" count \"$1/model-$(printf '\\377\\376')\" --json"), { m_dir.path() });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject j = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(j[QStringLiteral("name")].toString(), QStringLiteral("model-\uFFFD\uFFFD"));
        QCOMPARE(static_cast<qint64>(j[QStringLiteral("total")].toDouble()), 124'439'808);
        const Run design
            = shell(QStringLiteral("exec \"$0\" convert \"$1/model-$(printf '\\377\\376')\""), { m_dir.path() });
        QVERIFY2(design.exitCode == 0, design.err.constData());
        QVERIFY(design.out.contains("\"name\": \"model-\xef\xbf\xbd\xef\xbf\xbd\""));
        std::filesystem::remove_all(folder); // QTemporaryDir cannot name it
    }

    void nameOptionThatIsNotUtf8IsRefused()
    {
        const Run r = shell(QStringLiteral("exec \"$0\" convert gpt2 --name \"GPT $(printf '\\377')\""));
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.out.isEmpty());
        QVERIFY2(r.err.contains("--name: not valid UTF-8"), r.err.constData());
    }

    // The whole 64-bit range of L overflowed the point count; the loop then walked to 2^63.
    void sweepOverTheWholeRange()
    {
        const Run r = cli({ QStringLiteral("sweep"), QStringLiteral("gpt2"), QStringLiteral("--x"), QStringLiteral("L"),
            QStringLiteral("--from"), QStringLiteral("0"), QStringLiteral("--to"),
            QStringLiteral("9223372036854775807") });
        QCOMPARE(r.exitCode, 0);
        // At most 601 x, 2^63 / 600 apart: L = 0 is below the minimum and the others overflow.
        QCOMPARE(r.out.count('\n'), 1); // the header
        QVERIFY2(r.err.contains("invalid L value(s), e.g. L=0: L: L = 0 must be at least 1"), r.err.constData());
        const Run top = cli({ QStringLiteral("sweep"), QStringLiteral("gpt2"), QStringLiteral("--from"),
            QStringLiteral("9223372036854775807") });
        QCOMPARE(top.exitCode, 2);
        QVERIFY2(top.err.contains("no E to sweep"), top.err.constData());
    }

    // (A+B+C+D+E+F)^16, 18 characters, took over 30 s for a formula of 20,349 terms.
    // The count comes (6^16), the formula says it is too large.
    void hugeFormulaStillCounts()
    {
        const QString path = writeFile(QStringLiteral("formula.json"),
            R"J({"format": "paramscope-design", "version": 1, "name": "t", "hyperparameters": [
                {"name": "A", "value": 1}, {"name": "B", "value": 1}, {"name": "C", "value": 1},
                {"name": "D", "value": 1}, {"name": "E", "value": 1}, {"name": "F", "value": 1}],
                "tree": {"module": "M", "children": [{"name": "w", "module": "Parameter",
                  "args": {"shape": ["(A+B+C+D+E+F)^16"]}}]}})J");
        const Run r = cli({ QStringLiteral("count"), path });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("2,821,109,907,456"), r.out.constData());
        QVERIFY2(r.out.contains("(formula too large to show: more than 1000 terms)"), r.out.constData());
        const Run j = cli({ QStringLiteral("count"), path, QStringLiteral("--json") });
        QCOMPARE(j.exitCode, 0);
        QCOMPARE(static_cast<qint64>(QJsonDocument::fromJson(j.out).object()[QStringLiteral("total")].toDouble()),
            2'821'109'907'456);
    }

    void folderWithoutModel()
    {
        QTemporaryDir empty;
        const Run r = cli({ QStringLiteral("count"), empty.path() });
        QCOMPARE(r.exitCode, 2);
        QVERIFY(QString::fromUtf8(r.err).contains(QStringLiteral("folder with no config.json")));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
