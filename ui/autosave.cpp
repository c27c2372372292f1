// SPDX-License-Identifier: MIT
#include "autosave.h"

#include "designio.h"
#include "document.h"

#include <nlohmann/json.hpp>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTimer>
#include <QUndoStack>

#include <algorithm>

namespace paramscope::ui {

namespace {

constexpr const char* kAutosaveFormat = "paramscope-autosave";
constexpr int kAutosaveVersion = 1;

QString lockPath(const QString& file)
{
    return file + QStringLiteral(".lock");
}

/// A lock only a dead process can lose: no age limit, as an app may stay open for days.
std::unique_ptr<QLockFile> makeLock(const QString& file)
{
    auto lock = std::make_unique<QLockFile>(lockPath(file));
    lock->setStaleLockTime(0);
    return lock;
}

/// Reads an autosave file: the wrapper's fields and the design in it.
core::Result<core::Design> readAutosave(const QString& path, QString* originalFile)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return core::Error { path.toStdString(), f.errorString().toStdString() };
    const QByteArray bytes = f.readAll();
    auto j = core::parseJson(std::string_view(bytes.constData(), std::size_t(bytes.size())));
    if (!j)
        return j.error().within(path.toStdString());
    if (!j->is_object() || !j->contains("format") || (*j)["format"] != kAutosaveFormat || !j->contains("design"))
        return core::Error { path.toStdString(), "not a ParamScope autosave" };
    if (originalFile && j->contains("file") && (*j)["file"].is_string())
        *originalFile = QString::fromStdString((*j)["file"].get<std::string>());
    auto d = core::designFromJson((*j)["design"]);
    if (!d)
        return d.error().within(path.toStdString() + ": /design");
    return d;
}

} // namespace

Autosave::Autosave(Document* document, const QString& folder, int delayMs, QObject* parent)
    : QObject(parent)
    , m_document(document)
    , m_folder(folder)
    , m_timer(new QTimer(this))
{
    if (delayMs < 0) {
        bool ok = false;
        const int env = qEnvironmentVariableIntValue("PARAMSCOPE_AUTOSAVE_MS", &ok);
        delayMs = ok && env >= 0 ? env : kDefaultDelayMs;
    }
    QDir().mkpath(m_folder);
    // One file per running instance, named by process and by object (tests run several).
    static int serial = 0;
    m_path = QDir(m_folder).filePath(
        QStringLiteral("autosave-%1-%2.json").arg(QCoreApplication::applicationPid()).arg(serial++));
    m_lock = makeLock(m_path);
    if (!m_lock->tryLock(0))
        qWarning("autosave: cannot lock %s", qPrintable(lockPath(m_path)));
    m_timer->setSingleShot(true);
    m_timer->setInterval(delayMs);
    connect(m_timer, &QTimer::timeout, this, [this] { flush(); });
    connect(m_document, &Document::changed, this, &Autosave::onChanged);
    connect(m_document->undoStack(), &QUndoStack::cleanChanged, this, &Autosave::onChanged);
}

Autosave::~Autosave()
{
    remove();
}

QString Autosave::defaultFolder()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

bool Autosave::isPending() const
{
    return m_timer->isActive();
}

void Autosave::onChanged()
{
    if (m_document->undoStack()->isClean()) {
        remove(); // saved, or undone back to what was saved: nothing to keep
        return;
    }
    m_timer->start(); // restarts: written once the edits pause
}

void Autosave::remove()
{
    m_timer->stop();
    QFile::remove(m_path);
}

bool Autosave::flush(QString* error)
{
    m_timer->stop();
    if (m_document->undoStack()->isClean()) {
        remove();
        return true;
    }
    std::string text;
    try {
        nlohmann::ordered_json j;
        j["format"] = kAutosaveFormat;
        j["version"] = kAutosaveVersion;
        j["file"] = m_document->filePath().toStdString();
        j["design"] = nlohmann::ordered_json::parse(core::designToJson(m_document->design()));
        text = j.dump(2) + "\n";
    } catch (const std::exception& e) {
        // A name that is not UTF-8 cannot go into JSON; the app must go on.
        if (error)
            *error = QString::fromUtf8(e.what());
        qWarning("autosave: %s", e.what());
        return false;
    }
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = file.errorString();
        return false;
    }
    file.write(text.data(), qint64(text.size()));
    if (!file.commit()) { // also reports earlier write errors
        if (error)
            *error = file.errorString();
        qWarning("autosave: %s: %s", qPrintable(m_path), qPrintable(file.errorString()));
        return false;
    }
    emit written(m_path);
    return true;
}

