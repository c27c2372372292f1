// SPDX-License-Identifier: MIT
// QCustomPlot 2.1 headers still use foreach: include it first, in this file only.
#undef QT_NO_FOREACH
#include <qcustomplot.h>
#undef foreach
#define QT_NO_FOREACH

#include "chartwidget.h"

#include "evaluate.h"
#include "presets.h"
#include "report.h"
#include "source.h"
#include "sweep.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QSvgGenerator>
#include <QTimer>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <set>

namespace paramscope::ui {

/// A labelled point at a design's own (x, total).
struct Marker {
    QString label;
    QString differs; ///< held hyperparameters where it differs from the curve's design ("L = 24, H = 16")
    core::Count x = 0;
    core::Count total = 0;
    bool current = false;
};

/// Everything a chart shows, computed exactly by the core.
struct ChartData {
    core::Sweep sweep;
    std::vector<Marker> markers;
    QStringList notes; ///< markers left out and why
};

namespace {

using core::Component;
using core::Count;

QString qs(const std::string& s)
{
    return QString::fromStdString(s);
}

/// "124,439,808"
QString grouped(Count n)
{
    return qs(core::groupDigits(n));
}

/// Axis labels: "0", "500M", "1.5B", "50k"; plain below ten thousand.
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

class HumanTicker : public QCPAxisTicker {
protected:
    QString getTickLabel(double tick, const QLocale&, QChar, int) override { return human(tick); }
};

class HumanLogTicker : public QCPAxisTickerLog {
protected:
    QString getTickLabel(double tick, const QLocale&, QChar, int) override { return human(tick); }
};

QColor componentColor(Component c)
{
    switch (c) {
    case Component::Embeddings:
        return QColor(0x4e, 0x79, 0xa7);
    case Component::Attention:
        return QColor(0xf2, 0x8e, 0x2b);
    case Component::Mlp:
        return QColor(0x59, 0xa1, 0x4f);
    case Component::Experts:
        return QColor(0x9c, 0x75, 0x5f);
    case Component::Norms:
        return QColor(0xb0, 0x7a, 0xa1);
    case Component::LmHead:
        return QColor(0xe1, 0x57, 0x59);
    case Component::Vision:
        return QColor(0x76, 0xb7, 0xb2);
    case Component::Projector:
        return QColor(0xed, 0xc9, 0x48);
    case Component::Other:
        break;
    }
    return QColor(0xba, 0xb0, 0xac);
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
        const core::Count v = (*values)[static_cast<std::size_t>(i)];
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
core::Result<std::pair<Count, Count>> ownPoint(const core::Design& design, const std::string& x)
{
    core::Design d = design;
    if (!d.isCompiled()) {
        if (auto st = d.compile(); !st)
            return st.error();
    }
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

QString designLabel(const core::Design& d)
{
    return qs(d.name.empty() ? std::string("design") : d.name);
}

core::Result<ChartData> computeChart(const ChartSpec& spec)
{
    ChartData data;
    Count highest = 0;
    std::optional<std::pair<Count, Count>> current;
    QStringList sameAsCurrent; ///< markers at exactly the current design's point
    if (auto own = ownPoint(spec.design, spec.x)) {
        current = *own;
        highest = own->first;
    }
    for (const core::Design& m : spec.markers) {
        auto p = ownPoint(m, spec.x);
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
    if (!options.to && spec.autoRangeFactor > 0 && current)
        options.to = std::max<Count>(static_cast<Count>(static_cast<double>(current->first) * spec.autoRangeFactor), 2);
    else if (!options.to && highest > 0)
        options.to = highest + std::max<Count>(highest / 8, 1); // room right of the last marker
    auto s = core::sweep(spec.design, options);
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
                                  .arg(m.label, qs(core::compactCount(m.total)));
            return off;
        });
    }
    return data;
}

/// Font sizes in pixels, from one base size.
struct Fonts {
    int base = 13;
    QFont font(double factor, bool bold = false) const
    {
        QFont f;
        f.setPixelSize(std::max(8, static_cast<int>(std::lround(base * factor))));
        f.setBold(bold);
        return f;
    }
};

/// "others held at V = 50257, P = 1024, H = 12, L = 12; F = 4*E and D = E/H follow"
QString heldText(const core::Design& d, const std::string& x)
{
    QStringList held, follow;
    for (const auto& s : d.symbols) {
        if (s.name == x)
            continue;
        if (s.isDerived())
            follow << QStringLiteral("%1 = %2").arg(qs(s.name), qs(s.definition.text()));
        else
            held << QStringLiteral("%1 = %2").arg(qs(s.name)).arg(s.value);
    }
    QString text;
    if (!held.isEmpty())
        text = QStringLiteral("held: ") + held.join(QStringLiteral(", "));
    if (!follow.isEmpty())
        text += (text.isEmpty() ? QString() : QStringLiteral("; ")) + QStringLiteral("following: ")
            + follow.join(QStringLiteral(", "));
    return text;
}

/// Breaks @p text at ", " so that no line is much longer than @p width characters.
QString wrapped(const QString& text, int width)
{
    QString out, line;
    const QStringList parts = text.split(QStringLiteral(", "));
    for (int i = 0; i < parts.size(); ++i) {
        const QString piece = parts[i] + (i + 1 < parts.size() ? QStringLiteral(",") : QString());
        if (!line.isEmpty() && line.size() + piece.size() + 1 > width) {
            out += line + QLatin1Char('\n');
            line.clear();
        }
        line += (line.isEmpty() ? QString() : QStringLiteral(" ")) + piece;
    }
    return out + line;
}

QString footerText(const ChartData& data)
{
    const core::Sweep& s = data.sweep;
    QString text = QStringLiteral("Exact counts (ParamScope) at %1 = %2 … %3, step %4")
                       .arg(qs(s.x), grouped(s.from), grouped(s.to), grouped(s.step));
    if (s.validStep && !s.stepReason.empty())
        text += QStringLiteral(", through valid values only (others fail, e.g. %1)").arg(qs(s.stepReason));
    if (!s.skipped.empty()) {
        text += QStringLiteral(".\n%1 invalid %2 value(s) skipped, not plotted, e.g. %2 = %3: %4")
                    .arg(s.skipped.size())
                    .arg(qs(s.x))
                    .arg(s.skipped.front().x)
                    .arg(qs(s.skipped.front().reason));
    }
    if (!data.notes.isEmpty())
        text += QStringLiteral(".\nNot marked: ") + wrapped(data.notes.join(QStringLiteral("; ")), 160);
    return text + QLatin1Char('.');
}

/// A marker's label: next to its point, or, when crowded out, a number keyed in the footer.
struct Label {
    const Marker* marker = nullptr;
    QCPItemText* text = nullptr;
    QCPItemLine* leader = nullptr; ///< from the label to its point when the label had to move away
};

/// Builds the whole chart into @p plot; the marker labels are placed by placeLabels() once laid out.
struct Built {
    std::vector<Label> labels;
    QCPGraph* total = nullptr;
    std::vector<QCPGraph*> curves; ///< lines a label should not cover
    bool stacked = false; ///< the area under the total is filled
    double dotRadius = 5; ///< pixels, of a preset's marker
    double currentRadius = 7; ///< pixels, of the current design's marker
    Fonts fonts;
    QCPTextElement* footer = nullptr;
    QString footerText; ///< without the key of numbered markers
};

Built buildPlot(QCustomPlot& plot, const ChartSpec& spec, const ChartData& data, const Fonts& fonts)
{
    plot.clearPlottables();
    plot.clearItems();
    if (!plot.layer(QStringLiteral("curves")))
        plot.addLayer(QStringLiteral("curves"), plot.layer(QStringLiteral("main")), QCustomPlot::limAbove);
    plot.setBackground(Qt::white);

    const core::Sweep& s = data.sweep;
    Built built;
    built.fonts = fonts;
    built.stacked = spec.breakdown && !spec.logY;
    QVector<double> xs;
    xs.reserve(static_cast<int>(s.points.size()));
    for (const auto& p : s.points)
        xs << static_cast<double>(p.x);

    // Rows: title, subtitle, the axes, the legend (below the axes: it never covers the data), footer.
    const QString title = spec.title.isEmpty()
        ? QStringLiteral("Parameters of %1 as %2 grows").arg(designLabel(spec.design), qs(s.x))
        : spec.title;
    QCPLayoutGrid* layout = plot.plotLayout();
    if (layout->rowCount() == 1) {
        layout->insertRow(0);
        layout->addElement(0, 0, new QCPTextElement(&plot));
        layout->insertRow(1);
        layout->addElement(1, 0, new QCPTextElement(&plot));
        // The legend centred between two spacers that take the spare width.
        auto* legendRow = new QCPLayoutGrid;
        layout->addElement(3, 0, legendRow);
        plot.axisRect()->insetLayout()->take(plot.legend);
        legendRow->addElement(0, 0, new QCPLayoutElement(&plot));
        legendRow->addElement(0, 1, plot.legend);
        legendRow->addElement(0, 2, new QCPLayoutElement(&plot));
        legendRow->setColumnStretchFactor(1, 0.001);
        legendRow->setMargins(QMargins(0, 0, 0, 0));
        layout->setRowStretchFactor(3, 0.001);
        layout->addElement(4, 0, new QCPTextElement(&plot));
        layout->setRowSpacing(0);
    }
    auto* titleElement = static_cast<QCPTextElement*>(layout->element(0, 0));
    auto* subtitle = static_cast<QCPTextElement*>(layout->element(1, 0));
    auto* footer = static_cast<QCPTextElement*>(layout->element(4, 0));
    titleElement->setText(title);
    titleElement->setFont(fonts.font(1.7, true));
    subtitle->setText(wrapped(heldText(spec.design, s.x), 150));
    subtitle->setFont(fonts.font(1.0));
    subtitle->setTextColor(QColor(0x55, 0x55, 0x55));
    built.footer = footer;
    built.footerText = footerText(data);
    footer->setText(built.footerText);
    footer->setFont(fonts.font(0.85));
    footer->setTextColor(QColor(0x66, 0x66, 0x66));

    // The total first (first in the legend), drawn above the breakdown.
    {
        QVector<double> ys;
        ys.reserve(xs.size());
        for (const auto& p : s.points)
            ys << static_cast<double>(p.total);
        auto* g = plot.addGraph();
        g->setName(QStringLiteral("Total = ") + qs(s.formula.empty() ? std::string("(formula overflows)") : s.formula));
        g->setPen(QPen(QColor(0x20, 0x20, 0x20), std::max(2.5, fonts.base / 4.5)));
        g->setData(xs, ys, true);
        g->setLayer(QStringLiteral("curves"));
        built.total = g;
        built.curves.push_back(g);
    }

    // Breakdown: stacked areas on a linear axis, separate curves on a log one.
    const bool stacked = !spec.logY;
    if (spec.breakdown) {
        QVector<double> below(xs.size(), 0.0);
        QCPGraph* previous = nullptr;
        std::vector<std::pair<QString, QVector<double>>> drawn; // separate curves so far, by label
        for (std::size_t c = 0; c < core::kComponentCount; ++c) {
            if (!s.present[c])
                continue;
            const auto comp = static_cast<Component>(c);
            QVector<double> ys(xs.size());
            for (int i = 0; i < xs.size(); ++i) {
                const double v = static_cast<double>(s.points[static_cast<std::size_t>(i)].parts[c]);
                ys[i] = stacked ? below[i] + v : v;
                below[i] = ys[i];
            }
            auto* g = plot.addGraph();
            const QColor color = componentColor(comp);
            const QString label = qs(std::string(core::componentLabel(comp)));
            QString name = label;
            if (!s.componentFormulas[c].empty())
                name += QStringLiteral("   ") + qs(s.componentFormulas[c]);
            if (stacked) {
                QColor fill = color;
                fill.setAlpha(170);
                g->setPen(QPen(color.darker(115), std::max(1.0, fonts.base / 12.0)));
                g->setBrush(fill);
                // The bottom layer fills down to zero; the others fill to the layer below.
                if (previous)
                    g->setChannelFillGraph(previous);
            } else {
                QPen pen(color, std::max(2.0, fonts.base / 6.0));
                // A curve on top of an earlier one (LM head = Embeddings when tied in count): dashed,
                // so both colours show, and the legend says so.
                auto same = std::find_if(drawn.begin(), drawn.end(), [&](const auto& d) { return d.second == ys; });
                if (same != drawn.end()) {
                    pen.setDashPattern({ 3.0, 2.5 });
                    name += QStringLiteral("   (= %1)").arg(same->first);
                }
                g->setPen(pen);
                drawn.emplace_back(label, ys);
                built.curves.push_back(g);
            }
            g->setName(name);
            g->setData(xs, ys, true);
            previous = g;
        }
    }

    // Markers: one graph for the current design, one above it for the others, so that a preset
    // at (nearly) the current design's point still shows its dot on the diamond.
    const double markerSize = std::max(9.0, fonts.base * 0.9);
    built.dotRadius = markerSize / 2;
    built.currentRadius = markerSize * 1.5 / 2;
    auto* mine = plot.addGraph();
    mine->setLineStyle(QCPGraph::lsNone);
    mine->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssDiamond, QPen(Qt::white, 1.5), QColor(0xd6, 0x27, 0x28), markerSize * 1.5));
    mine->setName(QStringLiteral("This design"));
    mine->setLayer(QStringLiteral("curves"));
    auto* others = plot.addGraph();
    others->setLineStyle(QCPGraph::lsNone);
    others->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(Qt::white, 1.5), QColor(0x20, 0x20, 0x20), markerSize));
    others->removeFromLegend();
    others->setLayer(QStringLiteral("curves"));
    bool anyMine = false;
    for (const Marker& m : data.markers) {
        (m.current ? mine : others)->addData(static_cast<double>(m.x), static_cast<double>(m.total));
        anyMine = anyMine || m.current;
        auto* label = new QCPItemText(&plot);
        label->setColor(m.current ? QColor(0xb0, 0x1a, 0x1b) : QColor(0x20, 0x20, 0x20));
        label->setBrush(QColor(255, 255, 255, 215));
        label->setPadding(QMargins(3, 1, 3, 1));
        label->setClipToAxisRect(true);
        label->setLayer(QStringLiteral("curves"));
        label->position->setType(QCPItemPosition::ptAbsolute);
        label->setPositionAlignment(Qt::AlignCenter);
        auto* leader = new QCPItemLine(&plot);
        leader->setPen(QPen(m.current ? QColor(0xb0, 0x1a, 0x1b) : QColor(0x44, 0x44, 0x44), 1));
        leader->setClipToAxisRect(true);
        leader->setLayer(QStringLiteral("curves"));
        leader->start->setType(QCPItemPosition::ptAbsolute);
        leader->end->setType(QCPItemPosition::ptAbsolute);
        leader->setVisible(false);
        built.labels.push_back({ &m, label, leader });
    }
    if (!anyMine)
        mine->removeFromLegend();

    // Axes.
    QCPAxis* xAxis = plot.xAxis;
    QCPAxis* yAxis = plot.yAxis;
    const QString xName = s.xDescription.empty() ? qs(s.x) : QStringLiteral("%1 — %2").arg(qs(s.x), qs(s.xDescription));
    xAxis->setLabel(xName);
    yAxis->setLabel(QStringLiteral("Parameters") + (spec.logY ? QStringLiteral("  (log scale)") : QString()));
    for (QCPAxis* a : { xAxis, yAxis }) {
        a->setLabelFont(fonts.font(1.15, true));
        a->setTickLabelFont(fonts.font(1.0));
        a->setBasePen(QPen(QColor(0x44, 0x44, 0x44), 1.2));
        a->setTickPen(QPen(QColor(0x44, 0x44, 0x44), 1.2));
        a->setSubTickPen(QPen(QColor(0x88, 0x88, 0x88), 1));
        a->grid()->setPen(QPen(QColor(0xdd, 0xdd, 0xdd), 1, Qt::SolidLine));
        a->grid()->setSubGridVisible(false);
        a->setTickLengthOut(0);
        a->setTickLabelPadding(std::max(5, fonts.base / 2));
        a->setLabelPadding(std::max(5, fonts.base / 2));
    }
    const auto ticker = [](bool log) -> QSharedPointer<QCPAxisTicker> {
        if (log) {
            auto t = QSharedPointer<HumanLogTicker>::create();
            t->setLogBase(10);
            t->setSubTickCount(8);
            t->setTickCount(8);
            return t;
        }
        auto t = QSharedPointer<HumanTicker>::create();
        t->setTickCount(6);
        return t;
    };
    xAxis->setScaleType(spec.logX ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    yAxis->setScaleType(spec.logY ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    xAxis->setTicker(ticker(spec.logX));
    yAxis->setTicker(ticker(spec.logY));

    double yMax = 1, yMin = 0;
    double positiveMin = std::numeric_limits<double>::max();
    for (const auto& p : s.points) {
        yMax = std::max(yMax, static_cast<double>(p.total));
        positiveMin = std::min(positiveMin, static_cast<double>(p.total));
        for (std::size_t c = 0; c < core::kComponentCount && spec.logY && spec.breakdown; ++c) {
            if (p.parts[c] > 0)
                positiveMin = std::min(positiveMin, static_cast<double>(p.parts[c]));
        }
    }
    for (const Marker& m : data.markers) {
        yMax = std::max(yMax, static_cast<double>(m.total));
        positiveMin = std::min(positiveMin, static_cast<double>(m.total));
    }
    const double x0 = static_cast<double>(s.from), x1 = static_cast<double>(s.to);
    if (spec.logX)
        xAxis->setRange(x0 / 1.15, x1 * 1.1);
    else
        xAxis->setRange(std::max(0.0, x0 - (x1 - x0) * 0.01), x1 + (x1 - x0) * 0.01);
    if (spec.logY) {
        yMin = positiveMin == std::numeric_limits<double>::max() ? 1 : positiveMin / 2;
        yAxis->setRange(yMin, yMax * 5);
    } else {
        yAxis->setRange(0, yMax * 1.12);
    }

    // Legend: below the axes (see the rows above), in as many columns as fit: see layoutAt().
    plot.legend->setVisible(true);
    plot.legend->setFont(fonts.font(1.0));
    plot.legend->setBrush(Qt::NoBrush);
    plot.legend->setBorderPen(Qt::NoPen);
    plot.legend->setIconSize(fonts.base * 2, fonts.base);
    plot.legend->setIconTextPadding(std::max(7, fonts.base * 2 / 3));
    plot.legend->setRowSpacing(std::max(0, fonts.base / 5));
    plot.legend->setColumnSpacing(fonts.base * 2);
    plot.legend->setMargins(QMargins(fonts.base / 2, std::max(2, fonts.base / 4), fonts.base / 2, 0));
    plot.legend->simplify();
    return built;
}

/// Whether the segment @p a–@p b touches @p r.
bool segmentHits(QPointF a, QPointF b, const QRectF& r)
{
    if (r.contains(a) || r.contains(b))
        return true;
    if (std::max(a.x(), b.x()) < r.left() || std::min(a.x(), b.x()) > r.right() || std::max(a.y(), b.y()) < r.top()
        || std::min(a.y(), b.y()) > r.bottom())
        return false;
    const QLineF s(a, b);
    const QLineF edges[] = { { r.topLeft(), r.topRight() }, { r.topRight(), r.bottomRight() },
        { r.bottomRight(), r.bottomLeft() }, { r.bottomLeft(), r.topLeft() } };
    return std::any_of(std::begin(edges), std::end(edges),
        [&](const QLineF& e) { return s.intersects(e, nullptr) == QLineF::BoundedIntersection; });
}

bool polylineHits(const QVector<QPointF>& line, const QRectF& r)
{
    for (int i = 1; i < line.size(); ++i) {
        if (segmentHits(line[i - 1], line[i], r))
            return true;
    }
    return false;
}

/// The point of @p r nearest to @p p.
QPointF nearestOn(const QRectF& r, QPointF p)
{
    return { std::clamp(p.x(), r.left(), r.right()), std::clamp(p.y(), r.top(), r.bottom()) };
}

/// Places marker labels next to their points, clear of each other, of the markers and, where
/// possible, of the curves. A label that has to move away gets a leader line to its point; when
/// even a short label finds no room, the marker gets a number, keyed in the footer: every marker
/// stays identifiable. Markers in @p keyed get their number directly. Returns the footer key lines.
QStringList placeLabels(QCustomPlot& plot, const Built& built, std::set<const Marker*>& keyed)
{
    const QRectF area = QRectF(plot.axisRect()->rect()).adjusted(2, 2, -2, -2);
    const double scale = std::max(1.0, built.fonts.base / 13.0);
    auto pixel = [&](const Marker& m) {
        return QPointF(
            plot.xAxis->coordToPixel(static_cast<double>(m.x)), plot.yAxis->coordToPixel(static_cast<double>(m.total)));
    };
    auto radius = [&](const Marker& m) { return m.current ? built.currentRadius : built.dotRadius; };

    // What a label must not cover: the markers, the labels placed so far and their leaders.
    std::vector<std::pair<QRectF, const Marker*>> dots;
    for (const Label& l : built.labels) {
        const QPointF p = pixel(*l.marker);
        const double r = radius(*l.marker) + 1;
        dots.emplace_back(QRectF(p.x() - r, p.y() - r, 2 * r, 2 * r), l.marker);
    }
    std::vector<QRectF> placed;
    std::vector<QLineF> leaders;
    // What it had better not cover: the curves (in pixels).
    std::vector<QVector<QPointF>> curves;
    for (QCPGraph* g : built.curves) {
        QVector<QPointF> line;
        for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it)
            line << QPointF(plot.xAxis->coordToPixel(it->key), plot.yAxis->coordToPixel(it->value));
        curves.push_back(std::move(line));
    }
    // Over a filled breakdown, the highest point of the total between two pixel columns.
    const QVector<QPointF>* total = curves.empty() ? nullptr : &curves.front();
    auto underTotal = [&](const QRectF& r) {
        if (!built.stacked || !total || total->isEmpty())
            return false;
        for (int i = 1; i < total->size(); ++i) {
            const QPointF a = (*total)[i - 1], b = (*total)[i];
            if (b.x() < r.left() || a.x() > r.right())
                continue;
            const double l = std::max(a.x(), r.left()), rr = std::min(b.x(), r.right());
            auto yAt = [&](double x) {
                return b.x() == a.x() ? a.y() : a.y() + (b.y() - a.y()) * (x - a.x()) / (b.x() - a.x());
            };
            if (r.bottom() > std::min(yAt(l), yAt(rr)))
                return true;
        }
        return false;
    };

    struct Choice {
        QRectF rect;
        double cost = std::numeric_limits<double>::max();
    };
    // The best spot for a label of @p size by the point of @p m, if any.
    auto search = [&](const Marker& m, QSizeF size) {
        const QPointF p = pixel(m);
        const double r = radius(m);
        Choice best;
        for (double ring : { 3.0, 9.0, 18.0, 30.0, 46.0, 66.0, 90.0, 120.0, 160.0, 210.0 }) {
            const double gap = ring * scale;
            for (int k = 0; k < 16; ++k) {
                // Above-left first (a growing curve leaves room there), then round the clock.
                const double angle = (135.0 + (k % 2 ? -1 : 1) * 22.5 * ((k + 1) / 2)) * std::numbers::pi / 180.0;
                const double c = std::cos(angle), sn = -std::sin(angle);
                const QPointF q = p + QPointF(c, sn) * (r + gap);
                const double left = c > 0.38 ? q.x() : c < -0.38 ? q.x() - size.width() : q.x() - size.width() / 2;
                const double top = sn > 0.38 ? q.y() : sn < -0.38 ? q.y() - size.height() : q.y() - size.height() / 2;
                const QRectF rect(QPointF(left, top), size);
                if (!area.contains(rect))
                    continue;
                const QRectF spaced = rect.adjusted(-3, -3, 3, 3);
                if (std::any_of(dots.begin(), dots.end(), [&](const auto& d) { return d.first.intersects(spaced); })
                    || std::any_of(placed.begin(), placed.end(), [&](const QRectF& t) { return t.intersects(spaced); })
                    || std::any_of(leaders.begin(), leaders.end(),
                        [&](const QLineF& l) { return segmentHits(l.p1(), l.p2(), spaced); }))
                    continue;
                const QPointF near = nearestOn(rect, p);
                const double distance = QLineF(near, p).length();
                // Never nearer to another marker than to its own (unless both share the spot).
                if (std::any_of(dots.begin(), dots.end(), [&](const auto& d) {
                        const QPointF o = d.first.center();
                        return d.second != &m && QLineF(o, p).length() >= built.currentRadius + built.dotRadius
                            && QLineF(nearestOn(rect, o), o).length() < distance + 4;
                    }))
                    continue;
                double cost = distance;
                if (distance > r + 8 * scale) { // a leader: it must cross no other marker nor label
                    const QPointF end = p + (near - p) * (r / std::max(distance, 1.0));
                    bool blocked = std::any_of(placed.begin(), placed.end(),
                        [&](const QRectF& t) { return segmentHits(near, end, t.adjusted(-1, -1, 1, 1)); });
                    for (const auto& [d, other] : dots) // markers on this one's point excepted
                        blocked = blocked || (other != &m && !d.contains(p) && segmentHits(near, end, d));
                    if (blocked)
                        continue;
                    cost += 10 * scale;
                }
                for (const auto& line : curves)
                    cost += polylineHits(line, spaced) ? 80 * scale : 0;
                cost += underTotal(spaced) ? 80 * scale : 0;
                if (cost < best.cost)
                    best = { rect, cost };
            }
        }
        return best;
    };

    // The current design's label first: it must never be the one crowded out.
    std::vector<const Label*> ordered;
    for (const Label& l : built.labels)
        ordered.push_back(&l);
    std::stable_partition(ordered.begin(), ordered.end(), [](const Label* l) { return l->marker->current; });

    // A preset (almost) on the current design's diamond: both labels name their marker's shape,
    // so that neither can be read as the other's whatever the leaders touch.
    std::set<const Marker*> onDiamond;
    for (const Label& c : built.labels) {
        if (!c.marker->current)
            continue;
        for (const Label& l : built.labels) {
            if (&l != &c && QLineF(pixel(*l.marker), pixel(*c.marker)).length() < built.currentRadius + built.dotRadius)
                onDiamond.insert(l.marker);
        }
        if (!onDiamond.empty())
            onDiamond.insert(c.marker);
    }

    QStringList key;
    for (const Label* l : ordered) {
        const Marker& m = *l->marker;
        const QString amount = qs(core::compactCount(m.total));
        const QString name = !onDiamond.count(&m) ? m.label
            : m.current                           ? QStringLiteral("◆ ") + m.label
                                                  : QStringLiteral("• ") + m.label;
        struct Try {
            QString text;
            double font = 0.95;
            bool number = false;
        };
        std::vector<Try> tries;
        tries.reserve(4);
        if (!keyed.count(&m) || m.current) { // a marker numbered in an earlier pass stays numbered
            const QString twoLines = QStringLiteral("%1\n%2").arg(name, amount);
            if (!m.differs.isEmpty())
                tries.push_back({ twoLines + QStringLiteral("  (") + m.differs + QLatin1Char(')'), 0.95, false });
            tries.push_back({ twoLines, 0.95, false });
            tries.push_back({ QStringLiteral("%1 %2").arg(name, amount), 0.8, false });
        }
        tries.push_back({ QString::number(key.size() + 1), 0.85, true });

        // The fullest form near the point and clear of the curves wins; a shorter form, a longer
        // leader or covering a curve each cost; a number (keyed in the footer) is the last resort.
        Choice chosen;
        const Try* used = nullptr;
        double bestCost = std::numeric_limits<double>::max();
        for (std::size_t i = 0; i < tries.size(); ++i) {
            const Try& t = tries[i];
            const QFont font = built.fonts.font(t.font, m.current);
            const QRectF text = QFontMetricsF(font).boundingRect(QRectF(0, 0, 4000, 4000), Qt::AlignCenter, t.text);
            const QSizeF size(text.width() + 8, text.height() + 4);
            Choice c = search(m, size);
            if (c.cost == std::numeric_limits<double>::max())
                continue;
            c.cost += (t.number ? 300.0 : 45.0 * static_cast<double>(i)) * scale;
            if (c.cost < bestCost) {
                bestCost = c.cost;
                chosen = c;
                used = &t;
            }
        }
        if (!used) { // no room anywhere: the number on the point's upper left, over whatever is there
            used = &tries.back();
            const QFont font = built.fonts.font(used->font, m.current);
            const QSizeF size(QFontMetricsF(font).horizontalAdvance(used->text) + 8, QFontMetricsF(font).height() + 4);
            const QPointF p = pixel(m);
            chosen.rect = QRectF(p - QPointF(size.width() + radius(m), size.height() + radius(m)), size);
        }
        l->text->setText(used->text);
        l->text->setFont(built.fonts.font(used->font, m.current));
        l->text->setPen(used->number ? QPen(l->text->color(), 1) : QPen(Qt::NoPen));
        l->text->position->setCoords(chosen.rect.center());
        l->text->setVisible(true);
        if (used->number) {
            keyed.insert(&m);
            key << QStringLiteral("%1 = %2 (%3%4)")
                       .arg(used->text, m.label, amount,
                           m.differs.isEmpty() ? QString() : QStringLiteral("; ") + m.differs);
        }
        placed.push_back(chosen.rect);
        const QPointF p = pixel(m);
        const QPointF near = nearestOn(chosen.rect, p);
        const double distance = QLineF(near, p).length();
        const bool lead = distance > radius(m) + 8 * scale;
        l->leader->setVisible(lead);
        if (lead) {
            const QPointF end = p + (near - p) * (radius(m) / std::max(distance, 1.0));
            l->leader->start->setCoords(near);
            l->leader->end->setCoords(end);
            leaders.emplace_back(near, end);
        }
    }
    return key;
}

