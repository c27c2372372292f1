// SPDX-License-Identifier: MIT
#pragma once

#include "breakdown.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace paramscope::core {

/// Most points an explicit --step may give; more is a mistake in the range, not a chart.
inline constexpr Count kMaxSweepPoints = 100'000;

/// One x where the design evaluates: the exact counts there.
struct SweepPoint {
    Count x = 0;
    Count total = 0;
    Count nonEmbedding = 0;
    Count active = 0;
    Breakdown parts {}; ///< by Component; sums to total
};

/// What to sweep: one hyperparameter over a range, the others held (derived ones follow
/// their definitions, as they do at any evaluation).
struct SweepOptions {
    std::string x = "E"; ///< the swept hyperparameter (a symbol or the config field it came from)
    std::optional<Count> from; ///< empty: the smallest valid value
    std::optional<Count> to; ///< empty: twice the design's value
    std::optional<Count> step; ///< empty: step through the valid values (multiples of H for E …)
    std::size_t maxPoints = 600; ///< a default step widens (by whole valid steps) to stay under this
};

/// What a point holds, from the design evaluated at x: other figures than its parameter counts
/// (memory, sizingsweep.h) as total and parts (x is set by the sweep). An Error skips x with its reason.
using SweepMeasure = std::function<Result<SweepPoint>(const Design&, const Evaluation&)>;

/// An x that was not plotted, and why (the core's error, e.g. "E/H: 770 is not divisible by 12").
struct SkippedX {
    Count x = 0;
    std::string reason;
};

/// A design's counts over one hyperparameter, exact at each x.
struct Sweep {
    std::string designName;
    std::string x; ///< the symbol's name ("E")
    std::string xDescription; ///< "width (hidden size)"
    Count current = 0; ///< the design's own value of x
    Count from = 0, to = 0, step = 1;
    bool validStep = false; ///< the step was chosen to pass through valid values only
    std::string stepReason; ///< when validStep and step > 1: why x+1 is invalid
    std::vector<SweepPoint> points;
    std::vector<SkippedX> skipped;
    std::array<bool, kComponentCount> present {}; ///< components with parameters somewhere
    std::string formula; ///< the total collected by powers of x: "12L·E² + (V + P + 13L + 2)·E"
    std::string formulaAscii; ///< the same in ASCII
    std::array<std::string, kComponentCount> componentFormulas; ///< each component's, likewise ("" if none)
};

/// Sweeps @p design. Errors: unknown symbol, an empty or reversed range, a step below 1, an
/// explicit step giving more than kMaxSweepPoints points (a default step widens instead).
/// x values where the design does not evaluate are listed in Sweep::skipped, never given a number.
/// @p measure, when given, maps each evaluated point to its figures instead of its counts; the x
/// values (range, valid steps, skipped ones) are the same.
Result<Sweep> sweep(const Design& design, const SweepOptions& options, const SweepMeasure& measure = {});

/// "x,total,non_embedding,embeddings,attention,…" with exact integers, one row per point;
/// skipped x are left out (json lists them).
std::string sweepCsv(const Sweep& s);
std::string sweepJson(const Sweep& s);

} // namespace paramscope::core
