// SPDX-License-Identifier: MIT
// The installed tree: `cmake --install` of this build into a temporary prefix, then what a
// distribution checks (desktop-file-validate, appstreamcli validate) and what a user runs (the
// binaries from the prefix, the man pages, the bash completion, the MIME type of design files).
#include <QDir>
#include <QFile>
#include <QImage>
#include <QMimeDatabase>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

namespace {

const QString kId = QStringLiteral(PARAMSCOPE_APP_ID);

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

/// Runs @p program, waiting at most two minutes (a hang is a failure, not a wait).
Run run(const QString& program, const QStringList& args,
    const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment())
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(program, args);
    if (!p.waitForFinished(120000)) {
        p.kill();
        p.waitForFinished();
        return { -1, {}, "did not finish: " + p.errorString().toUtf8() };
    }
    return { p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
        p.readAllStandardError() };
}

/// A tool from the test dependencies (dev.sh installs them), or an empty string.
QString tool(const char* name)
{
    return QStandardPaths::findExecutable(QString::fromLatin1(name));
}

} // namespace

class TestInstall : public QObject {
    Q_OBJECT

    QTemporaryDir m_prefix;
    QTemporaryDir m_mime; // share/ of a MIME database: the system's types and ours

    QString path(const QString& relative) const { return m_prefix.filePath(relative); }
    QString share(const QString& relative) const { return path(QStringLiteral("share/") + relative); }
    QByteArray manPage(const QString& name) const
    {
        const Run r = run(
            QStringLiteral("gzip"), { QStringLiteral("-dc"), share(QStringLiteral("man/man1/%1.1.gz").arg(name)) });
        return r.exitCode == 0 ? r.out : QByteArray();
    }
    /// The environment of a session with no display at all.
    static QProcessEnvironment noDisplay()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char* name : { "DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM" })
            env.remove(QString::fromLatin1(name));
        return env;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_prefix.isValid());
        const Run install = run(QStringLiteral(PARAMSCOPE_CMAKE),
            { QStringLiteral("--install"), QStringLiteral(PARAMSCOPE_BUILD_DIR), QStringLiteral("--prefix"),
                m_prefix.path() });
        QVERIFY2(install.exitCode == 0, install.err.constData());
        // The system's MIME database with the installed type, as the dpkg trigger builds it
        // (update-mime-database); QMimeDatabase reads XDG_DATA_DIRS on first use.
        const QString system = QStringLiteral("/usr/share/mime/packages");
        const QString update = tool("update-mime-database");
        if (update.isEmpty() || !QFileInfo::exists(system + QStringLiteral("/freedesktop.org.xml")))
            QFAIL(
                "update-mime-database or the MIME database is missing: install shared-mime-info (./dev.sh test does)");
        const QString packages = m_mime.filePath(QStringLiteral("mime/packages"));
        QVERIFY(QDir().mkpath(packages));
        for (const QFileInfo& f : QDir(system).entryInfoList({ QStringLiteral("*.xml") }, QDir::Files))
            QVERIFY(QFile::copy(f.filePath(), packages + QLatin1Char('/') + f.fileName()));
        QVERIFY(QFile::copy(
            share(QStringLiteral("mime/packages/%1.xml").arg(kId)), packages + QStringLiteral("/%1.xml").arg(kId)));
        const Run u = run(update, { m_mime.filePath(QStringLiteral("mime")) });
        QVERIFY2(u.exitCode == 0, u.err.constData());
        qputenv("XDG_DATA_DIRS", m_mime.path().toLocal8Bit());
    }

    void installedFiles_data()
    {
        QTest::addColumn<QString>("file");
        for (const char* f : { "bin/paramscope", "bin/paramscope-cli", "share/man/man1/paramscope.1.gz",
                 "share/man/man1/paramscope-cli.1.gz", "share/bash-completion/completions/paramscope-cli" })
            QTest::newRow(f) << QString::fromLatin1(f);
        for (const QString& f : { QStringLiteral("share/applications/%1.desktop"),
                 QStringLiteral("share/metainfo/%1.metainfo.xml"), QStringLiteral("share/mime/packages/%1.xml"),
                 QStringLiteral("share/icons/hicolor/scalable/apps/%1.svg") })
            QTest::newRow(qPrintable(f.arg(kId))) << f.arg(kId);
    }
    void installedFiles()
    {
        QFETCH(QString, file);
        QVERIFY2(QFileInfo(path(file)).isFile() && QFileInfo(path(file)).size() > 0, qPrintable(file));
        if (file.startsWith(QLatin1String("bin/")))
            QVERIFY(QFileInfo(path(file)).isExecutable());
    }

    void iconSizes_data()
    {
        QTest::addColumn<int>("size");
        for (const int size : { 16, 32, 48, 64, 128, 256 })
            QTest::newRow(qPrintable(QString::number(size))) << size;
    }
    void iconSizes()
    {
        // hicolor/NxN/apps/ID.png is an N × N picture that is not blank.
        QFETCH(int, size);
        const QImage image(share(QStringLiteral("icons/hicolor/%1x%1/apps/%2.png").arg(size).arg(kId)));
        QCOMPARE(image.size(), QSize(size, size));
        QVERIFY(image.hasAlphaChannel());
        QCOMPARE(qAlpha(image.pixel(0, 0)), 0); // the rounded corner is transparent
        QCOMPARE(qAlpha(image.pixel(size / 2, size / 2)), 255);
    }

    void desktopFileValidates()
    {
        const QString validate = tool("desktop-file-validate");
        if (validate.isEmpty())
            QFAIL("desktop-file-validate is missing: install desktop-file-utils (./dev.sh test does)");
        const QString entry = share(QStringLiteral("applications/%1.desktop").arg(kId));
        const Run r = run(validate, { entry });
        QVERIFY2(r.exitCode == 0, (r.out + r.err).constData());
        QVERIFY2(!(r.out + r.err).contains("error"), (r.out + r.err).constData());

        // It names the installed icon, the binary on the PATH, and the MIME type installed beside it.
        QFile file(entry);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        QVERIFY(text.contains("\nIcon=" + kId.toUtf8() + "\n"));
        QVERIFY(text.contains("\nExec=paramscope %f\n"));
        QVERIFY(text.contains("\nCategories=Education;Science;"));
        QVERIFY(text.contains("\nMimeType=application/x-paramscope-design;\n"));
    }

    void metainfoValidates()
    {
        const QString appstream = tool("appstreamcli");
        if (appstream.isEmpty())
            QFAIL("appstreamcli is missing: install appstream (./dev.sh test does)");
        const QString metainfo = share(QStringLiteral("metainfo/%1.metainfo.xml").arg(kId));
        const Run r = run(appstream, { QStringLiteral("validate"), QStringLiteral("--no-net"), metainfo });
        QVERIFY2(r.exitCode == 0, (r.out + r.err).constData());

        // The newest release is this version; the launchable is the installed entry.
        QFile file(metainfo);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&file);
        QString release, launchable;
        while (xml.readNext() != QXmlStreamReader::Invalid && !xml.atEnd()) {
            if (!xml.isStartElement())
                continue;
            if (xml.name() == QLatin1String("release") && release.isEmpty())
                release = xml.attributes().value(QLatin1String("version")).toString();
            else if (xml.name() == QLatin1String("launchable"))
                launchable = xml.readElementText();
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QCOMPARE(release, QStringLiteral(PARAMSCOPE_VERSION));
        QCOMPARE(launchable, kId + QStringLiteral(".desktop"));
    }

    void designFilesHaveTheirMimeType_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("type");
        // A design file is JSON saved as .json: its content decides, and other JSON stays JSON.
        QTest::newRow("preset") << QStringLiteral(PARAMSCOPE_SOURCE_DIR "/presets/gpt2.json")
                                << QStringLiteral("application/x-paramscope-design");
        QTest::newRow("config.json") << QStringLiteral(PARAMSCOPE_TEST_DATA "/hf-configs/openai-community__gpt2.json")
                                     << QStringLiteral("application/json");
    }
    void designFilesHaveTheirMimeType()
    {
        QFETCH(QString, file);
        QFETCH(QString, type);
        QVERIFY(QFileInfo::exists(file));
        const QMimeType mime = QMimeDatabase().mimeTypeForFile(file);
        QCOMPARE(mime.name(), type);
        QVERIFY(mime.inherits(QStringLiteral("application/json")));
    }

    void installedCliCountsPreset()
    {
        // GPT-2 small: 124,439,808 parameters (OpenAI's release; model.num_parameters() in transformers).
        const Run r = run(path(QStringLiteral("bin/paramscope-cli")),
            { QStringLiteral("count"), QStringLiteral("gpt2"), QStringLiteral("--format"), QStringLiteral("csv") });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("GPT2LMHeadModel") && r.out.contains(",124439808,"), r.out.left(600).constData());
        const Run v = run(path(QStringLiteral("bin/paramscope-cli")), { QStringLiteral("--version") });
        QCOMPARE(v.exitCode, 0);
        QCOMPARE(v.out.trimmed(), QByteArray(PARAMSCOPE_VERSION));
    }

    void installedAppAnswersWithoutDisplay()
    {
        // --version and --help only print: they must work where there is no display at all.
        const QString app = path(QStringLiteral("bin/paramscope"));
        const Run v = run(app, { QStringLiteral("--version") }, noDisplay());
        QVERIFY2(v.exitCode == 0, v.err.constData());
        QCOMPARE(v.out.trimmed(), QByteArray("ParamScope " PARAMSCOPE_VERSION));
        const Run h = run(app, { QStringLiteral("--help") }, noDisplay());
        QVERIFY2(h.exitCode == 0, h.err.constData());
        for (const char* option : { "--set", "--screenshot", "--palette", "[SOURCE]" })
            QVERIFY2(h.out.contains(option), h.out.constData());
        QVERIFY(!h.out.contains("--man-page")); // for the build only
    }

    void manPages_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("paramscope") << QStringLiteral("paramscope");
        QTest::newRow("paramscope-cli") << QStringLiteral("paramscope-cli");
    }
    void manPages()
    {
        // groff formats the page without a warning, and it has every option --help lists.
        QFETCH(QString, name);
        const QByteArray page = manPage(name);
        QVERIFY(page.startsWith(".\\\"") && page.contains("\n.TH " + name.toUpper().toUtf8() + " 1 "));
        const QString groff = tool("groff");
        if (groff.isEmpty())
            QFAIL("groff is missing: install groff-base (./dev.sh test does)");
        QTemporaryDir dir;
        QFile roff(dir.filePath(QStringLiteral("page.1")));
        QVERIFY(roff.open(QIODevice::WriteOnly) && roff.write(page) == page.size());
        roff.close();
        const Run g = run(groff,
            { QStringLiteral("-man"), QStringLiteral("-Tutf8"), QStringLiteral("-ww"), QStringLiteral("-k"),
                roff.fileName() });
        QCOMPARE(g.exitCode, 0);
        QVERIFY2(g.err.isEmpty(), g.err.constData());
        const QString text = QString::fromUtf8(g.out).remove(QRegularExpression(QStringLiteral(".\b")));

        const Run help = run(path(QStringLiteral("bin/") + name), { QStringLiteral("--help") }, noDisplay());
        QCOMPARE(help.exitCode, 0);
        const QRegularExpression option(QStringLiteral("(?<![\\w-])--[a-z][a-z-]+"));
        int seen = 0;
        for (auto m = option.globalMatch(QString::fromUtf8(help.out)); m.hasNext(); ++seen) {
            const QString o = m.next().captured();
            QVERIFY2(text.contains(o), qPrintable(name + QStringLiteral(": no ") + o));
        }
        QVERIFY(seen >= 3);
        if (name == QLatin1String("paramscope-cli")) {
            // Every command of --help, each with its own options.
            const QByteArray commands = help.out.mid(help.out.indexOf("SUBCOMMANDS:"));
            QVERIFY2(!commands.isEmpty(), help.out.constData());
            const QRegularExpression command(QStringLiteral("^  (\\w+)"), QRegularExpression::MultilineOption);
            int n = 0;
            for (auto m = command.globalMatch(QString::fromUtf8(commands)); m.hasNext(); ++n) {
                const QString c = m.next().captured(1);
                QVERIFY2(text.contains(QStringLiteral("paramscope-cli ") + c), qPrintable(c));
                const Run sub = run(path(QStringLiteral("bin/paramscope-cli")), { c, QStringLiteral("--help") });
                for (auto o = option.globalMatch(QString::fromUtf8(sub.out)); o.hasNext();) {
                    const QString opt = o.next().captured();
                    QVERIFY2(text.contains(opt), qPrintable(c + QStringLiteral(": no ") + opt));
                }
            }
            QVERIFY(n >= 7);
        }
    }

    void bashCompletion_data()
    {
        QTest::addColumn<QStringList>("words"); // the command line, the last word being completed
        QTest::addColumn<QStringList>("expected"); // among the completions
        QTest::addColumn<QStringList>("unexpected");
        QTest::newRow("command") << QStringList { QStringLiteral("co") }
                                 << QStringList { QStringLiteral("count"), QStringLiteral("convert") }
                                 << QStringList { QStringLiteral("chart"), QStringLiteral("docs") };
        QTest::newRow("help COMMAND") << QStringList { QStringLiteral("help"), QStringLiteral("sw") }
                                      << QStringList { QStringLiteral("sweep") } << QStringList {};
        QTest::newRow("options") << QStringList { QStringLiteral("count"), QStringLiteral("--") }
                                 << QStringList { QStringLiteral("--set"), QStringLiteral("--class"),
                                        QStringLiteral("--format"), QStringLiteral("--json"), QStringLiteral("--help") }
                                 << QStringList { QStringLiteral("--out") }; // chart's
        QTest::newRow("listed values") << QStringList { QStringLiteral("count"), QStringLiteral("--format"), QString() }
                                       << QStringList { QStringLiteral("text"), QStringLiteral("json"),
                                              QStringLiteral("csv"), QStringLiteral("markdown"),
                                              QStringLiteral("latex") }
                                       << QStringList {};
        QTest::newRow("preset") << QStringList { QStringLiteral("count"), QStringLiteral("gpt2-") }
                                << QStringList { QStringLiteral("gpt2-medium"), QStringLiteral("gpt2-xl") }
                                << QStringList {};
        QTest::newRow("chart options") << QStringList { QStringLiteral("chart"), QStringLiteral("--lo") }
                                       << QStringList { QStringLiteral("--log"), QStringLiteral("--log-x") }
                                       << QStringList {};
    }
    void bashCompletion()
    {
        QFETCH(QStringList, words);
        QFETCH(QStringList, expected);
        QFETCH(QStringList, unexpected);
        QStringList quoted { QStringLiteral("paramscope-cli") };
        for (const QString& w : words)
            quoted << QLatin1Char('\'') + w + QLatin1Char('\'');
        // In an empty folder, so that file names do not join the completions.
        QTemporaryDir empty;
        const QString script
            = QStringLiteral("cd '%1' && source '%2' && COMP_WORDS=(%3) && COMP_CWORD=%4 && "
                             "_paramscope_cli 2>/dev/null; printf '%s\\n' \"${COMPREPLY[@]}\"")
                  .arg(empty.path(), share(QStringLiteral("bash-completion/completions/paramscope-cli")),
                      quoted.join(QLatin1Char(' ')))
                  .arg(words.size());
        const Run r = run(QStringLiteral("bash"), { QStringLiteral("-c"), script });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QStringList got = QString::fromUtf8(r.out).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        for (const QString& e : expected)
            QVERIFY2(got.contains(e), qPrintable(e + QStringLiteral(" not in ") + got.join(QLatin1Char(' '))));
        for (const QString& u : unexpected)
            QVERIFY2(!got.contains(u), qPrintable(u + QStringLiteral(" in ") + got.join(QLatin1Char(' '))));
    }
};

QTEST_GUILESS_MAIN(TestInstall)
#include "tst_install.moc"
