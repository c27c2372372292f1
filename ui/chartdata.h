// SPDX-License-Identifier: MIT
#pragma once

#include "design.h"
#include "result.h"
#include "sizingsweep.h"
#include "sweep.h"

#include <QString>
#include <QStringList>

#include <optional>
#include <string>
#include <vector>

namespace paramscope::ui {

/// What a growth chart shows. Shared by the widget and by `paramscope-cli chart`.
struct ChartSpec {
    core::Design design; ///< the curve: its total (and breakdown) over x, the rest held
    std::string x = "E"; ///< the swept hyperparameter
    std::optional<core::Count> from; ///< first x; empty: chosen from the design and the markers
    std::optional<core::Count> to; ///< last x; empty: likewise
    std::optional<core::Count> step; ///< empty: step through the valid values only
    std::size_t maxPoints = 600; ///< a default step widens (by whole valid steps) to stay under this
    std::vector<core::Design> markers; ///< labelled points at their own (x, total), e.g. presets
    double autoRangeFactor = 0; ///< > 0 and no `to`: sweep to this × the design's own x
    bool breakdown = true; ///< stacked areas by component kind under the total
    bool showCurrent = true; ///< mark the design itself at its own x
    bool logX = false;
    bool logY = false;
    QString title; ///< empty: "Parameters of <name> as <x> grows"
    /// What is plotted: the parameter count (default) or memory in bytes (weights, KV cache,
    /// both, training states) at these formats, context and batch; x may then be
    /// core::kContextAxis. Markers sit at their own figure (for the context, at their own P).
    core::SizingOptions sizing;
};

/// A labelled point at a design's own (x, total).
struct Marker {
    QString label;
    QString differs; ///< held hyperparameters where it differs from the curve's design ("L = 24, H = 16")
    core::Count x = 0;
    core::Count total = 0;
    bool current = false;
};

/// Everything a chart shows, computed exactly by the core: the data half of the chart, with no
/// pixels in it (layout: chartlayout.h; drawing and export: chartrender.h).
struct ChartData {
    core::SizingMetric metric = core::SizingMetric::Parameters;
    std::array<QString, core::kComponentCount> partLabels; ///< where not the components' own
    core::Sweep sweep;
    std::vector<Marker> markers;
    QStringList notes; ///< markers left out and why
};

/// Sweeps @p spec's design and places its markers. Errors: those of core::sweep().
core::Result<ChartData> computeChart(const ChartSpec& spec);

namespace chart {

inline QString qs(const std::string& s)
{
    return QString::fromStdString(s);
}

/// Axis labels and compact amounts: "0", "500M", "1.5B", "50k"; plain below ten thousand.
QString human(double v);
/// Bytes on an axis: "0", "500 MB", "16 GB", "1.2 TB" (GB = 10^9 bytes).
QString humanBytes(double v);
/// A marker's or a point's amount as @p data counts it: "124.44M", or "16.06 GB".
QString amount(const ChartData& data, core::Count v);
/// The label of component @p c's part in @p data ("Attention", or "KV cache (bf16)").
QString partLabel(const ChartData& data, std::size_t c);
/// "Parameters", or "Memory, bytes (GB = 10⁹)".
QString yTitle(const ChartData& data);
/// The design's name, or "design".
QString designLabel(const core::Design& d);
/// "Parameters of GPT-2 small as E grows", "KV cache (bf16, batch 1) of Llama 3 8B as the context grows",
/// or the spec's own title.
QString title(const ChartSpec& spec, const std::string& x);
/// Held hyperparameters other than @p x: {"V = 50257", …}.
QStringList held(const core::Design& d, const std::string& x);
/// Derived ones, which follow: {"F = 4*E", "D = E/H"}.
QStringList following(const core::Design& d, const std::string& x);
/// The footer's sentences: the range and step, skipped values, markers not shown.
QStringList notes(const ChartData& data);

} // namespace chart

} // namespace paramscope::ui