QList<Autosave::Orphan> Autosave::orphans()
{
    QList<Orphan> out;
    const QDir dir(m_folder);
    const QStringList files = dir.entryList({ QStringLiteral("autosave-*.json") }, QDir::Files);
    for (const QString& name : files) {
        const QString path = dir.filePath(name);
        if (path == m_path)
            continue;
        bool claimed = false;
        for (const auto& lock : m_claimed)
            claimed = claimed || lock->fileName() == lockPath(path);
        if (!claimed) {
            // Free only when the instance that wrote it is gone (a stale lock is taken over).
            auto lock = makeLock(path);
            if (!lock->tryLock(0))
                continue;
            m_claimed.push_back(std::move(lock));
        }
        Orphan o;
        o.path = path;
        o.written = QFileInfo(path).lastModified();
        auto d = readAutosave(path, &o.originalFile);
        o.name = d ? QString::fromStdString(d->name) : name;
        out << o;
    }
    std::sort(out.begin(), out.end(), [](const Orphan& a, const Orphan& b) { return a.written > b.written; });
    return out;
}

bool Autosave::restore(const Orphan& orphan, QString* error)
{
    QString original;
    auto d = readAutosave(orphan.path, &original);
    if (!d) {
        if (error)
            *error = QString::fromStdString(d.error().text());
        return false;
    }
    if (auto st = m_document->load(std::move(*d), original); !st) {
        if (error)
            *error = QString::fromStdString(st.error().text());
        return false;
    }
    m_document->markModified();
    // Ours before theirs goes: a crash right now still leaves a copy.
    if (!flush(error))
        return false;
    discard(orphan);
    return true;
}

void Autosave::discard(const Orphan& orphan)
{
    QFile::remove(orphan.path);
    for (auto it = m_claimed.begin(); it != m_claimed.end(); ++it)
        if ((*it)->fileName() == lockPath(orphan.path)) {
            (*it)->unlock(); // removes the lock file
            m_claimed.erase(it);
            break;
        }
}

bool Autosave::offerRestore(Offer offer, QWidget* parent)
{
    if (offer == Offer::Keep)
        return false;
    const QList<Orphan> found = orphans();
    if (found.isEmpty())
        return false;
    const Orphan& newest = found.front();
    if (offer == Offer::Ask) {
        QMessageBox box(QMessageBox::Question, tr("Restore unsaved edits?"),
            tr("ParamScope did not close properly. Restore the unsaved edits of “%1” from %2?")
                .arg(newest.name, QLocale().toString(newest.written, QLocale::ShortFormat)),
            QMessageBox::NoButton, parent);
        if (!newest.originalFile.isEmpty())
            box.setInformativeText(tr("They were made to %1.").arg(QDir::toNativeSeparators(newest.originalFile)));
        QPushButton* restoreButton = box.addButton(tr("&Restore"), QMessageBox::AcceptRole);
        QPushButton* discardButton = box.addButton(tr("&Discard"), QMessageBox::DestructiveRole);
        box.addButton(tr("&Not Now"), QMessageBox::RejectRole);
        box.setDefaultButton(restoreButton);
        box.exec();
        if (box.clickedButton() == discardButton) {
            discard(newest);
            return false;
        }
        if (box.clickedButton() != restoreButton)
            return false;
    }
    QString error;
    if (!restore(newest, &error)) {
        qWarning("autosave: cannot restore %s: %s", qPrintable(newest.path), qPrintable(error));
        return false;
    }
    return true;
}

} // namespace paramscope::ui
