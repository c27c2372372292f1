// SPDX-License-Identifier: MIT
#include "diagramwidget.h"

#include "document.h"

#include <QMouseEvent>
#include <QPainter>

namespace paramscope::ui {

DiagramWidget::DiagramWidget(Document* document, QWidget* parent)
    : QWidget(parent)
    , m_document(document)
{
    setObjectName(QStringLiteral("diagram"));
    setMouseTracking(true);
    setMinimumSize(240, 240);
    setToolTip(tr("The architecture as a block diagram: click a box to select its module"));
    connect(m_document, &Document::changed, this, &DiagramWidget::onChanged);
    connect(m_document, &Document::resetDone, this, &DiagramWidget::onChanged);
}

void DiagramWidget::setSelected(int node)
{
    if (node == m_style.selected)
        return;
    m_style.selected = node;
    update();
}

void DiagramWidget::setDark(bool dark)
{
    m_style.dark = dark;
    update();
}

const Diagram& DiagramWidget::diagram()
{
    if (m_dirty)
        rebuild();
    return m_diagram;
}

QRect DiagramWidget::nodeRect(int node)
{
    const QRectF r = diagram().rectOf(node);
    return r.isEmpty() ? QRect() : transform().mapRect(r).toAlignedRect();
}

bool DiagramWidget::exportTo(const QString& file, QString* error)
{
    return exportDiagram(diagram(), file, 2.0, error);
}

void DiagramWidget::onChanged()
{
    m_dirty = true;
    // Hidden views skip the work and catch up when shown.
    if (isVisible())
        update();
}

void DiagramWidget::rebuild()
{
    m_dirty = false;
    const core::Design& design = m_document->design();
    if (!m_document->countsValid() || m_document->evaluation().nodes.size() != design.nodes().size()) {
        // Keep the last picture: the values do not evaluate (the panel says why).
        return;
    }
    m_diagram = buildDiagram(
        core::CountedRef { design, m_document->evaluation(), m_document->formulas() }, m_document->displayName());
}

QTransform DiagramWidget::transform() const
{
    if (m_diagram.size.isEmpty())
        return {};
    const QRectF target = rect();
    const double scale = std::min(target.width() / m_diagram.size.width(), target.height() / m_diagram.size.height());
    QTransform t;
    t.translate(
        (target.width() - m_diagram.size.width() * scale) / 2, (target.height() - m_diagram.size.height() * scale) / 2);
    t.scale(scale, scale);
    return t;
}

void DiagramWidget::paintEvent(QPaintEvent*)
{
    if (m_dirty)
        rebuild();
    QPainter p(this);
    paintDiagram(p, m_diagram, rect(), m_style);
}

void DiagramWidget::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton)
        return QWidget::mousePressEvent(event);
    const int node = diagram().nodeAt(transform().inverted().map(event->position()));
    if (node >= 0)
        emit nodeClicked(node);
}

void DiagramWidget::mouseMoveEvent(QMouseEvent* event)
{
    const int node = diagram().nodeAt(transform().inverted().map(event->position()));
    setCursor(node >= 0 ? Qt::PointingHandCursor : Qt::ArrowCursor);
    QWidget::mouseMoveEvent(event);
}

void DiagramWidget::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_dirty)
        update();
}

} // namespace paramscope::ui
