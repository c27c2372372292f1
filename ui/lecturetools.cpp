// SPDX-License-Identifier: MIT
#include "lecturetools.h"

#include "architecturemodel.h"
#include "comparewidget.h"
#include "derivationpane.h"
#include "diagramwidget.h"
#include "document.h"
#include "mainwindow.h"
#include "presentationwindow.h"
#include "presets.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QFileDialog>
#include <QInputDialog>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QScrollArea>
#include <QStatusBar>
#include <QTabWidget>
#include <QTreeView>

namespace paramscope::ui {

LectureTools::LectureTools(MainWindow* window)
    : QObject(window)
    , m_window(window)
    , m_derivation(new DerivationPane(window->document(), window))
    , m_diagram(new DiagramWidget(window->document(), window))
    , m_compare(new CompareWidget(window->document(), window))
    , m_derivationDock(new QDockWidget(tr("Derivation"), window))
    , m_compareDock(new QDockWidget(tr("Compare"), window))
{
    setObjectName(QStringLiteral("lectureTools"));
    m_derivationDock->setObjectName(QStringLiteral("derivationDock"));
    // In a scroll area, as the module editor is: zooming its text must never grow the window.
    auto* scroll = new QScrollArea(m_derivationDock);
    scroll->setWidget(m_derivation);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_derivationDock->setWidget(scroll);
    window->addDockWidget(Qt::BottomDockWidgetArea, m_derivationDock);
    // Hidden until asked for (View ▸ Derivation, Ctrl+Alt+I; then remembered with the layout): the
    // window's layout keeps the tree's formulas whole at every zoom, and a dock shown from the
    // start would take that room. Presentation mode always shows the derivation.
    m_derivationDock->hide();
    m_compareDock->setObjectName(QStringLiteral("compareDock"));
    auto* compareScroll = new QScrollArea(m_compareDock);
    compareScroll->setWidget(m_compare);
    compareScroll->setWidgetResizable(true);
    compareScroll->setFrameShape(QFrame::NoFrame);
    m_compareDock->setWidget(compareScroll);
    window->addDockWidget(Qt::RightDockWidgetArea, m_compareDock);
    m_compareDock->hide();

    window->tabs()->addTab(m_diagram, tr("Diagram"));

    // The pane and the diagram follow the tree's current module; a click in the diagram sets it.
    QTreeView* tree = window->treeView();
    connect(tree->selectionModel(), &QItemSelectionModel::currentChanged, this, [this, window] {
        const core::Module* m = window->model()->moduleFromIndex(window->treeView()->currentIndex());
        m_derivation->setNode(m ? m->index : -1);
        m_diagram->setSelected(m ? m->index : -1);
    });
    connect(m_diagram, &DiagramWidget::nodeClicked, this, &LectureTools::selectNode);
    connect(
        m_compare, &CompareWidget::pathActivated, window, [window](const QString& path) { window->selectPath(path); });
    createActions();
}

void LectureTools::createActions()
{
    QMenu* view = m_window->findChild<QMenu*>(QStringLiteral("viewMenu"));
    const auto make = [this](const QString& name, const QString& text, const QKeySequence& key, const QString& tip) {
        auto* a = new QAction(text, m_window);
        a->setObjectName(name);
        a->setShortcut(key);
        a->setToolTip(QStringLiteral("%1 (%2)").arg(tip, key.toString(QKeySequence::NativeText)));
        a->setStatusTip(tip);
        m_window->addAction(a);
        return a;
    };
    QAction* present = make(QStringLiteral("presentation"), tr("&Presentation"), QKeySequence(Qt::Key_F5),
        tr("Full screen, large type: the total, the tree, the derivation and the diagram; arrows step, Esc leaves"));
    present->setCheckable(true);
    connect(present, &QAction::triggered, this, [this](bool on) { setPresenting(on); });
    QAction* diagram = make(QStringLiteral("showDiagram"), tr("&Diagram"),
        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D), tr("Show the architecture as a block diagram"));
    connect(diagram, &QAction::triggered, this, &LectureTools::showDiagram);
    QAction* exportDiagram = make(QStringLiteral("exportDiagram"), tr("Export Dia&gram…"),
        QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_D), tr("Write the diagram as SVG, PDF or PNG for slides"));
    connect(exportDiagram, &QAction::triggered, this, &LectureTools::askExportDiagram);
    QAction* compare
        = make(QStringLiteral("compareWith"), tr("Compare &With…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M),
            tr("Put another design beside this one: counts, differences, ratios"));
    connect(compare, &QAction::triggered, this, &LectureTools::askCompareWith);
    QAction* derivation = m_derivationDock->toggleViewAction();
    derivation->setObjectName(QStringLiteral("showDerivation"));
    derivation->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_I));
    derivation->setToolTip(tr("Where the selected module's count comes from (%1)")
                               .arg(derivation->shortcut().toString(QKeySequence::NativeText)));
    if (view) {
        view->addSeparator();
        for (QAction* a : { derivation, diagram, compare, exportDiagram, present })
            view->addAction(a);
    }
}

