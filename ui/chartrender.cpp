// SPDX-License-Identifier: MIT
#include "chartplot.h"

#include "chartrender.h"

#include "breakdown.h"
#include "report.h"

#include <QFileInfo>
#include <QSvgGenerator>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <set>

namespace paramscope::ui {

using chart::qs;
using core::Component;

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
    case Component::CrossAttention:
        return QColor(0xff, 0x9d, 0xa7);
    case Component::Ssm:
        return QColor(0x8c, 0xd1, 0x7d);
    case Component::Audio:
        return QColor(0x49, 0x98, 0x94);
    case Component::Other:
        break;
    }
    return QColor(0xba, 0xb0, 0xac);
}

namespace {

class HumanTicker : public QCPAxisTicker {
public:
    bool bytes = false; ///< "16 GB" rather than "16B"
protected:
    QString getTickLabel(double tick, const QLocale&, QChar, int) override
    {
        return bytes ? chart::humanBytes(tick) : chart::human(tick);
    }
};

class HumanLogTicker : public QCPAxisTickerLog {
public:
    bool bytes = false;

protected:
    QString getTickLabel(double tick, const QLocale&, QChar, int) override
    {
        return bytes ? chart::humanBytes(tick) : chart::human(tick);
    }
};

/// A marker's label: next to its point, or, when crowded out, a number keyed in the footer.
struct Label {
    const Marker* marker = nullptr;
    QCPItemText* text = nullptr;
    QCPItemLine* leader = nullptr; ///< from the label to its point when the label had to move away
};

/// How one legend entry's icon is drawn: as its curve is.
struct Swatch {
    LegendEntry::Icon icon = LegendEntry::Icon::Line;
    QPen pen;
    QBrush brush;
    double size = 10; ///< of a scatter shape
};

/// The curves and markers built into a plot; the marker labels are placed once it is laid out.
struct Built {
    std::vector<Label> labels;
    std::vector<QCPGraph*> curves; ///< lines a label should not cover, the total first
    std::vector<Swatch> swatches; ///< one per legend entry of layoutInput()
    bool stacked = false; ///< the area under the total is filled
    const ChartData* data = nullptr; ///< for the amounts in the marker labels
    double dotRadius = 5; ///< pixels, of a preset's marker
    double currentRadius = 7; ///< pixels, of the current design's marker
    ChartFonts fonts;
};

/// Title, subtitle, legend and footer, drawn where the layout put them (QCustomPlot's own legend
/// and text elements size themselves, which is what let them overlap and clip).
class Decorations : public QCPAbstractItem {
public:
    explicit Decorations(QCustomPlot* plot)
        : QCPAbstractItem(plot)
    {
        setClipToAxisRect(false);
        setSelectable(false);
        setLayer(QStringLiteral("legend"));
    }
    double selectTest(const QPointF&, bool, QVariant* = nullptr) const override { return -1; }

