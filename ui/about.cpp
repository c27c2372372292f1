// SPDX-License-Identifier: MIT
#include "about.h"

#include "appinfo.h"

#include <QAction>
#include <QApplication>
#include <QCoreApplication>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>

namespace paramscope::ui {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("About", text);
}

} // namespace

QString aboutText()
{
    return tr("<h3>ParamScope %1</h3>"
              "<p>Where every parameter of a transformer model lives: the layer tree with each "
              "component's formula and its exact count.</p>"
              "<p>The same counts on the command line: <nobr><tt>paramscope-cli --help</tt></nobr>, "
              "<nobr><tt>man paramscope-cli</tt></nobr>.</p>"
              "<p><a href=\"%2\">%2</a><br>MIT licence</p>"
              "<p><small>Qt %3 (built with %4), QCustomPlot, nlohmann_json, CLI11</small></p>")
        .arg(applicationVersion(), applicationHomepage(), QString::fromLatin1(qVersion()),
            QStringLiteral(QT_VERSION_STR));
}

QMessageBox* createAboutBox(QWidget* parent)
{
    auto* box = new QMessageBox(parent);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setObjectName(QStringLiteral("aboutBox"));
    box->setWindowTitle(tr("About ParamScope"));
    box->setTextFormat(Qt::RichText);
    box->setText(aboutText());
    box->setIconPixmap(applicationIcon().pixmap(64, 64));
    box->setStandardButtons(QMessageBox::Close);
    return box;
}

void addHelpMenu(QMainWindow* window)
{
    QMenu* help = window->menuBar()->addMenu(tr("&Help"));
    help->setToolTipsVisible(true);
    // Named actions carry a shortcut and a tooltip, as every action of the window does.
    auto* about = new QAction(tr("&About ParamScope"), window);
    about->setObjectName(QStringLiteral("about"));
    about->setShortcut(QKeySequence::HelpContents);
    about->setToolTip(
        tr("Version, homepage and licence (%1)").arg(about->shortcut().toString(QKeySequence::NativeText)));
    about->setMenuRole(QAction::AboutRole);
    QObject::connect(about, &QAction::triggered, window, [window] { createAboutBox(window)->open(); });
    help->addAction(about);
    window->addAction(about);
    QAction* aboutQt = help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
    aboutQt->setMenuRole(QAction::AboutQtRole);
}

} // namespace paramscope::ui
