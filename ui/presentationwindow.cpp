// SPDX-License-Identifier: MIT
#include "presentationwindow.h"

#include "architecturemodel.h"
#include "derivationpane.h"
#include "diagramwidget.h"
#include "document.h"
#include "report.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTreeView>
#include <QVBoxLayout>

namespace paramscope::ui {

namespace {

QString qs(const std::string& s)
{
    return QString::fromStdString(s);
}

/// White on black with a yellow selection: readable from the back of a lecture hall.
QPalette highContrast()
{
    QPalette p;
    const QColor black(0x0b, 0x0d, 0x12), white(0xff, 0xff, 0xff), yellow(0xff, 0xd5, 0x4f);
    for (auto group : { QPalette::Active, QPalette::Inactive, QPalette::Disabled }) {
        p.setColor(group, QPalette::Window, black);
        p.setColor(group, QPalette::Base, black);
        p.setColor(group, QPalette::AlternateBase, QColor(0x1a, 0x1e, 0x28));
        p.setColor(group, QPalette::WindowText, white);
        p.setColor(group, QPalette::Text, white);
        p.setColor(group, QPalette::ButtonText, white);
        p.setColor(group, QPalette::Button, QColor(0x22, 0x26, 0x30));
        p.setColor(group, QPalette::Highlight, yellow);
        p.setColor(group, QPalette::HighlightedText, black);
        p.setColor(group, QPalette::PlaceholderText, QColor(0xc8, 0xc8, 0xc8));
        p.setColor(group, QPalette::Link, yellow);
    }
    return p;
}

/// The model gives each cell a font at the application's size (bold, monospace); here it is drawn
/// at the view's large size, keeping its weight and family.
class LargeTypeDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        if (const auto* view = qobject_cast<const QWidget*>(parent()))
            option->font.setPointSizeF(view->font().pointSizeF());
        option->fontMetrics = QFontMetrics(option->font);
    }
};

} // namespace

