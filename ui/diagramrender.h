// SPDX-License-Identifier: MIT
#pragma once

#include "diagram.h"

#include <QTransform>

class QPainter;

namespace paramscope::ui {

/// How a diagram is drawn: on a light page (export, the window) or a dark high-contrast one
/// (presentation mode), and which node is selected.
struct DiagramStyle {
    bool dark = false;
    int selected = -1;
};

/// Draws @p d scaled uniformly to fit @p target (centred). Returns the transform used, from the
/// diagram's coordinates to the painter's, so that clicks can be mapped back.
QTransform paintDiagram(QPainter& painter, const Diagram& d, const QRectF& target, const DiagramStyle& style);

/// Writes @p d to @p file: .svg (vector), .pdf (vector, one page its size) or .png (at @p scale
/// times its size). Atomic (QSaveFile). False with @p error on an unknown suffix or a write error.
bool exportDiagram(const Diagram& d, const QString& file, double scale = 2.0, QString* error = nullptr);

} // namespace paramscope::ui
