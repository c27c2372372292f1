// SPDX-License-Identifier: MIT
#include "sizingsweep.h"

#include "formula.h"
#include "report.h"

#include <algorithm>

namespace paramscope::core {

namespace {

/// The context at which @p e is measured: @p given, else the options', else the design's P.
Result<Count> contextOf(const Design& design, const Evaluation& e, const SizingOptions& o, std::optional<Count> given)
{
    if (given)
        return *given;
    if (o.context)
        return *o.context;
    const int p = design.symbolIndex("P");
    if (p < 0)
        return Error { "context", "the design has no context length P: choose a context" };
    return e.symbols[static_cast<std::size_t>(p)];
}

/// Whole bytes per parameter of @p o's metric where the figure is exactly that times the count
/// (weights at a whole-byte format, training states); 0 otherwise.
Count bytesPerParameter(const SizingOptions& o)
{
    if (o.metric == SizingMetric::Weights && o.dtype.wholeBytes())
        return o.dtype.milliBits / 8000;
    if (o.metric == SizingMetric::Training)
        return 16;
    return 0;
}

std::string scaled(Count factor, const std::string& formula)
{
    return formula.empty() ? std::string() : std::to_string(factor) + " B × (" + formula + ")";
}

/// The legend's formulas for a memory sweep: the counts' scaled where exact, else a description.
void setFormulas(Sweep& s, const SizingOptions& o)
{
    if (const Count b = bytesPerParameter(o); b > 0) {
        s.formula = scaled(b, s.formula);
        s.formulaAscii = s.formula.empty() ? std::string() : std::to_string(b) + " B * (" + s.formulaAscii + ")";
        for (auto& f : s.componentFormulas)
            f = scaled(b, f);
        return;
    }
    s.componentFormulas = {};
    std::string text;
    switch (o.metric) {
    case SizingMetric::Weights:
        text = "each tensor at " + o.dtype.name + ", rounded up to whole bytes";
        break;
    case SizingMetric::KvCache:
        text = "k and v of each attention layer × min(context, window) × batch " + groupDigits(o.batch);
        break;
    case SizingMetric::Inference:
        text = "weights + k and v of each attention layer × min(context, window) × batch " + groupDigits(o.batch);
        break;
    default:
        break;
    }
    s.formula = s.formulaAscii = text;
}

} // namespace

std::string metricLabel(const SizingOptions& o)
{
    switch (o.metric) {
    case SizingMetric::Parameters:
        return "Parameters";
    case SizingMetric::Weights:
        return "Weights (" + o.dtype.name + ")";
    case SizingMetric::KvCache:
        return "KV cache (" + o.kvDtype.name + ", batch " + groupDigits(o.batch) + ")";
    case SizingMetric::Inference:
        return "Weights (" + o.dtype.name + ") + KV cache (" + o.kvDtype.name + ", batch " + groupDigits(o.batch) + ")";
    case SizingMetric::Training:
        return "Training states (16 B/param)";
    }
    return {};
}

std::array<std::string, kComponentCount> partLabels(const SizingOptions& o)
{
    std::array<std::string, kComponentCount> labels;
    if (o.metric == SizingMetric::Inference) {
        labels[0] = "Weights (" + o.dtype.name + ")";
        labels[1] = "KV cache (" + o.kvDtype.name + ")";
    }
    return labels;
}

Result<SweepPoint> sizingPoint(
    const Design& design, const Evaluation& e, const SizingOptions& o, std::optional<Count> given)
{
    SweepPoint p;
    p.nonEmbedding = e.nonEmbedding;
    p.active = e.active;
    auto kv = [&]() -> Result<Count> {
        auto context = contextOf(design, e, o, given);
        if (!context)
            return context.error();
        auto groups = attentionGroups(design, e);
        if (!groups)
            return groups.error();
        auto bytes = kvCacheBytes(*groups, *context, o.batch, o.kvDtype);
        if (!bytes)
            return Error { "context",
                "the KV cache of " + groupDigits(*context) + " tokens × batch " + groupDigits(o.batch)
                    + " overflows 64 bits" };
        return *bytes;
    };
    switch (o.metric) {
    case SizingMetric::Parameters: {
        auto parts = breakdown(design, components(design), e);
        if (!parts)
            return parts.error();
        p.total = e.total;
        p.parts = *parts;
        return p;
    }
    case SizingMetric::Weights: {
        auto w = weightMemory(design, e, o.dtype);
        if (!w)
            return w.error();
        p.total = w->bytes;
        p.parts = w->byComponent;
        return p;
    }
    case SizingMetric::KvCache: {
        auto bytes = kv();
        if (!bytes)
            return bytes.error();
        p.total = *bytes;
        return p;
    }
    case SizingMetric::Inference: {
        auto w = weightMemory(design, e, o.dtype);
        if (!w)
            return w.error();
        auto bytes = kv();
        if (!bytes)
            return bytes.error();
        auto sum = checkedAdd(w->bytes, *bytes);
        if (!sum)
            return Error { "weights + KV cache", "overflows 64 bits" };
        p.total = *sum;
        p.parts[0] = w->bytes;
        p.parts[1] = *bytes;
        return p;
    }
    case SizingMetric::Training: {
        auto parts = breakdown(design, components(design), e);
        if (!parts)
            return parts.error();
        auto t = trainingMemory(e.total, 0, 1);
        if (!t)
            return t.error();
        p.total = t->total;
        // 16 bytes for each parameter of each component: no part can overflow where the total did not.
        for (std::size_t c = 0; c < kComponentCount; ++c)
            p.parts[c] = (*parts)[c] * 16;
        return p;
    }
    }
    return p;
}

Result<Sweep> sizingSweep(const Design& design, const SweepOptions& sweepOptions, const SizingOptions& o)
{
    if (sweepOptions.x != kContextAxis) {
        SweepMeasure measure;
        if (o.metric != SizingMetric::Parameters)
            measure = [&o](const Design& d, const Evaluation& e) { return sizingPoint(d, e, o); };
        auto s = sweep(design, sweepOptions, measure);
        if (s && o.metric != SizingMetric::Parameters)
            setFormulas(*s, o);
        return s;
    }

    // Over the context: the design is evaluated once, only the KV cache changes.
    Design d = design;
    if (!d.isCompiled()) {
        if (auto st = d.compile(); !st)
            return st.error();
    }
    auto e = evaluate(d);
    if (!e)
        return e.error();
    auto current = contextOf(d, *e, o, std::nullopt);
    if (!current)
        return current.error();
    Sweep s;
    s.designName = d.name;
    s.x = std::string(kContextAxis);
    s.xDescription = "context length (tokens)";
    s.current = *current;
    s.from = sweepOptions.from.value_or(1);
    if (s.from < 1)
        return Error { "--from", "the context must be at least 1" };
    s.to = sweepOptions.to.value_or(checkedMul(std::max<Count>(*current, 1), 2).value_or(INT64_MAX));
    if (s.from > s.to)
        return Error { "--from", "is above --to" };
    if (sweepOptions.step && *sweepOptions.step < 1)
        return Error { "--step", "must be at least 1" };
    const auto span = static_cast<std::uint64_t>(s.to) - static_cast<std::uint64_t>(s.from);
    const std::uint64_t most = std::max<std::size_t>(sweepOptions.maxPoints, 1);
    s.step = sweepOptions.step.value_or(static_cast<Count>(std::max<std::uint64_t>(1, (span + most - 1) / most)));
    if (span / static_cast<std::uint64_t>(s.step) >= static_cast<std::uint64_t>(kMaxSweepPoints))
        return Error { "--step", "the range has too many points: take a larger step" };
    for (Count x = s.from;;) {
        auto p = sizingPoint(d, *e, o, x);
        if (!p) {
            s.skipped.push_back({ x, p.error().text() });
        } else {
            p->x = x;
            for (std::size_t c = 0; c < kComponentCount; ++c)
                s.present[c] = s.present[c] || p->parts[c] != 0;
            s.points.push_back(*p);
        }
        if (x == s.to)
            break;
        auto next = checkedAdd(x, s.step);
        // The last point is the end of the range, whatever the step.
        x = next && *next < s.to ? *next : s.to;
    }
    if (o.metric == SizingMetric::Parameters || bytesPerParameter(o) > 0) {
        // Flat in the context: the count's formula (scaled) still says what the level is.
        const auto formulas = computeFormulas(d);
        const NodeFormula& root = formulas[static_cast<std::size_t>(d.root->index)];
        if (root.ok) {
            s.formula = root.total;
            s.formulaAscii = root.totalAscii;
        }
    }
    if (o.metric != SizingMetric::Parameters)
        setFormulas(s, o);
    return s;
}

Result<std::pair<Count, Count>> sizingOwnPoint(const Design& design, const std::string& x, const SizingOptions& o)
{
    std::optional<Design> compiled;
    if (!design.isCompiled()) {
        compiled = design;
        if (auto st = compiled->compile(); !st)
            return st.error();
    }
    const Design& d = compiled ? *compiled : design;
    int xi = -1;
    if (x != kContextAxis) {
        xi = d.symbolIndex(x);
        for (std::size_t i = 0; xi < 0 && i < d.symbols.size(); ++i) {
            if (d.symbols[i].field == x)
                xi = static_cast<int>(i);
        }
        if (xi < 0)
            return Error { x, "not a hyperparameter of this design" };
    }
    auto e = evaluate(d);
    if (!e)
        return e.error();
    auto p = sizingPoint(d, *e, o);
    if (!p)
        return p.error();
    if (xi >= 0)
        return std::pair { e->symbols[static_cast<std::size_t>(xi)], p->total };
    auto context = contextOf(d, *e, o, std::nullopt);
    if (!context)
        return context.error();
    return std::pair { *context, p->total };
}

} // namespace paramscope::core
