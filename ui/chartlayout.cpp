// SPDX-License-Identifier: MIT
#include "chartlayout.h"

#include "breakdown.h"

#include <QFontMetricsF>
#include <QHash>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>

namespace paramscope::ui {

using chart::qs;

QFont ChartFonts::font(double factor, bool bold) const
{
    QFont f;
    f.setPixelSize(std::max(8, static_cast<int>(std::lround(base * factor))));
    f.setBold(bold);
    return f;
}

double textAdvance(const QFont& font, const QString& text)
{
    thread_local QHash<QString, double> cache;
    if (cache.size() > 20000)
        cache.clear();
    const QString key = font.key() + QChar(0x1f) + text;
    auto it = cache.constFind(key);
    if (it != cache.constEnd())
        return *it;
    const double w = QFontMetricsF(font).horizontalAdvance(text);
    cache.insert(key, w);
    return w;
}

QString LegendEntry::fullText() const
{
    QString text = label;
    if (!formula.isEmpty())
        text += (total ? QStringLiteral(" = ") : QStringLiteral("   ")) + formula;
    if (!note.isEmpty())
        text += QStringLiteral("   ") + note;
    return text;
}

namespace {

int lineHeight(const QFont& font)
{
    return static_cast<int>(std::ceil(QFontMetricsF(font).lineSpacing()));
}

int textWidth(const QFont& font, const QString& text)
{
    return static_cast<int>(std::ceil(textAdvance(font, text)));
}

struct Wrapped {
    QStringList lines;
    bool elided = false;
    int width = 0; ///< of the widest line
};

/// Fills lines of at most @p width pixels with @p tokens (a break may come between any two; each
/// line is trimmed). A token wider than a line alone is elided. Each token is measured once and
/// each line once more (a slider step lays the chart out again: no shaping per character).
Wrapped wrapTokens(const QStringList& tokens, const QFont& font, int width)
{
    Wrapped out;
    const QFontMetricsF metrics(font);
    QString line;
    double lineWidth = 0;
    auto flush = [&] {
        QString t = line.trimmed();
        line.clear();
        lineWidth = 0;
        if (t.isEmpty())
            return;
        double w = textAdvance(font, t);
        if (w > width) {
            t = metrics.elidedText(t, Qt::ElideRight, width);
            w = textAdvance(font, t);
            out.elided = true;
        }
        out.width = std::max(out.width, static_cast<int>(std::ceil(w)));
        out.lines << t;
    };
    for (const QString& token : tokens) {
        const double w = textAdvance(font, token);
        // Spaces at the line's ends count here and are trimmed later: a line never comes out wider.
        if (!line.trimmed().isEmpty() && lineWidth + w > width)
            flush();
        line += token;
        lineWidth += w;
    }
    flush();
    return out;
}

/// Word tokens, each with its following space.
QStringList words(const QString& text)
{
    QStringList out;
    for (const QString& w : text.split(QLatin1Char(' '), Qt::SkipEmptyParts))
        out << w + QLatin1Char(' ');
    return out;
}

/// A formula's tokens: a break may come before each " + " or " − ".
QStringList formulaTokens(const QString& text)
{
    QStringList out;
    QString current;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (i + 2 < text.size() && text[i] == QLatin1Char(' ') && text[i + 2] == QLatin1Char(' ')
            && (text[i + 1] == QLatin1Char('+') || text[i + 1] == QChar(0x2212) || text[i + 1] == QLatin1Char('-'))
            && !current.isEmpty()) {
            out << current;
            current.clear();
        }
        current += text[i];
    }
    if (!current.isEmpty())
        out << current;
    return out;
}

/// The legend entry's text as tokens: label, then its formula's terms, then the note.
QStringList entryTokens(const LegendEntry& e, bool withFormula)
{
    if (!withFormula || e.formula.isEmpty())
        return { e.note.isEmpty() ? e.label : e.label + QStringLiteral("   ") + e.note };
    QStringList tokens = formulaTokens(e.fullText());
    return tokens;
}

enum class TextMode { Full, Short, None };
/// Richest first: formulas below, beside; only the total's; labels only; no legend.
enum class LegendMode { BottomFull, SideFull, BottomShort, SideShort, BottomBare, SideBare, Hidden };
constexpr LegendMode kLegendModes[] = { LegendMode::BottomFull, LegendMode::SideFull, LegendMode::BottomShort,
    LegendMode::SideShort, LegendMode::BottomBare, LegendMode::SideBare, LegendMode::Hidden };

bool isSide(LegendMode m)
{
    return m == LegendMode::SideFull || m == LegendMode::SideShort || m == LegendMode::SideBare;
}

double legendLoss(LegendMode m)
{
    switch (m) {
    case LegendMode::BottomFull:
        return 0;
    case LegendMode::SideFull:
        return 1;
    case LegendMode::BottomShort:
        return 3;
    case LegendMode::SideShort:
        return 3.5;
    case LegendMode::BottomBare:
        return 5.5;
    case LegendMode::SideBare:
        return 6;
    case LegendMode::Hidden:
        break;
    }
    return 12;
}

/// The legend arranged in one mode: entries relative to the legend's top left.
struct LegendBlock {
    QSize size;
    std::vector<ChartLayout::Entry> entries;
    int elided = 0; ///< entries cut short with "…" (the mode's loss counts dropped formulas)
};

struct Metrics {
    ChartFonts fonts;
    int margin = 6;
    int gap = 4;
    int iconWidth = 26, iconHeight = 13, iconPad = 8, columnSpacing = 26, rowSpacing = 2;
};

/// Entries of @p in in @p mode, each at most @p width wide; in @p columns (bottom) or one (side).
LegendBlock arrangeLegend(const ChartLayoutInput& in, const Metrics& k, LegendMode mode, int width)
{
    LegendBlock block;
    if (mode == LegendMode::Hidden || in.legend.empty())
        return block;
    const QFont font = k.fonts.legend();
    const int ls = lineHeight(font);
    const int iconWidth = isSide(mode) ? k.iconWidth * 3 / 4 : k.iconWidth;
    const int textRoom = std::max(20, width - iconWidth - k.iconPad);
    std::vector<QSize> sizes;
    for (const LegendEntry& e : in.legend) {
        const bool withFormula = mode == LegendMode::BottomFull || mode == LegendMode::SideFull
            || (e.total && (mode == LegendMode::BottomShort || mode == LegendMode::SideShort));
        const Wrapped w = wrapTokens(entryTokens(e, withFormula), font, textRoom);
        ChartLayout::Entry entry;
        entry.lines = w.lines;
        entry.shortened = w.elided || (!withFormula && !e.formula.isEmpty());
        block.elided += w.elided ? 1 : 0;
        const QSize size(
            iconWidth + k.iconPad + w.width, std::max(k.iconHeight, ls * static_cast<int>(w.lines.size())));
        entry.rect = QRect(QPoint(0, 0), size);
        entry.icon = QRect(0, (ls - k.iconHeight) / 2, iconWidth, k.iconHeight);
        entry.text = QRect(iconWidth + k.iconPad, 0, w.width, ls * static_cast<int>(w.lines.size()));
        block.entries.push_back(entry);
        sizes.push_back(size);
    }
    const int n = static_cast<int>(sizes.size());
    int columns = 1;
    if (!isSide(mode)) {
        auto widthFor = [&](int c) {
            int sum = k.columnSpacing * (c - 1);
            for (int col = 0; col < c; ++col) {
                int w = 0;
                for (int i = col; i < n; i += c)
                    w = std::max(w, sizes[static_cast<std::size_t>(i)].width());
                sum += w;
            }
            return sum;
        };
        for (int c = n; c > 1; --c) {
            if (widthFor(c) <= width) {
                columns = c;
                break;
            }
        }
        // As few rows as that, in as few columns as give them (a fuller last row).
        const int rows = (n + columns - 1) / columns;
        while (columns > 1 && (n + columns - 2) / (columns - 1) == rows)
            --columns;
    }
    // Row by row (entry i in row i / columns, column i % columns): no row overlaps another.
    std::vector<int> columnWidth(static_cast<std::size_t>(columns), 0);
    const int rows = (n + columns - 1) / columns;
    std::vector<int> rowHeight(static_cast<std::size_t>(rows), 0);
    for (int i = 0; i < n; ++i) {
        auto& cw = columnWidth[static_cast<std::size_t>(i % columns)];
        auto& rh = rowHeight[static_cast<std::size_t>(i / columns)];
        cw = std::max(cw, sizes[static_cast<std::size_t>(i)].width());
        rh = std::max(rh, sizes[static_cast<std::size_t>(i)].height());
    }
    std::vector<int> x(static_cast<std::size_t>(columns), 0), y(static_cast<std::size_t>(rows), 0);
    for (int c = 1; c < columns; ++c)
        x[static_cast<std::size_t>(c)]
            = x[static_cast<std::size_t>(c - 1)] + columnWidth[static_cast<std::size_t>(c - 1)] + k.columnSpacing;
    for (int r = 1; r < rows; ++r)
        y[static_cast<std::size_t>(r)]
            = y[static_cast<std::size_t>(r - 1)] + rowHeight[static_cast<std::size_t>(r - 1)] + k.rowSpacing;
    for (int i = 0; i < n; ++i) {
        const QPoint offset(x[static_cast<std::size_t>(i % columns)], y[static_cast<std::size_t>(i / columns)]);
        auto& e = block.entries[static_cast<std::size_t>(i)];
        e.rect.translate(offset);
        e.icon.translate(offset);
        e.text.translate(offset);
    }
    block.size = QSize(x.back() + columnWidth.back(), y.back() + rowHeight.back());
    return block;
}

/// The subtitle's tokens: "held: V = 50257, P = 1024; following: F = 4*E".
QStringList subtitleTokens(const ChartLayoutInput& in)
{
    QStringList tokens;
    for (qsizetype i = 0; i < in.held.size(); ++i)
        tokens << (i == 0 ? QStringLiteral("held: ") : QString()) + in.held[i]
                + (i + 1 < in.held.size() ? QStringLiteral(", ") : QString());
    for (qsizetype i = 0; i < in.following.size(); ++i)
        tokens << (i == 0 ? (tokens.isEmpty() ? QString() : QStringLiteral("; ")) + QStringLiteral("following: ")
                          : QString())
                + in.following[i] + (i + 1 < in.following.size() ? QStringLiteral(", ") : QString());
    return tokens;
}

QString subtitleText(const ChartLayoutInput& in)
{
    return subtitleTokens(in).join(QString());
}

/// One line: as much of @p full as fits, then " …".
Wrapped firstLine(const Wrapped& full, const QFont& font, int width)
{
    if (full.lines.size() <= 1)
        return full;
    Wrapped out;
    out.elided = true;
    const QString line
        = QFontMetricsF(font).elidedText(full.lines.front() + QStringLiteral(" …"), Qt::ElideRight, width);
    out.lines << line;
    out.width = textWidth(font, line);
    return out;
}

Wrapped footerLines(const ChartLayoutInput& in, TextMode mode, const QFont& font, int width)
{
    Wrapped out;
    if (mode == TextMode::None)
        return out;
    auto add = [&](const Wrapped& w) {
        out.lines << w.lines;
        out.elided = out.elided || w.elided;
        out.width = std::max(out.width, w.width);
    };
    if (mode == TextMode::Full) {
        for (const QString& note : in.notes)
            add(wrapTokens(words(note), font, width));
        if (!in.key.isEmpty())
            add(wrapTokens(
                words(QStringLiteral("Numbered markers: ") + in.key.join(QStringLiteral("; "))), font, width));
        return out;
    }
    // Short: the numbered markers' names (their points stay identifiable), else the first note.
    if (!in.key.isEmpty()) {
        QStringList names;
        for (const QString& k : in.key)
            names << k.section(QStringLiteral(" ("), 0, 0);
        add(wrapTokens(words(QStringLiteral("Numbered: ") + names.join(QStringLiteral("; "))), font, width));
    } else if (!in.notes.isEmpty()) {
        add(firstLine(wrapTokens(words(in.notes.front()), font, width), font, width));
    }
    return out;
}

struct Candidate {
    TextMode title = TextMode::Full; ///< Short: body-size type; None: the tab and window name the design
    TextMode subtitle = TextMode::Full;
    LegendMode legend = LegendMode::BottomFull;
    TextMode footer = TextMode::Full;
    bool shortAxes = false;
};

} // namespace