/// Lays out @p plot at @p size: the legend in as many columns as fit, then the labels, then the
/// footer with the key of numbered markers (and again, since the footer's height moves the axes).
void layoutAt(QCustomPlot& plot, const Built& built, QSize size)
{
    plot.setViewport(QRect(QPoint(0, 0), size));
    QCPLegend* legend = plot.legend;
    // A rebuild removes the previous graphs' items from a legend wrapped into columns, which leaves
    // empty cells that itemCount() counts and item() returns as null: back to one column first.
    legend->setWrap(0);
    legend->setFillOrder(QCPLayoutGrid::foRowsFirst, true);
    const int n = legend->itemCount();
    std::vector<int> widths;
    for (int i = 0; i < n; ++i)
        widths.push_back(legend->item(i)->minimumOuterSizeHint().width());
    const int available = size.width() - legend->margins().left() - legend->margins().right() - 24;
    auto fits = [&](int columns) {
        int sum = legend->columnSpacing() * (columns - 1);
        for (int c = 0; c < columns; ++c) {
            int w = 0;
            for (int i = c; i < n; i += columns)
                w = std::max(w, widths[static_cast<std::size_t>(i)]);
            sum += w;
        }
        return sum <= available;
    };
    int columns = 1;
    for (int c = std::max(1, n); c > 1; --c) {
        if (fits(c)) {
            columns = c;
            break;
        }
    }
    // As few rows as that, in as few columns as give them (a fuller last row).
    const int rows = n > 0 ? (n + columns - 1) / columns : 1;
    while (columns > 1 && (n + columns - 2) / (columns - 1) == rows)
        --columns;
    legend->setWrap(columns);
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);

    std::set<const Marker*> keyed;
    for (int pass = 0; pass < 4; ++pass) {
        plot.plotLayout()->update(QCPLayoutElement::upPreparation);
        plot.plotLayout()->update(QCPLayoutElement::upMargins);
        plot.plotLayout()->update(QCPLayoutElement::upLayout);
        const QStringList key = placeLabels(plot, built, keyed);
        const QString footer = key.isEmpty()
            ? built.footerText
            : built.footerText + QStringLiteral("\nNumbered markers: ") + wrapped(key.join(QStringLiteral("; ")), 160);
        if (footer == built.footer->text())
            break;
        built.footer->setText(footer);
    }
}

