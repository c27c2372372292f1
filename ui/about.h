// SPDX-License-Identifier: MIT
#pragma once
// Help ▸ About ParamScope: the icon, version and homepage the desktop files also carry.
#include <QString>

class QMainWindow;
class QMessageBox;
class QWidget;

namespace paramscope::ui {

/// The About box's text (rich text): name and version, what the app does, homepage, licence and
/// the libraries it runs on.
QString aboutText();

/// A window-modal About box over @p parent with the application icon; it deletes itself when
/// closed. The caller shows it (open()).
QMessageBox* createAboutBox(QWidget* parent);

/// Adds the Help menu (About ParamScope, F1; About Qt) to @p window's menu bar.
void addHelpMenu(QMainWindow* window);

} // namespace paramscope::ui