ChartLayout layoutChart(const ChartLayoutInput& in)
{
    Metrics k;
    k.fonts = ChartFonts { std::max(8, in.fontBase) };
    const int base = k.fonts.base;
    k.margin = std::max(6, base / 2);
    k.gap = std::max(4, base / 3);
    k.iconWidth = base * 2;
    k.iconHeight = base;
    k.iconPad = std::max(7, base * 2 / 3);
    k.columnSpacing = base * 2;
    k.rowSpacing = std::max(2, base / 4);
    const int W = in.size.width(), H = in.size.height();
    const int inner = std::max(40, W - 2 * k.margin);

    ChartLayout out;
    out.size = in.size;
    out.fonts = k.fonts;
    out.tickPadding = k.fonts.padding();
    out.labelPadding = k.fonts.padding();

    // The title: smaller type before it wraps, two lines at most.
    {
        QFont font;
        Wrapped w;
        for (double factor : { 1.7, 1.45, 1.2, 1.0 }) {
            font = k.fonts.font(factor, true);
            if (textWidth(font, in.title) <= inner) {
                w.lines << in.title;
                w.width = textWidth(font, in.title);
                break;
            }
        }
        if (w.lines.isEmpty()) {
            w = wrapTokens(words(in.title), font, inner);
            if (w.lines.size() > 2) {
                const QString rest = QStringList(w.lines.mid(1)).join(QLatin1Char(' '));
                w.lines = QStringList { w.lines.front(), QFontMetricsF(font).elidedText(rest, Qt::ElideRight, inner) };
                w.elided = true;
            }
        }
        if (w.elided)
            out.omitted << in.title;
        out.title.font = font;
        out.title.lines = w.lines;
    }
    // A short chart: the title in body-size bold type, on one line.
    ChartLayout::Text smallTitle;
    smallTitle.font = k.fonts.font(1.0, true);
    smallTitle.lines << QFontMetricsF(smallTitle.font).elidedText(in.title, Qt::ElideRight, inner);
    const bool smallTitleElided = smallTitle.lines.front() != in.title;

    // What each mode of each part takes, measured once.
    const QFont subtitleFont = k.fonts.subtitle();
    const Wrapped subtitleFull = wrapTokens(subtitleTokens(in), subtitleFont, inner);
    const Wrapped subtitleShort = firstLine(subtitleFull, subtitleFont, inner);
    const QFont footerFont = k.fonts.footer();
    std::map<TextMode, Wrapped> footers;
    for (TextMode m : { TextMode::Full, TextMode::Short, TextMode::None })
        footers[m] = footerLines(in, m, footerFont, inner);

    const QFont tickFont = k.fonts.tickLabel();
    const QFont axisFont = k.fonts.axisLabel();
    int yTickWidth = textWidth(tickFont, QStringLiteral("0"));
    for (const QString& t : in.yTicks)
        yTickWidth = std::max(yTickWidth, textWidth(tickFont, t));
    int xTickWidth = textWidth(tickFont, QStringLiteral("0"));
    for (const QString& t : in.xTicks)
        xTickWidth = std::max(xTickWidth, textWidth(tickFont, t));
    const int tickHeight = lineHeight(tickFont);
    const int axisTitleHeight = lineHeight(axisFont);
    const int pad = k.fonts.padding();

    std::map<std::pair<LegendMode, int>, LegendBlock> legends;
    auto legendFor = [&](LegendMode mode, int width) -> const LegendBlock& {
        auto key = std::pair { mode, width };
        auto it = legends.find(key);
        if (it == legends.end())
            it = legends.emplace(key, arrangeLegend(in, k, mode, width)).first;
        return it->second;
    };

    // One arrangement: its loss (what it leaves out), whether the plot keeps its share, the
    // plot's area; with @p l, the layout itself. Only arithmetic on what was measured above, so
    // that trying every arrangement stays cheap.
    struct Score {
        double loss = 0;
        bool feasible = false;
        long long area = 0;
        double fit = 0;
    };
    const int subtitleLine = lineHeight(subtitleFont), footerLine = lineHeight(footerFont);
    auto place = [&](const Candidate& c, ChartLayout* l) {
        Score score;
        double& loss = score.loss;
        // Top: title, subtitle.
        int top = k.margin;
        const ChartLayout::Text noTitle;
        const ChartLayout::Text& title = c.title == TextMode::Full ? out.title
            : c.title == TextMode::Short                           ? smallTitle
                                                                   : noTitle;
        loss += c.title == TextMode::Full ? 0 : c.title == TextMode::None ? 8 : smallTitleElided ? 3 : 1;
        const int titleHeight
            = title.lines.isEmpty() ? 0 : lineHeight(title.font) * static_cast<int>(title.lines.size());
        const QRect titleRect(k.margin, top, inner, titleHeight);
        top += titleHeight;
        const Wrapped* sub = c.subtitle == TextMode::Full ? &subtitleFull
            : c.subtitle == TextMode::Short               ? &subtitleShort
                                                          : nullptr;
        QRect subtitleRect;
        if (sub && !sub->lines.isEmpty()) {
            subtitleRect = QRect(k.margin, top, inner, subtitleLine * static_cast<int>(sub->lines.size()));
            top += subtitleRect.height();
        }
        if (!subtitleFull.lines.isEmpty())
            loss += c.subtitle == TextMode::Full ? (subtitleFull.elided ? 1 : 0)
                : c.subtitle == TextMode::Short  ? 2
                                                 : 4;
        top += k.gap;
        // Bottom: footer, then the legend above it.
        int bottom = H - k.margin;
        const Wrapped& foot = footers.at(c.footer);
        QRect footerRect;
        if (!foot.lines.isEmpty()) {
            const int h = footerLine * static_cast<int>(foot.lines.size());
            bottom -= h;
            footerRect = QRect(k.margin, bottom, inner, h);
            bottom -= k.gap;
        }
        if (!footers.at(TextMode::Full).lines.isEmpty())
            loss += c.footer == TextMode::Full ? 0
                : c.footer == TextMode::Short  ? 2
                                               : (in.key.isEmpty() ? 5 : 20); // numbers in the plot need their key
        // The axes' decorations. Short: no axis titles (the chart's title names x: "… as E grows").
        const int yDecor = pad + yTickWidth + (c.shortAxes ? 0 : pad + axisTitleHeight) + 2;
        const int xDecor = pad + tickHeight + (c.shortAxes ? 0 : pad + axisTitleHeight) + 2;
        const int topOverhang = tickHeight / 2 + 2;
        const int rightOverhang = xTickWidth / 2 + 2;
        loss += c.shortAxes ? 1.5 : 0;
        // The legend.
        const bool side = isSide(c.legend);
        const int sideRoom = W / 2 - 2 * k.margin - yDecor - rightOverhang - k.gap;
        const LegendBlock& legend = legendFor(c.legend, side ? std::max(40, sideRoom) : inner);
        if (!in.legend.empty())
            loss += legendLoss(c.legend) + 1.5 * legend.elided;
        int right = W - k.margin;
        QRect legendRect;
        if (!side && !legend.entries.empty()) {
            bottom -= legend.size.height();
            legendRect = QRect(QPoint((W - legend.size.width()) / 2, bottom), legend.size);
            bottom -= k.gap;
        } else if (side && !legend.entries.empty()) {
            right -= legend.size.width() + k.gap;
            legendRect = QRect(QPoint(right + k.gap, top + topOverhang), legend.size);
        }
        const QRect axes(QPoint(k.margin, top), QPoint(right - 1, bottom - 1));
        const QRect plot = axes.adjusted(yDecor, topOverhang, -rightOverhang, -xDecor);
        const bool sideFits = !side || legendRect.bottom() <= bottom;
        score.feasible = sideFits && plot.width() >= kMinPlotWidthShare * W && plot.height() >= kMinPlotHeightShare * H;
        score.area
            = static_cast<long long>(std::max(0, plot.width())) * std::max(0, plot.height()) * (sideFits ? 1 : 0);
        // How much of the required share the tighter side gets (may be negative): when no
        // arrangement keeps it, the one that comes closest wins.
        score.fit = std::min(plot.width() / (kMinPlotWidthShare * W), plot.height() / (kMinPlotHeightShare * H))
            - (sideFits ? 0 : 10);
        // Among equals, the larger plot.
        loss -= 0.5 * static_cast<double>(score.area) / std::max(1.0, static_cast<double>(W) * H);
        if (l) {
            l->title = title;
            l->title.rect = titleRect;
            if (sub && !sub->lines.isEmpty())
                l->subtitle = { subtitleRect, sub->lines, subtitleFont };
            if (!foot.lines.isEmpty())
                l->footer = { footerRect, foot.lines, footerFont };
            l->xLabel = c.shortAxes ? QString() : in.xLabel;
            l->yLabel = c.shortAxes ? QString() : in.yLabel;
            l->legend = legendRect;
            l->legendPlacement = legend.entries.empty() ? LegendPlacement::Hidden
                : side                                  ? LegendPlacement::Side
                                                        : LegendPlacement::Bottom;
            l->entries = legend.entries;
            for (auto& e : l->entries) {
                e.rect.translate(legendRect.topLeft());
                e.icon.translate(legendRect.topLeft());
                e.text.translate(legendRect.topLeft());
            }
            if (l->entries.empty())
                l->entries.resize(in.legend.size());
            l->axes = axes;
            l->plot = plot;
        }
        return score;
    };

    std::optional<std::pair<Candidate, Score>> best;
    for (TextMode titleMode : { TextMode::Full, TextMode::Short, TextMode::None })
        for (TextMode subtitleMode : { TextMode::Full, TextMode::Short, TextMode::None })
            for (LegendMode legendMode : kLegendModes)
                for (TextMode footerMode : { TextMode::Full, TextMode::Short, TextMode::None })
                    for (bool shortAxes : { false, true }) {
                        const Candidate c { titleMode, subtitleMode, legendMode, footerMode, shortAxes };
                        const Score r = place(c, nullptr);
                        const Score* b = best ? &best->second : nullptr;
                        if (!b || (r.feasible && !b->feasible)
                            || (r.feasible == b->feasible && (r.feasible ? r.loss < b->loss : r.fit > b->fit)))
                            best = { c, r };
                    }
    ChartLayout l = out;
    place(best->first, &l);
    l.plotKeepsShare = best->second.feasible;
    if (!out.omitted.contains(in.title)
        && (best->first.title == TextMode::None || (best->first.title == TextMode::Short && smallTitleElided)))
        l.omitted.prepend(in.title);
    // What the picture leaves out or shortens, whole, for a place outside it (the widget's details).
    const Candidate& c = best->first;
    if (c.subtitle != TextMode::Full || subtitleFull.elided) {
        if (const QString s = subtitleText(in); !s.isEmpty())
            l.omitted << s;
    }
    for (std::size_t i = 0; i < in.legend.size(); ++i) {
        if (c.legend == LegendMode::Hidden || l.entries[i].shortened)
            l.omitted << in.legend[i].fullText();
    }
    if (c.footer != TextMode::Full || footers[TextMode::Full].elided) {
        l.omitted << in.notes;
        if (!in.key.isEmpty())
            l.omitted << QStringLiteral("Numbered markers: ") + in.key.join(QStringLiteral("; "));
    }
    return l;
}

