// SPDX-License-Identifier: MIT
#include "weightsactions.h"

#include "architecturemodel.h"
#include "localmodels.h"
#include "mainwindow.h"
#include "weights/checkpoint.h"
#include "weightscheck.h"

#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QStatusBar>
#include <QTreeView>

namespace paramscope::ui {

namespace {

QAction* makeAction(
    MainWindow* window, const QString& name, const QString& text, const QKeySequence& key, const QString& tip)
{
    auto* a = new QAction(text, window);
    a->setObjectName(name);
    a->setShortcut(key);
    a->setToolTip(QStringLiteral("%1 (%2)").arg(tip, key.toString(QKeySequence::NativeText)));
    a->setStatusTip(tip);
    window->addAction(a);
    return a;
}

void attach(MainWindow* window, WeightsCheck* check, const QString& path)
{
    QString error;
    if (!check->attach(path, &error)) {
        QMessageBox::warning(window, QObject::tr("Verify Against Weights"), error);
        return;
    }
    const core::Verification* v = check->result();
    window->statusBar()->showMessage(v && v->ok()
            ? QObject::tr("Verified against %1: every parameter is there").arg(QDir::toNativeSeparators(path))
            : QObject::tr("Verified against %1: see the Stored column").arg(QDir::toNativeSeparators(path)),
        8000);
}

/// Where to start looking: the folder the design came from, when it has weights.
QString startFolder(MainWindow* window)
{
    const QString source = window->windowFilePath();
    if (source.isEmpty())
        return QDir::homePath();
    return QFileInfo(source).isDir() ? source : QFileInfo(source).absolutePath();
}

} // namespace

bool openModelFolder(MainWindow* window, WeightsCheck* check, const QString& folder, QString* error)
{
    if (!window->openSource(folder, error))
        return false;
    if (core::hasCheckpoint(folder.toStdString()) && !check->attach(folder, error))
        return true; // the model is open; error says why its weights are not attached
    return true;
}

void addWeightsActions(MainWindow* window, QMenu* menu, WeightsCheck* check)
{
    QAction* local = makeAction(window, QStringLiteral("openLocalModel"), QObject::tr("Open &Local Model…"),
        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O),
        QObject::tr("Open a model of the Hugging Face cache with its weights attached"));
    QObject::connect(local, &QAction::triggered, window, [window, check] {
        LocalModelDialog dialog(huggingFaceHub(), window);
        if (dialog.exec() != QDialog::Accepted || dialog.selected().folder.isEmpty())
            return;
        QString error;
        const bool opened = openModelFolder(window, check, dialog.selected().folder, &error);
        if (!error.isEmpty())
            QMessageBox::warning(window, opened ? QObject::tr("Verify Against Weights") : QObject::tr("Open"), error);
    });
    menu->addAction(local);

    QAction* verify = makeAction(window, QStringLiteral("verifyWeights"), QObject::tr("&Verify Against Weights…"),
        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_W),
        QObject::tr("Check every module against a checkpoint's tensors (.safetensors, index or .gguf; headers only)"));
    QObject::connect(verify, &QAction::triggered, window, [window, check] {
        const QString path
            = QFileDialog::getOpenFileName(window, QObject::tr("Verify Against Weights"), startFolder(window),
                QObject::tr("Checkpoints (*.safetensors *.safetensors.index.json *.gguf);;All files (*)"));
        if (!path.isEmpty())
            attach(window, check, path);
    });
    menu->addAction(verify);

    QAction* folder = makeAction(window, QStringLiteral("verifyWeightsFolder"),
        QObject::tr("Verify Against Weights &Folder…"), QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_W),
        QObject::tr("Check every module against the checkpoint in a folder (its index, shards or .gguf)"));
    QObject::connect(folder, &QAction::triggered, window, [window, check] {
        const QString path = QFileDialog::getExistingDirectory(
            window, QObject::tr("Verify Against Weights Folder"), startFolder(window));
        if (!path.isEmpty())
            attach(window, check, path);
    });
    menu->addAction(folder);

    QAction* detach = makeAction(window, QStringLiteral("detachWeights"), QObject::tr("&Detach Weights"),
        QKeySequence(Qt::CTRL | Qt::ALT | Qt::SHIFT | Qt::Key_W), QObject::tr("Hide the Stored column"));
    detach->setEnabled(false);
    QObject::connect(detach, &QAction::triggered, check, &WeightsCheck::detach);
    QObject::connect(check, &WeightsCheck::attachedChanged, detach, &QAction::setEnabled);
    menu->addAction(detach);
}

} // namespace paramscope::ui
