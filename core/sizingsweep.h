// SPDX-License-Identifier: MIT
#pragma once

// Memory over a sweep, for the growth chart: each swept design mapped to the bytes of its weights,
// its KV cache, both, or its training states (sizing.h), exact at every x; or the same figures
// over the context length. Pure functions; core::sweep() stays the source of the x values.

#include "sizing.h"
#include "sweep.h"

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace paramscope::core {

/// What a chart plots at each x.
enum class SizingMetric {
    Parameters, ///< the parameter count (core::sweep's own points)
    Weights, ///< weights in memory at the dtype, by component
    KvCache, ///< the KV cache at the context and batch
    Inference, ///< weights + KV cache: the weights in the first part, the KV cache in the second
    Training, ///< mixed-precision Adam states, 16 bytes per parameter, by component
};

/// The x that sweeps the context length (tokens) instead of a hyperparameter.
inline constexpr std::string_view kContextAxis = "context";

struct SizingOptions {
    SizingMetric metric = SizingMetric::Parameters;
    DataType dtype; ///< of the weights
    DataType kvDtype; ///< of the KV cache
    std::optional<Count> context; ///< tokens; empty: the design's P where it is evaluated
    Count batch = 1;
};

/// Whether @p m is counted in bytes (every metric but Parameters).
inline bool inBytes(SizingMetric m)
{
    return m != SizingMetric::Parameters;
}

/// "Weights (bf16)", "KV cache (bf16, batch 1)", "Weights + KV cache", "Training states (16 B/param)".
std::string metricLabel(const SizingOptions& options);

/// The labels of a point's parts where they are not the components' own (Inference: "Weights
/// (bf16)" and "KV cache (bf16)"); empty strings elsewhere.
std::array<std::string, kComponentCount> partLabels(const SizingOptions& options);

/// The figure of @p options.metric for @p design evaluated as @p e, at @p context tokens when given,
/// else at options.context, else at the design's P. total and parts in bytes (Parameters: counts);
/// x is left 0. Error: an overflow naming the figure, or no P to take the context from.
Result<SweepPoint> sizingPoint(
    const Design& design, const Evaluation& e, const SizingOptions& options, std::optional<Count> context = {});

/// @p sweep.x over its range as core::sweep() does, each point measured by sizingPoint(); or, for
/// x = kContextAxis, the context from @p sweep.from (default 1) to @p sweep.to (default twice the
/// context) in at most sweep.maxPoints + 1 points, the design held. The formulas are the count's
/// scaled by the bytes per parameter where that is exact (whole-byte weights, training), else a
/// description of the figure.
Result<Sweep> sizingSweep(const Design& design, const SweepOptions& sweep, const SizingOptions& options);

/// A design's own point for a chart of @p x: (its value of x, its figure). For kContextAxis its x
/// is @p options.context, else its P. @p design need not be compiled.
Result<std::pair<Count, Count>> sizingOwnPoint(
    const Design& design, const std::string& x, const SizingOptions& options);

} // namespace paramscope::core