/// Fonts for a file of @p size: readable on a slide, in proportion to the picture.
Fonts exportFonts(QSize size)
{
    const double scale = std::min(size.width() / 1280.0, size.height() / 800.0);
    return Fonts { std::max(11, static_cast<int>(std::lround(16 * scale))) };
}

bool writePlot(QCustomPlot& plot, const QString& file, QSize size, int dpi, const QString& title, QString* error)
{
    const QString suffix = QFileInfo(file).suffix().toLower();
    bool ok = false;
    if (suffix == QLatin1String("png")) {
        const double scale = std::max(1, dpi) / 96.0;
        ok = plot.savePng(file, size.width(), size.height(), scale, -1, dpi);
    } else if (suffix == QLatin1String("pdf")) {
        ok = plot.savePdf(file, size.width(), size.height(), QCP::epNoCosmetic, QStringLiteral("ParamScope"), title);
    } else if (suffix == QLatin1String("svg")) {
        QSvgGenerator svg;
        svg.setFileName(file);
        svg.setSize(size);
        svg.setViewBox(QRect(QPoint(0, 0), size));
        svg.setTitle(title);
        svg.setDescription(QStringLiteral("Generated by ParamScope"));
        QCPPainter painter;
        if (painter.begin(&svg)) {
            plot.toPainter(&painter, size.width(), size.height());
            ok = painter.end();
        }
    } else {
        if (error)
            *error = QStringLiteral("%1: unknown file type (use .png, .svg or .pdf)").arg(file);
        return false;
    }
    if (!ok && error)
        *error = QStringLiteral("%1: could not write the chart").arg(file);
    return ok;
}

