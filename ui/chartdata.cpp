// SPDX-License-Identifier: MIT
#include "chartdata.h"

#include "evaluate.h"
#include "report.h"

#include <algorithm>
#include <cmath>

namespace paramscope::ui {

using chart::qs;
using core::Count;

namespace {

/// "124,439,808"
QString grouped(Count n)
{
    return qs(core::groupDigits(n));
}

/// Set hyperparameters of @p curve other than @p x whose value differs in @p marker (at most three).
QString differences(const core::Design& curve, const core::Design& marker, const std::string& x)
{
    auto values = core::evaluateSymbols(marker);
    if (!values)
        return {};
    QStringList out;
    for (const auto& s : curve.symbols) {
        if (s.name == x || s.isDerived())
            continue;
        const int i = marker.symbolIndex(s.name);
        if (i < 0)
            continue;
        const Count v = (*values)[static_cast<std::size_t>(i)];
        if (v != s.value)
            out << QStringLiteral("%1 = %2").arg(qs(s.name), grouped(v));
    }
    if (out.size() > 3) {
        out = out.mid(0, 3);
        out << QStringLiteral("…");
    }
    return out.join(QStringLiteral(", "));
}

/// A design's own value of @p x and its total, or an error.
core::Result<std::pair<Count, Count>> ownPoint(
    const core::Design& design, const std::string& x, const core::SizingOptions& sizing)
{
    // Memory, or over the context: the core maps the design to its figure.
    if (core::inBytes(sizing.metric) || x == core::kContextAxis)
        return core::sizingOwnPoint(design, x, sizing);
    // Presets and the document's design come compiled: no copy on every slider step.
    std::optional<core::Design> compiled;
    if (!design.isCompiled()) {
        compiled = design;
        if (auto st = compiled->compile(); !st)
            return st.error();
    }
    const core::Design& d = compiled ? *compiled : design;
    int xi = d.symbolIndex(x);
    for (std::size_t i = 0; xi < 0 && i < d.symbols.size(); ++i) {
        if (d.symbols[i].field == x)
            xi = static_cast<int>(i);
    }
    if (xi < 0)
        return core::Error { x, "not a hyperparameter of this design" };
    auto e = core::evaluate(d);
    if (!e)
        return e.error();
    return std::pair { e->symbols[static_cast<std::size_t>(xi)], e->total };
}

} // namespace

namespace chart {

QString human(double v)
{
    const double a = std::abs(v);
    auto trimmed = [](double x) {
        QString s = QString::number(x, 'f', 2);
        while (s.endsWith(QLatin1Char('0')))
            s.chop(1);
        if (s.endsWith(QLatin1Char('.')))
            s.chop(1);
        return s;
    };
    // Beyond a thousand T a power of ten reads better than "8000000T" (L = 10¹² designs): 8 × 10¹⁸.
    if (a >= 1e15) {
        int exponent = static_cast<int>(std::floor(std::log10(a)));
        double mantissa = v / std::pow(10.0, exponent);
        if (std::abs(std::round(mantissa * 100) / 100) >= 10) {
            mantissa /= 10;
            ++exponent;
        }
        static const char16_t superscripts[] = u"\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079";
        QString power;
        for (const QChar c : QString::number(exponent))
            power += QChar(superscripts[c.digitValue()]);
        return trimmed(mantissa) + QStringLiteral(" × 10") + power;
    }
    if (a >= 1e12)
        return trimmed(v / 1e12) + QLatin1Char('T');
    if (a >= 1e9)
        return trimmed(v / 1e9) + QLatin1Char('B');
    if (a >= 1e6)
        return trimmed(v / 1e6) + QLatin1Char('M');
    if (a >= 1e4)
        return trimmed(v / 1e3) + QLatin1Char('k');
    return trimmed(v);
}

QString humanBytes(double v)
{
    const double a = std::abs(v);
    auto trimmed = [](double x) {
        QString s = QString::number(x, 'f', 2);
        while (s.endsWith(QLatin1Char('0')))
            s.chop(1);
        if (s.endsWith(QLatin1Char('.')))
            s.chop(1);
        return s;
    };
    if (a >= 1e15)
        return human(v) + QStringLiteral(" B");
    if (a >= 1e12)
        return trimmed(v / 1e12) + QStringLiteral(" TB");
    if (a >= 1e9)
        return trimmed(v / 1e9) + QStringLiteral(" GB");
    if (a >= 1e6)
        return trimmed(v / 1e6) + QStringLiteral(" MB");
    if (a >= 1e3)
        return trimmed(v / 1e3) + QStringLiteral(" kB");
    return trimmed(v) + QStringLiteral(" B");
}

QString amount(const ChartData& data, Count v)
{
    return core::inBytes(data.metric) ? qs(core::gbText(v)) : qs(core::compactCount(v));
}

QString partLabel(const ChartData& data, std::size_t c)
{
    if (c < data.partLabels.size() && !data.partLabels[c].isEmpty())
        return data.partLabels[c];
    return qs(std::string(core::componentLabel(static_cast<core::Component>(c))));
}

QString yTitle(const ChartData& data)
{
    return core::inBytes(data.metric) ? QStringLiteral("Bytes (GB = 10⁹ bytes)") : QStringLiteral("Parameters");
}

QString designLabel(const core::Design& d)
{
    return qs(d.name.empty() ? std::string("design") : d.name);
}

QString title(const ChartSpec& spec, const std::string& x)
{
    if (!spec.title.isEmpty())
        return spec.title;
    const QString what = qs(core::metricLabel(spec.sizing));
    const QString axis = x == core::kContextAxis ? QStringLiteral("the context") : qs(x);
    return QStringLiteral("%1 of %2 as %3 grows").arg(what, designLabel(spec.design), axis);
}

QStringList held(const core::Design& d, const std::string& x)
{
    QStringList out;
    for (const auto& s : d.symbols) {
        if (s.name != x && !s.isDerived())
            out << QStringLiteral("%1 = %2").arg(qs(s.name)).arg(s.value);
    }
    return out;
}

QStringList following(const core::Design& d, const std::string& x)
{
    QStringList out;
    for (const auto& s : d.symbols) {
        if (s.name != x && s.isDerived())
            out << QStringLiteral("%1 = %2").arg(qs(s.name), qs(s.definition.text()));
    }
    return out;
}

QStringList notes(const ChartData& data)
{
    const core::Sweep& s = data.sweep;
    QStringList out;
    QString range = QStringLiteral("Exact %1 (ParamScope) at %2 = %3 … %4, step %5")
                        .arg(core::inBytes(data.metric) ? QStringLiteral("bytes") : QStringLiteral("counts"), qs(s.x),
                            grouped(s.from), grouped(s.to), grouped(s.step));
    if (s.validStep && !s.stepReason.empty())
        range += QStringLiteral(", through valid values only (others fail, e.g. %1)").arg(qs(s.stepReason));
    out << range + QLatin1Char('.');
    if (!s.skipped.empty()) {
        out << QStringLiteral("%1 invalid %2 value(s) skipped, not plotted, e.g. %2 = %3: %4.")
                   .arg(s.skipped.size())
                   .arg(qs(s.x))
                   .arg(s.skipped.front().x)
                   .arg(qs(s.skipped.front().reason));
    }
    if (!data.notes.isEmpty())
        out << QStringLiteral("Not marked: ") + data.notes.join(QStringLiteral("; ")) + QLatin1Char('.');
    return out;
}

} // namespace chart

core::Result<ChartData> computeChart(const ChartSpec& spec)
{
    using chart::designLabel;
    ChartData data;
    Count highest = 0;
    std::optional<std::pair<Count, Count>> current;
    QStringList sameAsCurrent; ///< markers at exactly the current design's point
    data.metric = spec.sizing.metric;
    const auto labels = core::partLabels(spec.sizing);
    for (std::size_t c = 0; c < labels.size(); ++c)
        data.partLabels[c] = qs(labels[c]);
    // Over the context, a preset's marker sits at its own P: the context is not held for them.
    core::SizingOptions markerSizing = spec.sizing;
    if (spec.x == core::kContextAxis)
        markerSizing.context.reset();
    if (auto own = ownPoint(spec.design, spec.x, spec.sizing)) {
        current = *own;
        highest = own->first;
    }
    for (const core::Design& m : spec.markers) {
        auto p = ownPoint(m, spec.x, markerSizing);
        if (!p) {
            data.notes << QStringLiteral("%1 not marked (%2)").arg(designLabel(m), qs(p.error().text()));
            continue;
        }
        const QString name = designLabel(m);
        if (spec.showCurrent && current && *current == *p) {
            // The current design's own marker stands for it; a different name joins its label.
            if (name != designLabel(spec.design) && !sameAsCurrent.contains(name))
                sameAsCurrent << name;
            continue;
        }
        // Presets at the very same point share one marker and one label.
        auto same = std::find_if(data.markers.begin(), data.markers.end(),
            [&](const Marker& o) { return o.x == p->first && o.total == p->second; });
        if (same != data.markers.end()) {
            if (!same->label.split(QStringLiteral(" = ")).contains(name))
                same->label += QStringLiteral(" = ") + name;
            continue;
        }
        data.markers.push_back({ name, differences(spec.design, m, spec.x), p->first, p->second, false });
        highest = std::max(highest, p->first);
    }
    if (spec.showCurrent && current) {
        QStringList names { designLabel(spec.design) };
        names << sameAsCurrent;
        data.markers.push_back({ names.join(QStringLiteral(" = ")), QString(), current->first, current->second, true });
    }

    core::SweepOptions options;
    options.x = spec.x;
    options.from = spec.from;
    options.to = spec.to;
    options.step = spec.step;
    options.maxPoints = spec.maxPoints;
    if (!options.to && spec.autoRangeFactor > 0 && current)
        options.to = std::max<Count>(static_cast<Count>(static_cast<double>(current->first) * spec.autoRangeFactor), 2);
    else if (!options.to && highest > 0)
        options.to = highest + std::max<Count>(highest / 8, 1); // room right of the last marker
    auto s = core::sizingSweep(spec.design, options, spec.sizing);
    if (!s)
        return s.error();
    data.sweep = std::move(*s);
    QStringList outside;
    // Markers outside the swept range would stretch the axis away from the curve.
    std::erase_if(data.markers, [&](const Marker& m) {
        const bool out = m.x < data.sweep.from || m.x > data.sweep.to;
        if (out)
            outside << m.label;
        return out;
    });
    if (!outside.isEmpty())
        data.notes << QStringLiteral("outside this range: ") + outside.join(QStringLiteral(", "));
    // On a linear axis a marker far above the curve would flatten it: say so instead.
    Count curveMax = 0;
    for (const auto& p : data.sweep.points)
        curveMax = std::max(curveMax, p.total);
    if (!spec.logY && curveMax > 0) {
        std::erase_if(data.markers, [&](const Marker& m) {
            const bool off = !m.current && m.total / 12 > curveMax;
            if (off)
                data.notes << QStringLiteral("%1 (%2) is off scale: use a log axis")
                                  .arg(m.label, chart::amount(data, m.total));
            return off;
        });
    }
    return data;
}

} // namespace paramscope::ui
