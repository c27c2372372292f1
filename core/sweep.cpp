// SPDX-License-Identifier: MIT
#include "sweep.h"

#include "formula.h"

#include <nlohmann/json.hpp>

#include <sstream>

namespace paramscope::core {

namespace {

/// How far to look for the next valid x when choosing the default step, for a valid x to
/// anchor the steps on, and for the first valid x of the range: every search is bounded.
constexpr Count kStepSearch = 4096;

/// The design copy being swept: set x, evaluate, reusing storage.
class Prober {
public:
    Prober(Design& d, std::string x)
        : m_design(d)
        , m_x(std::move(x))
    {
    }

    Status at(Count value)
    {
        if (auto st = m_design.setValue(m_x, value); !st)
            return st;
        return evaluateInto(m_design, m_eval);
    }
    bool valid(Count value) { return at(value).ok(); }
    const Evaluation& evaluation() const { return m_eval; }

private:
    Design& m_design;
    std::string m_x;
    Evaluation m_eval;
};

/// Smallest s in 1..kStepSearch with @p anchor + s (or, failing that, anchor - s) valid.
std::optional<Count> validStepFrom(Prober& p, Count anchor, Count minimum)
{
    for (Count s = 1; s <= kStepSearch; ++s) {
        auto up = checkedAdd(anchor, s);
        if (up && p.valid(*up))
            return s;
        auto down = checkedSub(anchor, s);
        if (down && *down >= minimum && p.valid(*down))
            return s;
    }
    return std::nullopt;
}

/// b - a for a <= b, exact: it can exceed INT64_MAX.
std::uint64_t distance(Count a, Count b)
{
    return static_cast<std::uint64_t>(b) - static_cast<std::uint64_t>(a);
}

/// First x >= @p lower that is congruent to @p anchor modulo @p step; empty past INT64_MAX.
std::optional<Count> alignUp(Count lower, Count anchor, Count step)
{
    const auto m = static_cast<std::uint64_t>(step);
    // How far lower lies above the lattice (lower - anchor spans up to 2^64: keep it unsigned).
    const std::uint64_t above = lower >= anchor ? distance(anchor, lower) % m : (m - distance(lower, anchor) % m) % m;
    return above == 0 ? std::optional<Count>(lower) : checkedAdd(lower, static_cast<Count>(m - above));
}

/// The parameter counts of @p e as a point (x set by the caller).
Result<SweepPoint> pointOf(const Design& d, const std::vector<Component>& kinds, const Evaluation& e)
{
    auto parts = breakdown(d, kinds, e);
    if (!parts)
        return parts.error();
    return SweepPoint { 0, e.total, e.nonEmbedding, e.active, *parts };
}

} // namespace

Result<Sweep> sweep(const Design& design, const SweepOptions& options, const SweepMeasure& measure)
{
    Design d = design;
    if (!d.isCompiled()) {
        if (auto st = d.compile(); !st)
            return st.error();
    }
    int xi = d.symbolIndex(options.x);
    if (xi < 0) {
        for (std::size_t i = 0; i < d.symbols.size(); ++i) {
            if (!d.symbols[i].field.empty() && d.symbols[i].field == options.x)
                xi = static_cast<int>(i);
        }
    }
    if (xi < 0)
        return Error { options.x,
            "no such hyperparameter in " + (d.name.empty() ? std::string("this design") : d.name) };
    if (options.step && *options.step < 1)
        return Error { "--step", "must be at least 1" };
    if (options.from && options.to && *options.from > *options.to)
        return Error { "--from", "is above --to" };

    const Symbol& sym = d.symbols[static_cast<std::size_t>(xi)];
    Sweep s;
    s.designName = d.name;
    s.x = sym.name;
    s.xDescription = sym.description;
    const Count minimum = std::max<Count>(sym.minimum, 1);

    // The design's own value (a derived x takes its current value and becomes set).
    const auto values = evaluateSymbols(d);
    const bool currentValid = values.ok();
    s.current = currentValid ? (*values)[static_cast<std::size_t>(xi)] : sym.value;
    if (sym.isDerived()) {
        if (!currentValid)
            return Error { s.x, "is derived and the design does not evaluate: " + values.error().text() };
        d.setValue(s.x, s.current);
        if (auto st = d.compile(); !st)
            return st.error();
    }

    // Formulas depend only on the structure: once.
    std::vector<std::string> names;
    for (const auto& sy : d.symbols)
        names.push_back(sy.name);
    const auto kinds = components(d);
    {
        const auto formulas = computeFormulas(d);
        const NodeFormula& root = formulas[static_cast<std::size_t>(d.root->index)];
        if (root.ok) {
            s.formula = formatCollected(root.polynomial, xi, { names, false });
            s.formulaAscii = formatCollected(root.polynomial, xi, { names, true });
        }
        const auto polys = componentPolynomials(d, kinds);
        for (std::size_t c = 0; c < kComponentCount; ++c) {
            if (polys[c] && !polys[c]->isZero())
                s.componentFormulas[c] = formatCollected(*polys[c], xi, { names, false });
        }
    }

    Prober probe(d, s.x);
    Count anchor = s.current;
    if (options.step) {
        s.step = *options.step;
        anchor = options.from.value_or(minimum);
    } else {
        s.validStep = true;
        bool found = currentValid;
        if (!found) {
            // Find a valid x to anchor the steps on: the first of kStepSearch values from the
            // start of the range (probing every value up to 2 × current took hours at 10^12).
            const Count begin = options.from.value_or(minimum);
            const Count end = options.to.value_or(INT64_MAX);
            for (Count k = 0; k < kStepSearch && !found; ++k) {
                auto v = checkedAdd(begin, k);
                if (!v || *v > end)
                    break;
                if (probe.valid(*v)) {
                    anchor = *v;
                    found = true;
                }
            }
        }
        const auto step = found ? validStepFrom(probe, anchor, minimum) : std::nullopt;
        s.step = step.value_or(1);
        if (s.step > 1) {
            if (auto next = checkedAdd(anchor, 1); next)
                if (auto st = probe.at(*next); !st)
                    s.stepReason = st.error().text();
        }
    }

    // The range.
    auto noRange = [&s](const std::string& from, const std::string& to) {
        return Error { "--from", "no " + s.x + " to sweep between " + from + " and " + to };
    };
    if (options.from) {
        auto aligned = s.validStep ? alignUp(*options.from, anchor, s.step) : options.from;
        if (!aligned) // the next valid x is past 2^63 - 1
            return noRange(std::to_string(*options.from), options.to ? std::to_string(*options.to) : "2^63 - 1");
        s.from = *aligned;
    } else {
        s.from = s.validStep ? alignUp(minimum, anchor, s.step).value_or(minimum) : minimum;
        // By default start at the first value that evaluates (never past the design's own),
        // looking at kStepSearch values at most.
        Count x = s.from;
        for (Count k = 0; s.validStep && k < kStepSearch && x < anchor; ++k) {
            if (probe.valid(x)) {
                s.from = x;
                break;
            }
            auto next = checkedAdd(x, s.step);
            if (!next)
                break;
            x = *next;
        }
    }
    if (options.to) {
        s.to = *options.to;
    } else {
        auto twice = checkedMul(std::max(s.current, s.from), 2);
        s.to = twice.value_or(INT64_MAX);
    }
    if (s.from > s.to)
        return noRange(std::to_string(s.from), std::to_string(s.to));

    // The number of points is gaps + 1; to - from spans up to 2^64 - 1, so count gaps unsigned.
    const std::uint64_t gaps = distance(s.from, s.to) / static_cast<std::uint64_t>(s.step);
    const std::uint64_t most = std::max<std::size_t>(options.maxPoints, 1);
    if (s.validStep && gaps >= most) {
        // Widen by whole valid steps: every point stays valid, at most maxPoints + 1 of them.
        const std::uint64_t widen = gaps / most + 1;
        auto widened = checkedMul(s.step, static_cast<Count>(widen));
        s.step = widened.value_or(INT64_MAX);
    } else if (!s.validStep && gaps >= static_cast<std::uint64_t>(kMaxSweepPoints)) {
        return Error { "--step",
            "the range has " + (gaps == UINT64_MAX ? std::string("2^64") : std::to_string(gaps + 1))
                + " points; the limit is " + std::to_string(kMaxSweepPoints) + ": take a larger step" };
    }

    for (Count x = s.from; x <= s.to;) {
        if (auto st = probe.at(x); !st) {
            s.skipped.push_back({ x, st.error().text() });
        } else {
            const Evaluation& e = probe.evaluation();
            auto point = measure ? measure(d, e) : pointOf(d, kinds, e);
            if (!point) {
                s.skipped.push_back({ x, point.error().text() });
            } else {
                point->x = x;
                for (std::size_t c = 0; c < kComponentCount; ++c)
                    s.present[c] = s.present[c] || point->parts[c] != 0;
                s.points.push_back(*point);
            }
        }
        auto next = checkedAdd(x, s.step);
        if (!next)
            break;
        x = *next;
    }
    return s;
}

std::string sweepCsv(const Sweep& s)
{
    std::ostringstream out;
    out << s.x << ",total,non_embedding,active";
    for (std::size_t c = 0; c < kComponentCount; ++c)
        out << ',' << componentName(static_cast<Component>(c));
    out << '\n';
    for (const SweepPoint& p : s.points) {
        out << p.x << ',' << p.total << ',' << p.nonEmbedding << ',' << p.active;
        for (Count v : p.parts)
            out << ',' << v;
        out << '\n';
    }
    return out.str();
}

std::string sweepJson(const Sweep& s)
{
    using nlohmann::ordered_json;
    ordered_json j;
    j["design"] = s.designName;
    j["x"] = s.x;
    j["x_description"] = s.xDescription;
    j["current"] = s.current;
    j["from"] = s.from;
    j["to"] = s.to;
    j["step"] = s.step;
    j["valid_step"] = s.validStep;
    if (!s.stepReason.empty())
        j["step_reason"] = s.stepReason;
    j["formula"] = s.formula;
    j["formula_ascii"] = s.formulaAscii;
    ordered_json formulas = ordered_json::object();
    for (std::size_t c = 0; c < kComponentCount; ++c) {
        if (!s.componentFormulas[c].empty())
            formulas[std::string(componentName(static_cast<Component>(c)))] = s.componentFormulas[c];
    }
    j["component_formulas"] = formulas;
    ordered_json points = ordered_json::array();
    for (const SweepPoint& p : s.points) {
        ordered_json parts = ordered_json::object();
        for (std::size_t c = 0; c < kComponentCount; ++c) {
            if (s.present[c])
                parts[std::string(componentName(static_cast<Component>(c)))] = p.parts[c];
        }
        points.push_back({ { "x", p.x }, { "total", p.total }, { "non_embedding", p.nonEmbedding },
            { "active", p.active }, { "components", parts } });
    }
    j["points"] = points;
    ordered_json skipped = ordered_json::array();
    for (const SkippedX& k : s.skipped)
        skipped.push_back({ { "x", k.x }, { "reason", k.reason } });
    j["skipped"] = skipped;
    // Names from file and folder names need not be UTF-8: never throw for them.
    return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

} // namespace paramscope::core
