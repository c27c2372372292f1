// SPDX-License-Identifier: MIT
#pragma once

#include "breakdown.h"
#include "derivation.h"

#include <QColor>
#include <QRectF>
#include <QString>
#include <QStringList>

#include <vector>

namespace paramscope::ui {

/// A module named inside a box: "q_proj 16.78M".
struct DiagramChip {
    QRectF rect;
    int node = -1;
    QString text;
};

/// One box of the architecture diagram, in the diagram's own coordinates.
struct DiagramBox {
    enum class Kind { Embedding, Norm, Attention, Mlp, Experts, Residual, Head, Vision, Projector, Other };
    Kind kind = Kind::Other;
    QRectF rect;
    int node = -1; ///< Module::index, or -1 (a residual add holds no parameters)
    core::Component component = core::Component::Other;
    QString title; ///< "attn: GPT2Attention"
    QString detail; ///< "H = 12 heads · D = 64"; empty when nothing to add
    QString formula; ///< "4E² + 4E = 2,362,368"
    QString share; ///< "22.8 % of the total (× 12)"
    double fraction = 0; ///< overall / total, for the colour and the bar
    bool tied = false; ///< shares its weight (drawn dashed)
    std::vector<DiagramChip> chips;
};

/// A line between boxes; residual connections run in the lane beside the block.
struct DiagramArrow {
    std::vector<QPointF> points; ///< a polyline, the arrow head at the last point
    bool dashed = false; ///< a tie, not a data flow
    QString label;
};

/// The repeated block, drawn as a frame around what it holds: "× L = 12".
struct DiagramFrame {
    QRectF rect;
    int node = -1;
    QString label; ///< "12 × GPT2Block  (L = 12)"
    QString detail; ///< "7,087,872 each · 85,054,464 in all · 68.35 %"
};

/// The block diagram of a design: embeddings, the repeated block with its norms, attention,
/// residual adds and MLP or experts, the final norm, the head; a vision tower and projector
/// beside it where the design has them. Geometry in logical pixels (size), scaled when drawn.
struct Diagram {
    QSizeF size;
    QString title; ///< "GPT-2 small · 124,439,808 parameters"
    QString subtitle; ///< the hyperparameters
    std::vector<DiagramBox> boxes;
    std::vector<DiagramArrow> arrows;
    std::vector<DiagramFrame> frames;
    std::vector<QPair<QPointF, QString>> labels; ///< "tokens", "logits", "image"

    /// The node drawn at @p point (a chip before its box, a box before a frame), or -1.
    int nodeAt(QPointF point) const;
    /// The rectangle that shows @p node, if it is drawn.
    QRectF rectOf(int node) const;
};

/// Lays out the diagram of @p counted (titled @p name). Pure: fonts are the diagram's own pixel
/// sizes, so the layout is the same on any screen and in any export.
Diagram buildDiagram(const core::CountedRef& counted, const QString& name);

} // namespace paramscope::ui