ChartLayoutInput layoutInput(const ChartSpec& spec, const ChartData& data, QSize size, int fontBase)
{
    const core::Sweep& s = data.sweep;
    ChartLayoutInput in;
    in.size = size;
    in.fontBase = fontBase;
    in.title = chart::title(spec, s.x);
    in.held = chart::held(spec.design, s.x);
    in.following = chart::following(spec.design, s.x);
    in.notes = chart::notes(data);
    in.xLabel = s.xDescription.empty() ? qs(s.x) : QStringLiteral("%1 — %2").arg(qs(s.x), qs(s.xDescription));
    in.yLabel = chart::yTitle(data) + (spec.logY ? QStringLiteral("  (log scale)") : QString());

    LegendEntry total;
    total.label = QStringLiteral("Total");
    total.formula = s.formula.empty() ? QStringLiteral("(formula overflows)") : qs(s.formula);
    total.total = true;
    in.legend.push_back(total);
    if (spec.breakdown) {
        const bool stacked = !spec.logY;
        std::vector<std::pair<QString, std::vector<core::Count>>> drawn; // separate curves so far
        for (std::size_t c = 0; c < core::kComponentCount; ++c) {
            if (!s.present[c])
                continue;
            LegendEntry e;
            e.label = chart::partLabel(data, c);
            e.formula = qs(s.componentFormulas[c]);
            e.icon = stacked ? LegendEntry::Icon::Area : LegendEntry::Icon::Line;
            e.component = static_cast<int>(c);
            if (!stacked) {
                // A curve on top of an earlier one (LM head = Embeddings when tied in count) is
                // drawn dashed, and the legend says so.
                std::vector<core::Count> ys;
                for (const auto& p : s.points)
                    ys.push_back(p.parts[c]);
                auto same = std::find_if(drawn.begin(), drawn.end(), [&](const auto& d) { return d.second == ys; });
                if (same != drawn.end())
                    e.note = QStringLiteral("(= %1)").arg(same->first);
                drawn.emplace_back(e.label, std::move(ys));
            }
            in.legend.push_back(e);
        }
    }
    if (std::any_of(data.markers.begin(), data.markers.end(), [](const Marker& m) { return m.current; })) {
        LegendEntry mine;
        mine.label = QStringLiteral("This design");
        mine.icon = LegendEntry::Icon::Diamond;
        in.legend.push_back(mine);
    }

    // Tick labels: a few round values over the range, as the axis will print them.
    double yMax = 1, xMax = static_cast<double>(s.to);
    for (const auto& p : s.points)
        yMax = std::max(yMax, static_cast<double>(p.total));
    for (const Marker& m : data.markers)
        yMax = std::max(yMax, static_cast<double>(m.total));
    for (int i = 0; i <= 5; ++i) {
        in.yTicks << (core::inBytes(data.metric) ? chart::humanBytes(yMax * 1.12 * i / 5)
                                                 : chart::human(yMax * 1.12 * i / 5));
        in.xTicks << chart::human(xMax * i / 5);
    }
    return in;
}

} // namespace paramscope::ui
