// SPDX-License-Identifier: MIT
#pragma once

#include "chartdata.h"
#include "chartlayout.h"

#include "breakdown.h"

#include <QColor>
#include <QSize>
#include <QString>

class QCustomPlot;

namespace paramscope::ui {

/// Draws @p data as @p spec shows it into @p plot at @p size, with body text of @p fontBase
/// pixels: the curves and markers, then the decorations (title, legend, footer) where
/// layoutChart() puts them, then the marker labels. Returns the layout used (its `omitted` lists
/// what the picture leaves out). The caller replots or writes @p plot.
ChartLayout drawChart(QCustomPlot& plot, const ChartSpec& spec, const ChartData& data, QSize size, int fontBase);

/// The colour of a component's area or curve (and of its legend swatch and tooltip square).
QColor componentColor(core::Component c);

/// Body text size for a file of @p size: readable on a slide, in proportion to the picture.
int exportFontBase(QSize size);

/// Renders @p spec into @p file without a window: .png (at @p size pixels, @p dpi recorded),
/// .svg or .pdf (@p size in points-as-pixels). Needs a QGuiApplication (offscreen is fine).
/// On failure returns false and sets @p error.
bool renderChart(
    const ChartSpec& spec, const QString& file, QSize size = { 1280, 800 }, int dpi = 96, QString* error = nullptr);

} // namespace paramscope::ui