PresentationWindow::PresentationWindow(
    Document* document, ArchitectureModel* model, QTreeView* mainTree, QWidget* parent)
    : QWidget(parent, Qt::Window)
    , m_document(document)
    , m_model(model)
    , m_mainTree(mainTree)
    , m_total(new QLabel(this))
    , m_hint(new QLabel(this))
    , m_tree(new QTreeView(this))
    , m_derivation(new DerivationPane(document, this))
    , m_diagram(new DiagramWidget(document, this))
{
    setObjectName(QStringLiteral("presentation"));
    setWindowTitle(tr("ParamScope — Presentation"));
    setPalette(highContrast());
    setAutoFillBackground(true);
    QFont big = font();
    big.setPointSizeF(std::max(18.0, big.pointSizeF() * 1.8));
    setFont(big);

    m_total->setObjectName(QStringLiteral("presentationTotal"));
    QFont huge = big;
    huge.setPointSizeF(big.pointSizeF() * 1.6);
    huge.setBold(true);
    m_total->setFont(huge);
    m_hint->setText(tr("← → step through the modules · Esc leaves"));
    QFont small = big;
    small.setPointSizeF(big.pointSizeF() * 0.6);
    m_hint->setFont(small);
    m_hint->setAlignment(Qt::AlignRight | Qt::AlignVCenter);

    // The same model and selection as the main window: one current module for both.
    m_tree->setObjectName(QStringLiteral("presentationTree"));
    m_tree->setModel(model);
    m_tree->setSelectionModel(mainTree->selectionModel());
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tree->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_tree->setColumnHidden(ArchitectureModel::ShapeColumn, true);
    m_tree->setColumnHidden(ArchitectureModel::ShareColumn, true);
    m_tree->setColumnHidden(ArchitectureModel::FormulaColumn, true);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(ArchitectureModel::ModuleColumn, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(ArchitectureModel::ParametersColumn, QHeaderView::ResizeToContents);
    m_tree->installEventFilter(this);
    m_tree->setItemDelegate(new LargeTypeDelegate(m_tree));
    m_tree->setIndentation(QFontMetrics(big).height());

    m_derivation->setPresentation(true);
    m_diagram->setDark(true);
    connect(m_diagram, &DiagramWidget::nodeClicked, this,
        [this](int node) { m_mainTree->setCurrentIndex(m_model->indexOfNode(node)); });
    connect(
        mainTree->selectionModel(), &QItemSelectionModel::currentChanged, this, &PresentationWindow::onCurrentChanged);
    connect(m_document, &Document::changed, this, &PresentationWindow::updateTotal);
    connect(m_document, &Document::resetDone, this, [this] {
        m_tree->expandToDepth(4);
        updateTotal();
    });

    // The diagram is tall: it takes the right half, whole; the tree and the derivation share the left.
    auto* left = new QSplitter(Qt::Vertical, this);
    left->addWidget(m_tree);
    left->addWidget(m_derivation);
    left->setStretchFactor(0, 3);
    left->setStretchFactor(1, 2);
    auto* body = new QSplitter(Qt::Horizontal, this);
    body->addWidget(left);
    body->addWidget(m_diagram);
    body->setStretchFactor(0, 2);
    body->setStretchFactor(1, 3);

    auto* top = new QHBoxLayout;
    top->addWidget(m_total, 1);
    top->addWidget(m_hint);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(24, 16, 24, 16);
    layout->addLayout(top);
    layout->addWidget(body, 1);

    // Keys go to the tree (whose filter turns them into steps), never to the derivation's text.
    for (QWidget* w : findChildren<QWidget*>())
        if (w != m_tree)
            w->setFocusPolicy(Qt::NoFocus);
    setFocusProxy(m_tree);

    m_tree->expandToDepth(4);
    updateTotal();
    onCurrentChanged();
}

int PresentationWindow::currentNode() const
{
    const core::Module* m = m_model->moduleFromIndex(m_mainTree->currentIndex());
    return m ? m->index : -1;
}

int PresentationWindow::step(int steps)
{
    const int count = static_cast<int>(m_document->design().nodes().size());
    if (count == 0)
        return -1;
    const int node = std::clamp(currentNode() + steps, 0, count - 1);
    const QModelIndex index = m_model->indexOfNode(node);
    // Pre-order is the tree's order: show the step, opening what holds it.
    m_tree->scrollTo(index);
    m_mainTree->selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    return node;
}

void PresentationWindow::keyPressEvent(QKeyEvent* event)
{
    switch (event->key()) {
    case Qt::Key_Right:
    case Qt::Key_Down:
    case Qt::Key_Space:
    case Qt::Key_PageDown:
        step(1);
        return;
    case Qt::Key_Left:
    case Qt::Key_Up:
    case Qt::Key_Backspace:
    case Qt::Key_PageUp:
        step(-1);
        return;
    case Qt::Key_Home:
        step(-currentNode());
        return;
    case Qt::Key_Escape:
    case Qt::Key_F5:
        emit leaveRequested();
        return;
    default:
        QWidget::keyPressEvent(event);
    }
}

bool PresentationWindow::eventFilter(QObject* watched, QEvent* event)
{
    // The tree would take the arrow keys for itself (and Left would fold a branch): steps are ours.
    if (watched == m_tree && event->type() == QEvent::KeyPress) {
        keyPressEvent(static_cast<QKeyEvent*>(event));
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

void PresentationWindow::updateTotal()
{
    const auto& e = m_document->evaluation();
    QString text = tr("%1 — %2 parameters").arg(m_document->displayName(), qs(core::groupDigits(e.total)));
    if (e.sparse)
        text += tr(" (%1 active)").arg(qs(core::compactCount(e.active)));
    if (m_document->error())
        text += tr("  (values invalid: last valid count)");
    m_total->setText(text);
}

void PresentationWindow::onCurrentChanged()
{
    const int node = currentNode();
    // The current row is the one highlighted, whatever a click elsewhere left selected.
    const QModelIndex current = m_mainTree->currentIndex();
    if (current.isValid() && !m_mainTree->selectionModel()->isRowSelected(current.row(), current.parent()))
        m_mainTree->selectionModel()->select(current, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_derivation->setNode(node);
    m_diagram->setSelected(node);
}

} // namespace paramscope::ui
