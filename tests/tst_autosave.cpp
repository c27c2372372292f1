// SPDX-License-Identifier: MIT
// Autosave: unsaved edits reach the data folder a few seconds after the last edit, survive a
// SIGKILL of the real app and come back at the next start; saving, undoing to the saved state and
// a clean shutdown leave nothing behind; a headless screenshot never autosaves.
#include "autosave.h"
#include "designio.h"
#include "document.h"
#include "evaluate.h"
#include "source.h"
#include "testutil.h"

#include <nlohmann/json.hpp>

#include <QSignalSpy>
#include <QUndoStack>
#include <QtTest>

using namespace paramscope;
using ui::Autosave;
using ui::Document;

namespace {

/// A preset by name (stops the test, naming the problem, when it does not load).
core::Design preset(const char* name)
{
    return test::load(name);
}

QStringList autosaves(const QString& folder)
{
    return QDir(folder).entryList({ QStringLiteral("autosave-*.json") }, QDir::Files, QDir::Name);
}

/// The design inside an autosave file (an invalid Design when it does not read).
core::Design designIn(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray bytes = f.readAll();
    auto j = core::parseJson(std::string_view(bytes.constData(), std::size_t(bytes.size())));
    if (!j || !j->contains("design"))
        return {};
    auto d = core::designFromJson((*j)["design"]);
    return d ? std::move(*d) : core::Design();
}

core::Count valueIn(const core::Design& d, const char* symbol)
{
    const core::Symbol* s = d.symbol(symbol);
    return s ? s->value : -1;
}

} // namespace

class TestAutosave : public QObject {
    Q_OBJECT
private:
    /// The real app, offscreen, with its data, config and home in @p root.
    static void startApp(QProcess& p, const QString& root, const QStringList& args, int autosaveMs = -1)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("HOME"), root + QStringLiteral("/home"));
        env.insert(QStringLiteral("XDG_DATA_HOME"), root + QStringLiteral("/data"));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), root + QStringLiteral("/config"));
        if (autosaveMs >= 0)
            env.insert(QStringLiteral("PARAMSCOPE_AUTOSAVE_MS"), QString::number(autosaveMs));
        else
            env.remove(QStringLiteral("PARAMSCOPE_AUTOSAVE_MS"));
        p.setProcessEnvironment(env);
        p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        p.start(QStringLiteral(PARAMSCOPE_APP), args);
        QVERIFY(p.waitForStarted());
    }
    /// QStandardPaths::AppDataLocation of the app (organisation and application "ParamScope").
    static QString appData(const QString& root) { return root + QStringLiteral("/data/ParamScope/ParamScope"); }