QString chartTitle(const ChartSpec& spec)
{
    return spec.title.isEmpty() ? QStringLiteral("Parameters of %1 over %2").arg(designLabel(spec.design), qs(spec.x))
                                : spec.title;
}

} // namespace

bool renderChart(const ChartSpec& spec, const QString& file, QSize size, int dpi, QString* error)
{
    if (size.width() < 200 || size.height() < 150) {
        if (error)
            *error = QStringLiteral("size %1x%2 is too small (at least 200x150)").arg(size.width()).arg(size.height());
        return false;
    }
    auto data = computeChart(spec);
    if (!data) {
        if (error)
            *error = qs(data.error().text());
        return false;
    }
    QCustomPlot plot;
    plot.resize(size);
    const Built built = buildPlot(plot, spec, *data, exportFonts(size));
    layoutAt(plot, built, size);
    return writePlot(plot, file, size, dpi, chartTitle(spec), error);
}

// ---------------------------------------------------------------------------------------------

ChartWidget::ChartWidget(QWidget* parent)
    : QWidget(parent)
{
    for (const core::Preset& p : core::presets()) {
        auto d = core::loadText(p.json, "preset " + std::string(p.name));
        if (d && d->compile())
            m_presetDesigns.push_back(std::move(*d));
    }

    m_xCombo = new QComboBox(this);
    m_xCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_xCombo->setToolTip(tr("The hyperparameter on the horizontal axis; the others are held, derived ones follow"));
    m_logY = new QCheckBox(tr("Log y"), this);
    m_logX = new QCheckBox(tr("Log x"), this);
    m_breakdown = new QCheckBox(tr("Breakdown"), this);
    m_breakdown->setChecked(true);
    m_breakdown->setToolTip(tr("Stacked by component kind (separate curves on a log axis)"));
    m_presets = new QCheckBox(tr("Presets"), this);
    m_presets->setChecked(true);
    m_presets->setToolTip(tr("Mark the presets at their own values"));
    m_export = new QToolButton(this);
    m_export->setText(tr("Export…"));
    m_export->setToolTip(tr("Save the chart as PNG, SVG or PDF"));

    auto* controls = new QHBoxLayout;
    auto* xLabel = new QLabel(tr("&x:"), this);
    xLabel->setBuddy(m_xCombo);
    controls->addWidget(xLabel);
    controls->addWidget(m_xCombo);
    controls->addWidget(m_logY);
    controls->addWidget(m_logX);
    controls->addWidget(m_breakdown);
    controls->addWidget(m_presets);
    controls->addStretch();
    controls->addWidget(m_export);

    m_plot = new QCustomPlot(this);
    m_plot->setMinimumSize(320, 240);
    m_plot->setMouseTracking(true);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(controls);
    layout->addWidget(m_plot, 1);
    layout->addWidget(m_status);

    m_timer = new QTimer(this);
    m_timer->setSingleShot(true);
    m_timer->setInterval(30);
    connect(m_timer, &QTimer::timeout, this, &ChartWidget::rebuild);

    connect(m_xCombo, &QComboBox::currentIndexChanged, this, [this] {
        const QString x = m_xCombo->currentData().toString();
        if (!x.isEmpty())
            m_spec.x = x.toStdString();
        scheduleRebuild();
    });
    for (QCheckBox* box : { m_logY, m_logX, m_breakdown, m_presets })
        connect(box, &QCheckBox::toggled, this, &ChartWidget::scheduleRebuild);
    connect(m_export, &QToolButton::clicked, this, &ChartWidget::exportWithDialog);

    connect(m_plot, &QCustomPlot::mouseMove, this, [this](QMouseEvent* event) { showTooltip(event->pos()); });
}

