// SPDX-License-Identifier: MIT
#pragma once

#include <QDialog>
#include <QList>
#include <QString>

class QListWidget;

namespace paramscope::ui {

/// A model in the Hugging Face cache: `models--ORG--NAME/snapshots/REVISION/config.json`.
struct LocalModel {
    QString id; ///< "openai-community/gpt2"
    QString folder; ///< the snapshot folder (config.json and, when downloaded, the weights)
    QString revision; ///< the snapshot's name (a commit hash)
    bool hasWeights = false; ///< .safetensors, an index or .gguf beside config.json
};

/// The cache's hub folder: $HF_HUB_CACHE, else $HF_HOME/hub, else $XDG_CACHE_HOME/huggingface/hub,
/// else ~/.cache/huggingface/hub (as huggingface_hub resolves it).
QString huggingFaceHub();

/// The models under @p hub with a config.json, by id; of several snapshots, the one refs/main
/// names, else the most recently modified.
QList<LocalModel> localModels(const QString& hub);

/// File ▸ Open Local Model: the cache's models, each with whether its weights are there.
class LocalModelDialog : public QDialog {
    Q_OBJECT
public:
    explicit LocalModelDialog(const QString& hub, QWidget* parent = nullptr);
    /// The chosen model (valid after accept()).
    LocalModel selected() const;
    int modelCount() const { return static_cast<int>(m_models.size()); }

private:
    QList<LocalModel> m_models;
    QListWidget* m_list;
};

} // namespace paramscope::ui
