// SPDX-License-Identifier: MIT
#pragma once

#include "diagram.h"
#include "diagramrender.h"

#include <QTransform>
#include <QWidget>

namespace paramscope::ui {

class Document;

/// The architecture diagram of the document's design, live: every change (a slider step, an edit)
/// redraws it, at once when shown and on showing otherwise. Clicking a box (or a module named in
/// one) emits nodeClicked() with its Module::index.
class DiagramWidget : public QWidget {
    Q_OBJECT

public:
    explicit DiagramWidget(Document* document, QWidget* parent = nullptr);

    /// Outlines node @p node (-1: none).
    void setSelected(int node);
    int selected() const { return m_style.selected; }
    /// The dark, high-contrast page of presentation mode.
    void setDark(bool dark);
    /// The diagram as drawn now (rebuilt first if the document changed while hidden).
    const Diagram& diagram();
    /// Where node @p node is drawn, in widget coordinates (empty when not drawn).
    QRect nodeRect(int node);
    /// Writes the diagram to @p file (.svg, .pdf, .png), as paramscope-cli diagram does.
    bool exportTo(const QString& file, QString* error = nullptr);

signals:
    void nodeClicked(int node);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void onChanged();
    void rebuild();
    QTransform transform() const;

    Document* m_document;
    Diagram m_diagram;
    DiagramStyle m_style;
    bool m_dirty = true;
};

} // namespace paramscope::ui
