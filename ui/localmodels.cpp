// SPDX-License-Identifier: MIT
#include "localmodels.h"

#include "weights/checkpoint.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>

namespace paramscope::ui {

QString huggingFaceHub()
{
    if (const QString cache = qEnvironmentVariable("HF_HUB_CACHE"); !cache.isEmpty())
        return cache;
    if (const QString home = qEnvironmentVariable("HF_HOME"); !home.isEmpty())
        return QDir(home).filePath(QStringLiteral("hub"));
    if (const QString xdg = qEnvironmentVariable("XDG_CACHE_HOME"); !xdg.isEmpty())
        return QDir(xdg).filePath(QStringLiteral("huggingface/hub"));
    return QDir::home().filePath(QStringLiteral(".cache/huggingface/hub"));
}

QList<LocalModel> localModels(const QString& hub)
{
    QList<LocalModel> out;
    const QDir root(hub);
    const QStringList repos
        = root.entryList({ QStringLiteral("models--*") }, QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QString& repo : repos) {
        const QDir dir(root.filePath(repo));
        // "models--openai-community--gpt2": the id's "/" is "--" in the folder name.
        QString id = repo.mid(8);
        if (const auto sep = id.indexOf(QStringLiteral("--")); sep > 0)
            id.replace(sep, 2, QLatin1Char('/'));
        QFile ref(dir.filePath(QStringLiteral("refs/main")));
        QString main;
        if (ref.open(QIODevice::ReadOnly))
            main = QString::fromUtf8(ref.readAll()).trimmed();
        QFileInfoList snapshots = QDir(dir.filePath(QStringLiteral("snapshots")))
                                      .entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Time);
        std::stable_partition(
            snapshots.begin(), snapshots.end(), [&](const QFileInfo& s) { return s.fileName() == main; });
        for (const QFileInfo& s : snapshots) {
            if (!QFileInfo(QDir(s.filePath()).filePath(QStringLiteral("config.json"))).isFile())
                continue;
            out.push_back({ id, s.filePath(), s.fileName(), core::hasCheckpoint(s.filePath().toStdString()) });
            break;
        }
    }
    return out;
}

LocalModelDialog::LocalModelDialog(const QString& hub, QWidget* parent)
    : QDialog(parent)
    , m_models(localModels(hub))
    , m_list(new QListWidget(this))
{
    setWindowTitle(tr("Open Local Model"));
    auto* layout = new QVBoxLayout(this);
    auto* where = new QLabel(m_models.isEmpty()
            ? tr("No model with a config.json in %1").arg(QDir::toNativeSeparators(hub))
            : tr("Models in the Hugging Face cache (%1):").arg(QDir::toNativeSeparators(hub)),
        this);
    where->setWordWrap(true);
    layout->addWidget(where);
    m_list->setObjectName(QStringLiteral("localModels"));
    for (const LocalModel& m : m_models) {
        auto* item = new QListWidgetItem(
            m.hasWeights ? tr("%1 — config and weights").arg(m.id) : tr("%1 — config only").arg(m.id), m_list);
        item->setToolTip(QDir::toNativeSeparators(m.folder));
    }
    m_list->setCurrentRow(m_models.isEmpty() ? -1 : 0);
    layout->addWidget(m_list, 1);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Open | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Open)->setEnabled(!m_models.isEmpty());
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_list, &QListWidget::itemActivated, this, &QDialog::accept);
    layout->addWidget(buttons);
    resize(fontMetrics().averageCharWidth() * 80, fontMetrics().height() * 24);
}

LocalModel LocalModelDialog::selected() const
{
    const int row = m_list->currentRow();
    return row >= 0 && row < m_models.size() ? m_models[row] : LocalModel {};
}

} // namespace paramscope::ui