ChartWidget::~ChartWidget() = default;

void ChartWidget::setDesign(const core::Design& design)
{
    m_spec.design = design;
    updateXChoices();
    scheduleRebuild();
}

void ChartWidget::scheduleRebuild()
{
    m_dirty = true;
    // Hidden (the tree tab is up): nothing to draw; showEvent() catches up.
    if (!isVisible())
        return;
    // Throttle, don't debounce: QTimer::start() restarts a running timer, so starting it on every
    // step would hold the chart back for as long as a drag lasts.
    if (!m_timer->isActive())
        m_timer->start();
}

void ChartWidget::flush()
{
    m_timer->stop();
    if (m_dirty)
        rebuild();
}

void ChartWidget::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    // Catch up before the first frame, so that a stale chart never shows.
    flush();
}

void ChartWidget::updateXChoices()
{
    QStringList names;
    for (const auto& s : m_spec.design.symbols)
        names << qs(s.name);
    QStringList shown;
    for (int i = 0; i < m_xCombo->count(); ++i)
        shown << m_xCombo->itemData(i).toString();
    if (names == shown)
        return;
    const QSignalBlocker blocker(m_xCombo);
    m_xCombo->clear();
    for (const auto& s : m_spec.design.symbols) {
        const QString text
            = s.description.empty() ? qs(s.name) : QStringLiteral("%1 — %2").arg(qs(s.name), qs(s.description));
        m_xCombo->addItem(text, qs(s.name));
    }
    int index = m_xCombo->findData(qs(m_spec.x));
    if (index < 0)
        index = std::max(0, m_xCombo->findData(QStringLiteral("E")));
    m_xCombo->setCurrentIndex(index);
    if (index < m_xCombo->count())
        m_spec.x = m_xCombo->itemData(index).toString().toStdString();
}