private slots:
    void writesAfterEditsAndRemovesWhenClean()
    {
        QTemporaryDir dir;
        Document doc;
        QVERIFY(doc.load(preset("gpt2")));
        Autosave autosave(&doc, dir.path(), 50);
        QSignalSpy written(&autosave, &Autosave::written);
        QVERIFY(!autosave.isPending()); // nothing unsaved yet
        QVERIFY(autosaves(dir.path()).isEmpty());

        // A drag of three steps: the debounce writes once, after the last.
        doc.beginDrag();
        for (core::Count e : { 816, 864, 1008 })
            doc.pushValue("E", e);
        doc.endDrag();
        QVERIFY(autosave.isPending());
        QVERIFY(written.wait());
        QCOMPARE(written.count(), 1);
        QCOMPARE(valueIn(designIn(autosave.filePath()), "E"), 1008);

        // Saving removes it; so does undoing back to the saved state.
        const QString saved = dir.filePath(QStringLiteral("mine.json"));
        QString error;
        QVERIFY2(doc.save(saved, &error), qPrintable(error));
        QVERIFY(!QFile::exists(autosave.filePath()));
        QVERIFY(!autosave.isPending());
        doc.pushValue("L", 13);
        QVERIFY(autosave.flush());
        QVERIFY(QFile::exists(autosave.filePath()));
        doc.undoStack()->undo();
        QVERIFY(!QFile::exists(autosave.filePath()));

        // A clean shutdown (the object goes with the window) leaves nothing.
        doc.pushValue("L", 14);
        QVERIFY(written.wait());
        QVERIFY(QFile::exists(autosave.filePath()));
    }

    void cleanShutdownRemovesTheFile()
    {
        QTemporaryDir dir;
        Document doc;
        QVERIFY(doc.load(preset("gpt2")));
        QString path;
        {
            Autosave autosave(&doc, dir.path(), 0);
            doc.pushValue("E", 1536);
            QVERIFY(autosave.flush());
            path = autosave.filePath();
            QVERIFY(QFile::exists(path));
        }
        QVERIFY(!QFile::exists(path));
        QVERIFY(autosaves(dir.path()).isEmpty());
    }

    void orphanIsRestoredAsUnsavedEdits()
    {
        QTemporaryDir dir;
        const QString original = dir.filePath(QStringLiteral("mine.json"));
        {
            // What a killed instance leaves: its file, and no live owner of its lock.
            core::Design d = preset("gpt2");
            QVERIFY(d.setValue("E", 1024).ok());
            const std::string design = core::designToJson(d);
            QFile f(dir.filePath(QStringLiteral("autosave-999999-0.json")));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("{\"format\": \"paramscope-autosave\", \"version\": 1, \"file\": \"");
            f.write(original.toUtf8());
            f.write("\", \"design\": ");
            f.write(design.data(), qint64(design.size()));
            f.write("}\n");
        }
        Document doc;
        QVERIFY(doc.load(preset("gpt2")));
        Autosave autosave(&doc, dir.path(), 60000);
        // A second live instance sees the orphan as claimed by the first, not as its own.
        Document other;
        Autosave second(&other, dir.path(), 60000);
        const auto found = autosave.orphans();
        QCOMPARE(found.size(), 1);
        QCOMPARE(found.front().name, QStringLiteral("GPT-2 small"));
        QCOMPARE(found.front().originalFile, original);
        QVERIFY(second.orphans().isEmpty());

        QVERIFY(autosave.offerRestore(Autosave::Offer::Restore));
        QCOMPARE(doc.design().symbol("E")->value, 1024);
        QVERIFY(!doc.undoStack()->isClean()); // unsaved: closing asks, and the autosave keeps it
        QCOMPARE(doc.filePath(), original); // Save goes back to the file it came from
        // Ours is written at once, theirs is gone.
        QCOMPARE(autosaves(dir.path()), QStringList { QFileInfo(autosave.filePath()).fileName() });
        QCOMPARE(valueIn(designIn(autosave.filePath()), "E"), 1024);
        QVERIFY(autosave.orphans().isEmpty());
    }

    void killedAppRestoresTheEdit()
    {
        QTemporaryDir root;
        const QString folder = appData(root.path());
        {
            // The real app with one edit (--set is one undoable step), at the default delay.
            QProcess app;
            startApp(app, root.path(), { QStringLiteral("gpt2"), QStringLiteral("--set"), QStringLiteral("E=1536") });
            QTRY_VERIFY_WITH_TIMEOUT(autosaves(folder).size() == 1
                    && valueIn(designIn(QDir(folder).filePath(autosaves(folder).front())), "E") == 1536,
                30000);
            app.kill(); // SIGKILL: no clean-up runs
            QVERIFY(app.waitForFinished());
            QCOMPARE(app.exitStatus(), QProcess::CrashExit);
        }
        const QString first = autosaves(folder).front();
        QVERIFY(QFile::exists(QDir(folder).filePath(first)));

        // Started again, it restores the edit; a second edit lands on the restored design, and
        // the new autosave holds both.
        QProcess again;
        startApp(again, root.path(),
            { QStringLiteral("--restore-autosave"), QStringLiteral("--set"), QStringLiteral("L=13") });
        QTRY_VERIFY_WITH_TIMEOUT(autosaves(folder).size() == 1 && autosaves(folder).front() != first
                && valueIn(designIn(QDir(folder).filePath(autosaves(folder).front())), "L") == 13,
            30000);
        const core::Design restored = designIn(QDir(folder).filePath(autosaves(folder).front()));
        QCOMPARE(valueIn(restored, "E"), 1536);
        // GPT-2 with V = 50257, P = 1024, E = 1536 (H = 12 divides it), L = 13:
        // VE + PE + L(12E² + 13E) + 2E.
        const core::Count V = 50257, P = 1024, E = 1536, L = 13;
        auto e = core::evaluate(restored);
        QVERIFY(e.ok());
        QCOMPARE(e->total, V * E + P * E + L * (12 * E * E + 13 * E) + 2 * E);
        again.kill();
        QVERIFY(again.waitForFinished());
    }

    void headlessScreenshotWritesNoAutosave()
    {
        const QStringList args = { QStringLiteral("gpt2"), QStringLiteral("--set"), QStringLiteral("E=1024"),
            QStringLiteral("--screenshot"), QStringLiteral("shot.png"), QStringLiteral("--size"),
            QStringLiteral("800x600") };
        {
            // With the autosave due at once (were it on, the screenshot's event loop would run
            // it), the run leaves no trace: not even the data folder, which an autosave creates.
            QTemporaryDir root;
            QProcess app;
            app.setWorkingDirectory(root.path());
            startApp(app, root.path(), args, 0);
            QVERIFY(app.waitForFinished(60000));
            QCOMPARE(app.exitStatus(), QProcess::NormalExit);
            QCOMPARE(app.exitCode(), 0);
            QVERIFY(QFile::exists(root.filePath(QStringLiteral("shot.png"))));
            QVERIFY(!QFileInfo::exists(root.filePath(QStringLiteral("data/ParamScope"))));
        }
        {
            // An orphan left by a killed instance stays for the next interactive start.
            QTemporaryDir root;
            const QString folder = appData(root.path());
            QVERIFY(QDir().mkpath(folder));
            QFile f(QDir(folder).filePath(QStringLiteral("autosave-999999-0.json")));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("{}");
            f.close();
            QProcess app;
            app.setWorkingDirectory(root.path());
            startApp(app, root.path(), args, 0);
            QVERIFY(app.waitForFinished(60000));
            QCOMPARE(app.exitCode(), 0);
            QCOMPARE(QDir(folder).entryList(QDir::Files | QDir::Hidden),
                QStringList { QStringLiteral("autosave-999999-0.json") });
        }
    }
};

QTEST_MAIN(TestAutosave)
#include "tst_autosave.moc"
