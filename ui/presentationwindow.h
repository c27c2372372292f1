// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class QLabel;
class QTreeView;

namespace paramscope::ui {

class ArchitectureModel;
class DerivationPane;
class DiagramWidget;
class Document;

/// Presentation mode: full screen, large type, high contrast, and only what a lecture needs — the
/// total, the tree, the derivation of the selected module and the architecture diagram. The arrow
/// keys step through the modules in tree order, each step showing its derivation; Esc (or F5)
/// leaves. It shares the main window's model and selection, so both always show the same module.
class PresentationWindow : public QWidget {
    Q_OBJECT

public:
    PresentationWindow(Document* document, ArchitectureModel* model, QTreeView* mainTree, QWidget* parent = nullptr);

    /// Selects the module @p steps after (or before, when negative) the current one, in tree order
    /// (pre-order), stopping at the first and the last. Returns the node now current.
    int step(int steps);
    /// The node shown (Module::index), -1 with none.
    int currentNode() const;

    DerivationPane* derivationPane() const { return m_derivation; }
    DiagramWidget* diagram() const { return m_diagram; }
    QTreeView* tree() const { return m_tree; }
    QLabel* totalLabel() const { return m_total; }

signals:
    /// Esc or F5: the window wants to close.
    void leaveRequested();

protected:
    void keyPressEvent(QKeyEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void updateTotal();
    void onCurrentChanged();

    Document* m_document;
    ArchitectureModel* m_model;
    QTreeView* m_mainTree;
    QLabel* m_total;
    QLabel* m_hint;
    QTreeView* m_tree;
    DerivationPane* m_derivation;
    DiagramWidget* m_diagram;
};

} // namespace paramscope::ui