ChartSpec ChartWidget::currentSpec() const
{
    ChartSpec spec = m_spec;
    spec.autoRangeFactor = 4;
    spec.logY = m_logY->isChecked();
    spec.logX = m_logX->isChecked();
    spec.breakdown = m_breakdown->isChecked();
    spec.markers.clear();
    if (m_presets->isChecked())
        spec.markers = m_presetDesigns;
    return spec;
}

void ChartWidget::rebuild()
{
    m_dirty = false;
    rebuildNow();
    emit rebuilt();
}

void ChartWidget::rebuildNow()
{
    if (!m_spec.design.root) {
        m_status->setText(tr("No design."));
        return;
    }
    const ChartSpec spec = currentSpec();
    auto data = computeChart(spec);
    if (!data) {
        m_plot->clearPlottables();
        m_plot->clearItems();
        m_plot->replot(QCustomPlot::rpQueuedReplot);
        m_status->setText(tr("No chart: %1").arg(qs(data.error().text())));
        m_data.reset();
        return;
    }
    Fonts fonts { std::max(11, QFontInfo(font()).pixelSize()) };
    const Built built = buildPlot(*m_plot, spec, *data, fonts);
    m_data = std::make_shared<ChartData>(std::move(*data));
    layoutAt(*m_plot, built, m_plot->size());
    m_plot->replot(QCustomPlot::rpQueuedReplot);
    const core::Sweep& s = m_data->sweep;
    m_status->setText(s.skipped.empty()
            ? QString()
            : tr("%n invalid value(s) of %1 skipped, e.g. %1 = %2: %3", nullptr, static_cast<int>(s.skipped.size()))
                  .arg(qs(s.x))
                  .arg(s.skipped.front().x)
                  .arg(qs(s.skipped.front().reason)));
}

