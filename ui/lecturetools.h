// SPDX-License-Identifier: MIT
#pragma once

#include "presentationwindow.h"
#include <QObject>

#include <QPointer>
#include <QSize>

class QDockWidget;

namespace paramscope::ui {

class CompareWidget;
class DerivationPane;
class DiagramWidget;
class MainWindow;

/// What the main window has for the lecture hall, kept out of mainwindow.cpp: the Derivation pane
/// (a dock following the selection and the sliders), the Diagram tab, View ▸ Compare With… (a dock
/// beside the tree), Export Diagram… and Presentation mode (F5).
class LectureTools : public QObject {
    Q_OBJECT

public:
    explicit LectureTools(MainWindow* window);

    DerivationPane* derivationPane() const { return m_derivation; }
    DiagramWidget* diagram() const { return m_diagram; }
    CompareWidget* compare() const { return m_compare; }
    QDockWidget* compareDock() const { return m_compareDock; }
    /// The presentation window while presenting, else nullptr.
    PresentationWindow* presentation() const { return m_presentation; }
    bool isPresenting() const { return m_presentation != nullptr; }

    /// Enters (full screen) or leaves presentation mode.
    void setPresenting(bool on);
    /// Shows the Diagram tab.
    void showDiagram();
    /// Compares the open design with @p source and shows the Compare dock.
    bool compareWith(const QString& source, QString* error = nullptr);
    /// Writes the diagram (.svg, .pdf, .png).
    bool exportDiagram(const QString& file, QString* error = nullptr);
    /// Renders presentation mode at @p size into @p file (PNG), for `paramscope --present --screenshot`.
    bool savePresentationScreenshot(const QString& file, QSize size, QString* error = nullptr);

private:
    void createActions();
    void askCompareWith();
    void askExportDiagram();
    void selectNode(int node);

    MainWindow* m_window;
    DerivationPane* m_derivation;
    DiagramWidget* m_diagram;
    CompareWidget* m_compare;
    QDockWidget* m_derivationDock;
    QDockWidget* m_compareDock;
    QPointer<PresentationWindow> m_presentation;
    bool m_headless = false;
};

} // namespace paramscope::ui
