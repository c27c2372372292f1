// SPDX-License-Identifier: MIT
#pragma once

#include "chartdata.h"

#include <QFont>
#include <QRect>
#include <QSize>
#include <QString>
#include <QStringList>

#include <vector>

namespace paramscope::ui {

/// The smallest share of the chart's width and height the data rectangle keeps: the legend,
/// subtitle, axis titles and footer wrap, shorten or leave the picture before the axes shrink more.
inline constexpr double kMinPlotWidthShare = 0.5;
inline constexpr double kMinPlotHeightShare = 0.4;

/// The width of @p text in @p font, remembered: a slider step lays out and labels the chart again
/// with the same texts, and shaping them anew each time would take most of the step.
double textAdvance(const QFont& font, const QString& text);

/// Font sizes in pixels, from one base size (the body text).
struct ChartFonts {
    int base = 13;
    QFont font(double factor, bool bold = false) const;
    QFont title() const { return font(1.7, true); }
    QFont subtitle() const { return font(1.0); }
    QFont legend() const { return font(1.0); }
    QFont footer() const { return font(0.85); }
    QFont axisLabel() const { return font(1.15, true); }
    QFont tickLabel() const { return font(1.0); }
    int padding() const { return std::max(5, base / 2); }
};

/// One entry of the legend, in parts, so that the layout may wrap or drop the formula.
struct LegendEntry {
    enum class Icon { Line, Area, Diamond };
    QString label; ///< "Total", "Attention", "This design"
    QString formula; ///< "12L·E² + (V + P + 13L + 2)·E"; may be empty
    QString note; ///< "(= Embeddings)": a curve drawn on another one
    Icon icon = Icon::Line;
    int component = -1; ///< core::Component of a breakdown entry; -1 for the total and markers
    bool total = false; ///< the total's formula is the last one to leave the picture
    /// "Total = 12L·E² + …", "MLP   8L·E² + 5L·E", with the note.
    QString fullText() const;
};

/// What the layout needs to know: sizes, fonts and texts, nothing else.
struct ChartLayoutInput {
    QSize size { 1280, 800 }; ///< the whole chart, pixels
    int fontBase = 13; ///< body text pixel size (the app's font, zoom included)
    QString title;
    QStringList held; ///< subtitle: "V = 50257", …
    QStringList following; ///< subtitle: "F = 4*E", …
    std::vector<LegendEntry> legend;
    QStringList notes; ///< footer sentences
    QStringList key; ///< numbered markers: "1 = GPT-2 small (124.44M; V = 50,257, …)"
    QString xLabel; ///< "E — width (embedding size)"
    QString yLabel; ///< "Parameters"
    QStringList xTicks, yTicks; ///< the tick labels as drawn (their sizes reserve the axes' margins)
};

enum class LegendPlacement { Bottom, Side, Hidden };

/// Where each part of the chart goes, in pixels of the chart, and what each part reads.
struct ChartLayout {
    struct Text {
        QRect rect; ///< empty: left out
        QStringList lines;
        QFont font;
    };
    struct Entry {
        QRect rect; ///< icon and text
        QRect icon;
        QRect text;
        QStringList lines;
        bool shortened = false; ///< formula dropped or elided
    };

    QSize size;
    ChartFonts fonts;
    Text title, subtitle, footer;
    QRect axes; ///< the data rectangle with its tick labels and axis titles
    QRect plot; ///< the data rectangle
    QString xLabel, yLabel; ///< axis titles (yLabel empty: left out)
    int tickPadding = 5, labelPadding = 5;
    LegendPlacement legendPlacement = LegendPlacement::Bottom;
    QRect legend; ///< all entries
    std::vector<Entry> entries; ///< one per input entry (empty rects when hidden)
    QStringList omitted; ///< what was shortened or left out of the picture, whole
    bool plotKeepsShare = true; ///< false only when even the sparest layout could not keep it
};

/// Lays out a chart of @p in.size: a pure function of sizes, fonts and texts. Tries richer to
/// sparer arrangements (legend below, beside, formulas dropped, hidden; subtitle and footer whole,
/// one line, out; full or short axis titles) and takes the richest whose data rectangle keeps
/// kMinPlotWidthShare × kMinPlotHeightShare; every text is wrapped or elided to its rectangle.
ChartLayout layoutChart(const ChartLayoutInput& in);

/// The layout input for @p data as @p spec shows it, at @p size with body text @p fontBase;
/// tick labels estimated from the data range (the renderer replaces them with the drawn ones).
ChartLayoutInput layoutInput(const ChartSpec& spec, const ChartData& data, QSize size, int fontBase);

} // namespace paramscope::ui