void ChartWidget::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    scheduleRebuild(); // marker labels are placed in pixels
}

void ChartWidget::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange) // zoom: the chart's fonts follow the widget's
        scheduleRebuild();
}

void ChartWidget::showTooltip(QPoint pos)
{
    if (!m_data || m_data->sweep.points.empty() || !m_plot->axisRect()->rect().contains(pos)) {
        QToolTip::hideText();
        return;
    }
    const core::Sweep& s = m_data->sweep;
    const int px = std::max(12, QFontInfo(font()).pixelSize());
    const QString style = QStringLiteral("<div style='font-size:%1px'>").arg(px);
    // A marker under the mouse first.
    for (const Marker& m : m_data->markers) {
        const QPointF p(m_plot->xAxis->coordToPixel(static_cast<double>(m.x)),
            m_plot->yAxis->coordToPixel(static_cast<double>(m.total)));
        if (QLineF(p, pos).length() <= px) {
            QToolTip::showText(m_plot->mapToGlobal(pos),
                style
                    + QStringLiteral("<b>%1</b><br>%2 = %3<br>total <b>%4</b> (%5)</div>")
                          .arg(m.label.toHtmlEscaped(), qs(s.x), grouped(m.x), grouped(m.total),
                              qs(core::compactCount(m.total))),
                m_plot);
            return;
        }
    }
    // Otherwise the sweep point nearest in x.
    const double x = m_plot->xAxis->pixelToCoord(pos.x());
    auto it = std::lower_bound(s.points.begin(), s.points.end(), x,
        [](const core::SweepPoint& p, double v) { return static_cast<double>(p.x) < v; });
    if (it == s.points.end())
        --it;
    if (it != s.points.begin()
        && std::abs(static_cast<double>(std::prev(it)->x) - x) < std::abs(static_cast<double>(it->x) - x))
        --it;
    const core::SweepPoint& p = *it;
    QString html = style
        + QStringLiteral("<b>%1 = %2</b><br>total <b>%3</b> (%4)")
              .arg(qs(s.x), grouped(p.x), grouped(p.total), qs(core::compactCount(p.total)));
    html += QStringLiteral("<table>");
    for (std::size_t c = 0; c < core::kComponentCount; ++c) {
        if (!s.present[c])
            continue;
        const double share = p.total ? 100.0 * static_cast<double>(p.parts[c]) / static_cast<double>(p.total) : 0.0;
        html += QStringLiteral("<tr><td><span style='color:%1'>■</span> %2</td><td align=right>&nbsp;%3</td>"
                               "<td align=right>&nbsp;%4%</td></tr>")
                    .arg(componentColor(static_cast<Component>(c)).name(),
                        qs(std::string(core::componentLabel(static_cast<Component>(c)))), grouped(p.parts[c]),
                        QString::number(share, 'f', 1));
    }
    html += QStringLiteral("</table></div>");
    QToolTip::showText(m_plot->mapToGlobal(pos), html, m_plot);
}

QVector<QPointF> ChartWidget::plottedTotal() const
{
    QVector<QPointF> out;
    // The total is the first graph (see buildPlot).
    if (m_plot->graphCount() == 0)
        return out;
    for (auto it = m_plot->graph(0)->data()->constBegin(); it != m_plot->graph(0)->data()->constEnd(); ++it)
        out << QPointF(it->key, it->value);
    return out;
}

bool ChartWidget::exportTo(const QString& file, QSize size, int dpi, QString* error)
{
    return renderChart(currentSpec(), file, size, dpi, error);
}

void ChartWidget::exportWithDialog()
{
    QString selected;
    const QString file = QFileDialog::getSaveFileName(this, tr("Export chart"), QStringLiteral("growth.png"),
        tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"), &selected);
    if (file.isEmpty())
        return;
    QString error;
    // Slide size; PNG at twice the pixels for a sharp picture.
    if (!exportTo(file, QSize(1600, 1000), 192, &error))
        QMessageBox::warning(this, tr("Export chart"), error);
}

} // namespace paramscope::ui