void LectureTools::selectNode(int node)
{
    const QModelIndex index = m_window->model()->indexOfNode(node);
    if (!index.isValid())
        return;
    m_window->treeView()->setCurrentIndex(index);
    m_window->treeView()->scrollTo(index);
}

void LectureTools::showDiagram()
{
    m_window->tabs()->setCurrentWidget(m_diagram);
}

void LectureTools::setPresenting(bool on)
{
    if (QAction* a = m_window->action(QStringLiteral("presentation")))
        a->setChecked(on);
    if (on == isPresenting())
        return;
    if (!on) {
        m_presentation->hide();
        m_presentation->deleteLater();
        m_presentation = nullptr;
        m_window->activateWindow();
        return;
    }
    m_presentation = new PresentationWindow(m_window->document(), m_window->model(), m_window->treeView(), m_window);
    connect(m_presentation, &PresentationWindow::leaveRequested, this, [this] { setPresenting(false); });
    if (m_headless)
        return; // sized and shown by savePresentationScreenshot()
    m_presentation->showFullScreen();
    m_presentation->activateWindow();
    m_presentation->setFocus();
}

bool LectureTools::compareWith(const QString& source, QString* error)
{
    if (!m_compare->setOther(source, error))
        return false;
    m_compareDock->show();
    m_compareDock->raise();
    return true;
}

bool LectureTools::exportDiagram(const QString& file, QString* error)
{
    return m_diagram->exportTo(file, error);
}

void LectureTools::askCompareWith()
{
    QStringList names;
    for (const core::Preset& p : core::presets())
        names << QString::fromUtf8(p.name.data(), static_cast<qsizetype>(p.name.size()));
    const QString other = tr("Other file…");
    names << other;
    bool ok = false;
    QString choice = QInputDialog::getItem(
        m_window, tr("Compare With"), tr("Put this design beside the open one:"), names, 0, false, &ok);
    if (!ok)
        return;
    if (choice == other) {
        choice = QFileDialog::getOpenFileName(
            m_window, tr("Compare With"), {}, tr("Designs and configs (*.json);;All files (*)"));
        if (choice.isEmpty())
            return;
    }
    QString error;
    if (!compareWith(choice, &error))
        QMessageBox::warning(m_window, tr("Cannot compare"), error);
}

void LectureTools::askExportDiagram()
{
    const QString file = QFileDialog::getSaveFileName(m_window, tr("Export Diagram"),
        m_window->document()->displayName() + QStringLiteral(".svg"), tr("SVG (*.svg);;PDF (*.pdf);;PNG (*.png)"));
    if (file.isEmpty())
        return;
    QString error;
    if (!exportDiagram(file, &error))
        QMessageBox::warning(m_window, tr("Cannot export the diagram"), error);
    else
        m_window->statusBar()->showMessage(tr("Wrote %1").arg(file), 3000);
}

bool LectureTools::savePresentationScreenshot(const QString& file, QSize size, QString* error)
{
    m_headless = true;
    setPresenting(true);
    m_presentation->resize(size);
    m_presentation->show();
    QApplication::processEvents();
    const QPixmap pixmap = m_presentation->grab();
    if (!pixmap.save(file, "PNG")) {
        if (error)
            *error = tr("cannot write %1").arg(file);
        return false;
    }
    return true;
}

} // namespace paramscope::ui
