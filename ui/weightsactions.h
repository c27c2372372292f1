// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

class QMenu;

namespace paramscope::ui {

class MainWindow;
class WeightsCheck;

/// Adds to @p menu (File): Verify Against Weights… (a .safetensors, an index or a .gguf), Verify
/// Against Weights Folder…, Detach Weights, and Open Local Model… (a model of the Hugging Face
/// cache, opened with its weights attached). Each has a shortcut, a tooltip and an object name.
void addWeightsActions(MainWindow* window, QMenu* menu, WeightsCheck* check);

/// Opens @p folder's config.json in @p window and attaches @p folder's weights when it has any.
/// False (and @p error) when the config does not open; a checkpoint that does not read is said
/// in @p error but the model stays open.
bool openModelFolder(MainWindow* window, WeightsCheck* check, const QString& folder, QString* error);

} // namespace paramscope::ui
