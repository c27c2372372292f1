// SPDX-License-Identifier: MIT
#pragma once

#include "source.h"

#include <QFont>
#include <QMainWindow>

#include <array>
#include <functional>

class QAction;
class QLabel;
class QListWidget;
class QMenu;
class QSplitter;
class QTabWidget;
class QTreeView;

class QScrollArea;

namespace paramscope::ui {

class ArchitectureModel;
class Document;
class HyperparameterPanel;
class LectureTools;
class ModuleEditor;
class SizingPanel;
class SummaryWidget;
class WeightsCheck;

/// The ParamScope window: presets and hyperparameters on the left; the total, the architecture
/// tree (and the chart) and the module editor on the right. Owns the Document.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Loads a preset name, a design file, a Hugging Face config.json or a folder holding one,
    /// asking first when unsaved edits would be lost. On failure returns false and sets @p error.
    /// Opens a preset, design file, config.json or folder; @p load picks a config's class or a family
    /// to count an unknown model_type with (the command line's --class and --as).
    bool openSource(
        const QString& source, QString* error = nullptr, bool ask = true, const core::LoadOptions& load = {});
    /// Applies NAME=VALUE (as --set does) as one undoable step.
    bool applySetting(const QString& setting, QString* error = nullptr);
    /// Renders the window as shown, at @p size and font @p zoom, into @p file (PNG). Leaves the
    /// window headless: no dialogs, no settings written.
    bool saveScreenshot(const QString& file, QSize size, double zoom = 1.0, QString* error = nullptr);
    /// Sets the font zoom factor (1 = the system font) and remembers it.
    void setZoom(double factor);
    double zoom() const { return m_zoom; }
    /// Shows the growth chart (true) or the architecture tree.
    void showChart(bool chart);
    /// Shows the Sizing tab (memory and compute).
    void showSizing();
    SizingPanel* sizingPanel() const { return m_sizing; }
    /// Selects (and shows) the module at dotted @p path ("transformer.h.*.attn").
    bool selectPath(const QString& path);

    Document* document() const { return m_document; }
    ArchitectureModel* model() const { return m_model; }
    QTreeView* treeView() const { return m_tree; }
    HyperparameterPanel* hyperparameterPanel() const { return m_panel; }
    SummaryWidget* summary() const { return m_summary; }
    ModuleEditor* moduleEditor() const { return m_editor; }
    /// The Architecture / Growth chart / Diagram tabs.
    QTabWidget* tabs() const { return m_tabs; }
    /// Derivation pane, diagram, Compare With… and presentation mode (lecturetools.h).
    LectureTools* lectureTools() const { return m_lecture; }
    /// The checkpoint attached by File ▸ Verify Against Weights (weightsactions.cpp).
    WeightsCheck* weightsCheck() const { return m_weights; }
    QAction* action(const QString& objectName) const;
    /// What Edit ▸ Copy puts on the clipboard for the selected row: its path, shape, whole
    /// formula and count, tab-separated (or the formula alone); empty with no selection.
    QString selectedText(bool formulaOnly = false) const;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void closeEvent(QCloseEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createActions();
    void createPresetList();
    /// Column widths that keep formulas and counts whole where possible (the formula stretches).
    std::array<int, 5> fittedWidths() const;
    /// The width the leaves' formulas need (containers' can be far longer, and are elided).
    int leafFormulaWidth() const;
    /// Applies fittedWidths(); with @p growOnly, only widens (keeps what the user chose).
    void fitColumns(bool growOnly = false);
    void scheduleFitColumns();
    void balanceColumns();
    int panelWidthNeeded() const;
    void keepPanelWhole();
    void updateTitle();
    void updateZoomLabel();
    void copySelected(bool formulaOnly);
    void updateActions();
    void onCurrentChanged();
    void onDocumentReset();
    void onDocumentChanged();
    bool maybeSave();
    bool save();
    bool saveAs();
    void exportTable();
    void open();
    void addRecentFile(const QString& path);
    void updateRecentMenu();
    void readSettings();
    void writeSettings();
    int currentNode() const;
    void selectNode(int node);
    void showError(const QString& title, const QString& message);
    /// Runs a structural edit on the current node through the document; selects @p select after.
    void edit(const QString& text, const std::function<bool(int node, QString* error)>& run);

    Document* m_document;
    ArchitectureModel* m_model;
    QTreeView* m_tree;
    HyperparameterPanel* m_panel;
    SummaryWidget* m_summary;
    QScrollArea* m_summaryScroll = nullptr;
    ModuleEditor* m_editor;
    WeightsCheck* m_weights;
    QListWidget* m_presets;
    QTabWidget* m_tabs;
    QWidget* m_chart = nullptr;
    SizingPanel* m_sizing = nullptr;
    QSplitter* m_mainSplitter;
    QSplitter* m_leftSplitter;
    QSplitter* m_treeSplitter;
    QMenu* m_recentMenu = nullptr;
    LectureTools* m_lecture = nullptr;
    QLabel* m_zoomLabel = nullptr;
    QString m_sourcePath; ///< the file or folder the design was read from; empty for a preset
    QFont m_baseFont;
    double m_zoom = 1.0;
    bool m_headless = false;
    bool m_fitPending = false;
    bool m_growPending = false;
};

} // namespace paramscope::ui
