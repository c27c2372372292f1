// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QString>

#include <memory>
#include <vector>

class QLockFile;
class QTimer;
class QWidget;

namespace paramscope::ui {

class Document;

/// Keeps unsaved work through a crash or a kill: a few seconds after an edit leaves the document
/// unsaved, its design is written atomically to this instance's file in a folder (the app's data
/// folder); saving, undoing back to the saved state, opening another design or destroying this
/// object (a clean shutdown) removes the file. A file whose instance is gone (its lock is free)
/// is an orphan, offered back at the next start.
class Autosave : public QObject {
    Q_OBJECT
public:
    /// A debounce for writing, not a wait: each edit restarts it, so a drag writes once.
    static constexpr int kDefaultDelayMs = 3000;

    /// Watches @p document; files go to @p folder (created when needed). @p delayMs < 0 takes the
    /// environment's PARAMSCOPE_AUTOSAVE_MS, else kDefaultDelayMs.
    Autosave(Document* document, const QString& folder, int delayMs = -1, QObject* parent = nullptr);
    /// Removes this instance's file: nothing is left to restore after a clean shutdown.
    ~Autosave() override;

    /// QStandardPaths::AppDataLocation (~/.local/share/ParamScope/ParamScope on Linux).
    static QString defaultFolder();

    /// This instance's file (exists only while there are unsaved edits).
    QString filePath() const { return m_path; }
    /// Whether a write is scheduled.
    bool isPending() const;
    /// Writes now when there are unsaved edits (or removes the file when there are none).
    bool flush(QString* error = nullptr);

    /// What an instance that is no longer running left behind.
    struct Orphan {
        QString path; ///< the autosave file
        QString name; ///< the design's name
        QString originalFile; ///< the design file it was opened from, if any
        QDateTime written;
    };
    /// Orphans in the folder, newest first. Each returned one is claimed (locked) by this
    /// instance, so that another instance starting now does not offer it too.
    QList<Orphan> orphans();
    /// Loads @p orphan into the document as unsaved edits of its original file, writes it at once
    /// as this instance's autosave and removes the orphan. On failure returns false with @p error.
    bool restore(const Orphan& orphan, QString* error = nullptr);
    /// Deletes @p orphan.
    void discard(const Orphan& orphan);

    /// How the app start treats the newest orphan.
    enum class Offer {
        Ask, ///< a dialog: Restore, Discard, or Not Now (kept for the next start)
        Restore, ///< restore without asking (`--restore-autosave`, tests)
        Keep, ///< leave it for later (no display to ask on)
    };
    /// Offers the newest orphan back; returns whether one was restored.
    bool offerRestore(Offer offer, QWidget* parent = nullptr);

signals:
    /// After each successful write, with the file's path.
    void written(const QString& path);

private:
    void onChanged();
    void remove();

    Document* m_document;
    QString m_folder;
    QString m_path;
    QTimer* m_timer;
    std::unique_ptr<QLockFile> m_lock;
    std::vector<std::unique_ptr<QLockFile>> m_claimed;
};

} // namespace paramscope::ui