    ChartLayout layout;
    std::vector<Swatch> swatches;

protected:
    void draw(QCPPainter* painter) override
    {
        painter->setAntialiasing(true);
        drawText(painter, layout.title, QColor(0x10, 0x10, 0x10));
        drawText(painter, layout.subtitle, QColor(0x55, 0x55, 0x55));
        drawText(painter, layout.footer, QColor(0x66, 0x66, 0x66));
        const QFont font = layout.fonts.legend();
        const int ls = static_cast<int>(std::ceil(QFontMetricsF(font).lineSpacing()));
        for (std::size_t i = 0; i < layout.entries.size() && i < swatches.size(); ++i) {
            const ChartLayout::Entry& e = layout.entries[i];
            if (e.rect.isEmpty())
                continue;
            const Swatch& s = swatches[i];
            const QRectF icon(e.icon);
            if (s.icon == LegendEntry::Icon::Diamond) {
                const QCPScatterStyle diamond(
                    QCPScatterStyle::ssDiamond, QPen(Qt::white, 1.5), QColor(0xd6, 0x27, 0x28), s.size);
                diamond.applyTo(painter, QPen());
                diamond.drawShape(painter, icon.center());
            } else {
                if (s.icon == LegendEntry::Icon::Area) {
                    painter->setPen(Qt::NoPen);
                    painter->setBrush(s.brush);
                    painter->drawRect(icon.adjusted(0, icon.height() / 4, 0, 0));
                }
                painter->setPen(s.pen);
                painter->setBrush(Qt::NoBrush);
                const double y = s.icon == LegendEntry::Icon::Area ? icon.top() + icon.height() / 4 : icon.center().y();
                painter->drawLine(QPointF(icon.left(), y), QPointF(icon.right(), y));
            }
            painter->setFont(font);
            painter->setPen(QColor(0x20, 0x20, 0x20));
            for (qsizetype l = 0; l < e.lines.size(); ++l)
                painter->drawText(QRect(e.text.left(), e.text.top() + static_cast<int>(l) * ls, e.text.width() + 4, ls),
                    Qt::AlignLeft | Qt::AlignVCenter, e.lines[l]);
        }
    }

private:
    static void drawText(QCPPainter* painter, const ChartLayout::Text& t, const QColor& color)
    {
        if (t.rect.isEmpty())
            return;
        painter->setFont(t.font);
        painter->setPen(color);
        const int ls = static_cast<int>(std::ceil(QFontMetricsF(t.font).lineSpacing()));
        for (qsizetype l = 0; l < t.lines.size(); ++l)
            painter->drawText(QRect(t.rect.left(), t.rect.top() + static_cast<int>(l) * ls, t.rect.width(), ls),
                Qt::AlignHCenter | Qt::AlignVCenter, t.lines[l]);
    }
};

/// Builds the curves and markers of @p data into @p plot (no layout yet).
Built buildCurves(QCustomPlot& plot, const ChartSpec& spec, const ChartData& data, const ChartLayoutInput& in,
    const ChartFonts& fonts)
{
    plot.clearPlottables();
    plot.clearItems();
    plot.setAutoAddPlottableToLegend(false);
    plot.legend->setVisible(false);
    if (!plot.layer(QStringLiteral("curves")))
        plot.addLayer(QStringLiteral("curves"), plot.layer(QStringLiteral("main")), QCustomPlot::limAbove);
    plot.setBackground(Qt::white);

    const core::Sweep& s = data.sweep;
    Built built;
    built.fonts = fonts;
    built.stacked = spec.breakdown && !spec.logY;
    built.data = &data;
    QVector<double> xs;
    xs.reserve(static_cast<int>(s.points.size()));
    for (const auto& p : s.points)
        xs << static_cast<double>(p.x);

    // The total first (plottedTotal() reads graph 0), drawn above the breakdown.
    {
        QVector<double> ys;
        ys.reserve(xs.size());
        for (const auto& p : s.points)
            ys << static_cast<double>(p.total);
        auto* g = plot.addGraph();
        g->setName(in.legend.front().fullText());
        g->setPen(QPen(QColor(0x20, 0x20, 0x20), std::max(2.5, fonts.base / 4.5)));
        g->setData(xs, ys, true);
        g->setLayer(QStringLiteral("curves"));
        built.curves.push_back(g);
        built.swatches.push_back({ LegendEntry::Icon::Line, g->pen(), Qt::NoBrush, 0 });
    }

    // Breakdown: stacked areas on a linear axis, separate curves on a log one, in the legend's order.
    QVector<double> below(xs.size(), 0.0);
    QCPGraph* previous = nullptr;
    for (const LegendEntry& e : in.legend) {
        if (e.component < 0)
            continue;
        const auto c = static_cast<std::size_t>(e.component);
        QVector<double> ys(xs.size());
        for (int i = 0; i < xs.size(); ++i) {
            const double v = static_cast<double>(s.points[static_cast<std::size_t>(i)].parts[c]);
            ys[i] = built.stacked ? below[i] + v : v;
            below[i] = ys[i];
        }
        auto* g = plot.addGraph();
        const QColor color = componentColor(static_cast<Component>(c));
        if (built.stacked) {
            QColor fill = color;
            fill.setAlpha(170);
            g->setPen(QPen(color.darker(115), std::max(1.0, fonts.base / 12.0)));
            g->setBrush(fill);
            // The bottom layer fills down to zero; the others fill to the layer below.
            if (previous)
                g->setChannelFillGraph(previous);
        } else {
            QPen pen(color, std::max(2.0, fonts.base / 6.0));
            if (!e.note.isEmpty()) // on top of an earlier curve: dashed, so both colours show
                pen.setDashPattern({ 3.0, 2.5 });
            g->setPen(pen);
            built.curves.push_back(g);
        }
        g->setName(e.fullText());
        g->setData(xs, ys, true);
        previous = g;
        built.swatches.push_back({ e.icon, g->pen(), g->brush(), 0 });
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
    others->setLayer(QStringLiteral("curves"));
    for (const Marker& m : data.markers) {
        (m.current ? mine : others)->addData(static_cast<double>(m.x), static_cast<double>(m.total));
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
    if (in.legend.back().icon == LegendEntry::Icon::Diamond)
        built.swatches.push_back({ LegendEntry::Icon::Diamond, QPen(), QBrush(), markerSize * 1.5 });

    // Axes.
    QCPAxis* xAxis = plot.xAxis;
    QCPAxis* yAxis = plot.yAxis;
    for (QCPAxis* a : { xAxis, yAxis }) {
        a->setLabelFont(fonts.axisLabel());
        a->setTickLabelFont(fonts.tickLabel());
        a->setBasePen(QPen(QColor(0x44, 0x44, 0x44), 1.2));
        a->setTickPen(QPen(QColor(0x44, 0x44, 0x44), 1.2));
        a->setSubTickPen(QPen(QColor(0x88, 0x88, 0x88), 1));
        a->grid()->setPen(QPen(QColor(0xdd, 0xdd, 0xdd), 1, Qt::SolidLine));
        a->grid()->setSubGridVisible(false);
        a->setTickLengthOut(0);
        a->setSubTickLengthOut(0);
        a->setPadding(0);
        a->setOffset(0);
        a->setTickLabelPadding(fonts.padding());
        a->setLabelPadding(fonts.padding());
    }
    const auto ticker = [](bool log, bool bytes = false) -> QSharedPointer<QCPAxisTicker> {
        if (log) {
            auto t = QSharedPointer<HumanLogTicker>::create();
            t->bytes = bytes;
            t->setLogBase(10);
            t->setSubTickCount(8);
            t->setTickCount(8);
            return t;
        }
        auto t = QSharedPointer<HumanTicker>::create();
        t->bytes = bytes;
        t->setTickCount(6);
        return t;
    };
    xAxis->setScaleType(spec.logX ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    yAxis->setScaleType(spec.logY ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    xAxis->setTicker(ticker(spec.logX));
    yAxis->setTicker(ticker(spec.logY, core::inBytes(data.metric)));

    double yMax = 1;
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
    if (spec.logY)
        yAxis->setRange(positiveMin == std::numeric_limits<double>::max() ? 1 : positiveMin / 2, yMax * 5);
    else
        yAxis->setRange(0, yMax * 1.12);
    return built;
}

/// The tick labels @p axis will print over its range.
QStringList tickLabels(QCPAxis* axis)
{
    QVector<double> ticks;
    QVector<QString> labels;
    axis->ticker()->generate(axis->range(), QLocale(), QLatin1Char('g'), 6, ticks, nullptr, &labels);
    return QStringList(labels.begin(), labels.end());
}

/// Puts the axes where @p layout says and hands it to the decorations.
void applyLayout(QCustomPlot& plot, const ChartLayout& layout, Decorations* decorations)
{
    const QSize size = layout.size;
    plot.setViewport(QRect(QPoint(0, 0), size));
    const QRect axes = layout.axes, data = layout.plot;
    plot.plotLayout()->setMargins(
        QMargins(axes.left(), axes.top(), size.width() - 1 - axes.right(), size.height() - 1 - axes.bottom()));
    plot.plotLayout()->setRowSpacing(0);
    plot.plotLayout()->setColumnSpacing(0);
    QCPAxisRect* rect = plot.axisRect();
    rect->setMinimumSize(0, 0);
    rect->setMinimumMargins(QMargins(0, 0, 0, 0));
    rect->setAutoMargins(QCP::msNone);
    rect->setMargins(QMargins(data.left() - axes.left(), data.top() - axes.top(), axes.right() - data.right(),
        axes.bottom() - data.bottom()));
    plot.xAxis->setLabel(layout.xLabel);
    plot.yAxis->setLabel(layout.yLabel);
    decorations->layout = layout;
    plot.plotLayout()->update(QCPLayoutElement::upPreparation);
    plot.plotLayout()->update(QCPLayoutElement::upMargins);
    plot.plotLayout()->update(QCPLayoutElement::upLayout);
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

/// The first segment of @p line (points in increasing x, as a curve's pixels are) that may reach
/// x = @p left: the label search looks only at the few segments under a label, not all 600.
int firstSegment(const QVector<QPointF>& line, double left)
{
    auto it = std::lower_bound(line.begin(), line.end(), left, [](const QPointF& p, double x) { return p.x() < x; });
    return std::max(1, static_cast<int>(it - line.begin()));
}

bool polylineHits(const QVector<QPointF>& line, const QRectF& r)
{
    for (int i = firstSegment(line, r.left()); i < line.size() && line[i - 1].x() <= r.right(); ++i) {
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
        for (int i = firstSegment(*total, r.left()); i < total->size() && (*total)[i - 1].x() <= r.right(); ++i) {
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
    // The 16 directions tried round a point, above-left first (a growing curve leaves room there).
    std::array<QPointF, 16> directions;
    for (int k = 0; k < 16; ++k) {
        const double angle = (135.0 + (k % 2 ? -1 : 1) * 22.5 * ((k + 1) / 2)) * std::numbers::pi / 180.0;
        directions[static_cast<std::size_t>(k)] = QPointF(std::cos(angle), -std::sin(angle));
    }
    // The best spot for a label of @p size by the point of @p m, if any. @p relaxed (for a number
    // in a crowd): farther rings, and a label with a leader may be nearer to another marker, since
    // the leader says whose it is.
    auto search = [&](const Marker& m, QSizeF size, bool relaxed = false) {
        const QPointF p = pixel(m);
        const double r = radius(m);
        Choice best;
        for (double ring : { 3.0, 9.0, 18.0, 30.0, 46.0, 66.0, 90.0, 120.0, 160.0, 210.0, 270.0, 340.0 }) {
            if (ring > 210 && !relaxed)
                break;
            const double gap = ring * scale;
            // A spot on this ring or farther is at least 0.38 (r + gap) from the point (see left and
            // top below), and a spot's cost is at least its distance: nothing farther can win.
            if (best.cost < 0.38 * (r + gap))
                break;
            for (int k = 0; k < 16; ++k) {
                // Above-left first (a growing curve leaves room there), then round the clock.
                const QPointF dir = directions[static_cast<std::size_t>(k)];
                const double c = dir.x(), sn = dir.y();
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
                const bool led = distance > r + 8 * scale;
                if (!(relaxed && led) && std::any_of(dots.begin(), dots.end(), [&](const auto& d) {
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
        const QString amount = chart::amount(*built.data, m.total);
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
            const QFontMetricsF metrics(font);
            double width = 0;
            const QStringList lines = t.text.split(QLatin1Char('\n'));
            for (const QString& line : lines)
                width = std::max(width, textAdvance(font, line));
            const QSizeF size(
                width + 8, metrics.height() + metrics.lineSpacing() * static_cast<double>(lines.size() - 1) + 4);
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
        if (!used) { // in a crowd: the number farther out, with a leader
            used = &tries.back();
            const QFont font = built.fonts.font(used->font, m.current);
            const QSizeF size(textAdvance(font, used->text) + 8, QFontMetricsF(font).height() + 4);
            chosen = search(m, size, true);
            if (chosen.cost == std::numeric_limits<double>::max()) {
                // No spot clear of everything: the nearest clear of the other labels at least (over
                // a curve or a marker), else the point's upper left, over whatever is there.
                const QPointF p = pixel(m);
                chosen.rect = QRectF(p - QPointF(size.width() + radius(m), size.height() + radius(m)), size);
                bool found = false;
                for (double ring = 0; ring < 400 && !found; ring += 6) {
                    for (const QPointF& dir : directions) {
                        const QRectF rect(
                            p + dir * (radius(m) + ring * scale) - QPointF(size.width(), size.height()) / 2, size);
                        if (area.contains(rect) && std::none_of(placed.begin(), placed.end(), [&](const QRectF& t) {
                                return t.intersects(rect.adjusted(-2, -2, 2, 2));
                            })) {
                            chosen.rect = rect;
                            found = true;
                            break;
                        }
                    }
                }
            }
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

} // namespace

ChartLayout drawChart(QCustomPlot& plot, const ChartSpec& spec, const ChartData& data, QSize size, int fontBase)
{
    ChartLayoutInput in = layoutInput(spec, data, size, fontBase);
    const Built built = buildCurves(plot, spec, data, in, ChartFonts { std::max(8, fontBase) });
    in.xTicks = tickLabels(plot.xAxis);
    in.yTicks = tickLabels(plot.yAxis);
    auto* decorations = new Decorations(&plot);
    decorations->swatches = built.swatches;
    // Lay out, place the labels; a label that found no room becomes a number keyed in the footer,
    // which may move the axes: again, with numbered markers kept numbered, until it settles.
    ChartLayout layout;
    std::set<const Marker*> keyed;
    QStringList key;
    for (int pass = 0; pass < 8; ++pass) { // numbered markers stay numbered: the key only grows
        in.key = key;
        layout = layoutChart(in);
        applyLayout(plot, layout, decorations);
        const QStringList placed = placeLabels(plot, built, keyed);
        if (placed == key)
            break;
        key = placed;
    }
    return layout;
}

int exportFontBase(QSize size)
{
    const double scale = std::min(size.width() / 1280.0, size.height() / 800.0);
    return std::max(11, static_cast<int>(std::lround(16 * scale)));
}

namespace {

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

} // namespace

bool renderChart(const ChartSpec& spec, const QString& file, QSize size, int dpi, QString* error)
{
    if (size.width() < 200 || size.height() < 150) {
        if (error)
            *error = QStringLiteral("size %1x%2 is too small (at least 200x150)").arg(size.width()).arg(size.height());
        return false;
    }
    if (const QString suffix = QFileInfo(file).suffix().toLower();
        suffix != QLatin1String("png") && suffix != QLatin1String("svg") && suffix != QLatin1String("pdf")) {
        if (error)
            *error = QStringLiteral("%1: unknown file type (use .png, .svg or .pdf)").arg(file);
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
    drawChart(plot, spec, *data, size, exportFontBase(size));
    return writePlot(plot, file, size, dpi, chart::title(spec, data->sweep.x), error);
}

} // namespace paramscope::ui
