// SPDX-License-Identifier: MIT
#include "diagram.h"

#include <QFont>
#include <QFontMetricsF>

#include <algorithm>
#include <functional>

namespace paramscope::ui {

using core::Component;
using core::Count;
using core::Module;
using core::ModuleKind;

namespace {

QString qs(const std::string& s)
{
    return QString::fromStdString(s);
}

// Geometry, in logical pixels.
constexpr double kMargin = 36;
constexpr double kMainWidth = 860;
constexpr double kVisionWidth = 420;
constexpr double kGap = 26; // between boxes, room for an arrow
constexpr double kLane = 70; // the residual lane inside the block frame, on its right
constexpr double kPad = 10;
constexpr double kTitleLine = 24;
constexpr double kDetailLine = 20;
constexpr double kChipRow = 30;
constexpr double kNormHeight = 46;
constexpr double kResidual = 30;

std::string lower(const std::string& s)
{
    std::string out = s;
    std::transform(
        out.begin(), out.end(), out.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    return out;
}

QFont chipFont()
{
    QFont f;
    f.setPixelSize(13);
    return f;
}

double chipWidth(const QFontMetricsF& fm, const QString& text, double width)
{
    return std::min(width, fm.horizontalAdvance(text) + 18);
}

/// How many rows @p chips take in a box @p width wide (as buildDiagram() lays them out).
int chipRowCount(const std::vector<DiagramChip>& chips, double width)
{
    if (chips.empty())
        return 0;
    const QFontMetricsF fm(chipFont());
    int rows = 1;
    double x = 0;
    for (const DiagramChip& c : chips) {
        const double w = chipWidth(fm, c.text, width - 2 * kPad);
        if (x > 0 && x + w > width - 2 * kPad) {
            ++rows;
            x = 0;
        }
        x += w + 6;
    }
    return rows;
}

QString percent(double fraction)
{
    const double p = fraction * 100.0;
    if (p > 0 && p < 0.001)
        return QStringLiteral("< 0.001 %");
    return QString::number(p, 'f', p < 0.1 ? 3 : (p < 10 ? 2 : 1)) + QStringLiteral(" %");
}

/// Reads a design for drawing: counts, shares, formulas and symbol values by name.
class Builder {
public:
    Builder(const core::CountedRef& c, const QString& name)
        : m_c(c)
        , m_kinds(core::components(c.design))
        , m_name(name)
    {
        m_multiplicity.resize(c.design.nodes().size(), 1);
        for (const Module* m : c.design.nodes())
            if (m->parent)
                m_multiplicity[static_cast<std::size_t>(m->index)] = core::checkedMul(
                    m_multiplicity[static_cast<std::size_t>(m->parent->index)], value(*m->parent).repeat)
                                                                         .value_or(INT64_MAX);
    }

    Diagram run();

private:
    const core::NodeValue& value(const Module& m) const
    {
        return m_c.evaluation.nodes[static_cast<std::size_t>(m.index)];
    }
    Count overall(const Module& m) const
    {
        const Count n = value(m).count;
        return n == 0 ? 0 : core::checkedMul(n, m_multiplicity[static_cast<std::size_t>(m.index)]).value_or(INT64_MAX);
    }
    double fraction(const Module& m) const
    {
        return m_c.evaluation.total ? static_cast<double>(overall(m)) / static_cast<double>(m_c.evaluation.total) : 0.0;
    }
    Component kind(const Module& m) const { return m_kinds[static_cast<std::size_t>(m.index)]; }
    std::optional<Count> symbol(const char* name) const
    {
        const int i = m_c.design.symbolIndex(name);
        if (i < 0)
            return std::nullopt;
        return m_c.evaluation.symbols[static_cast<std::size_t>(i)];
    }
    bool tied(const Module& m) const { return m_c.design.ties()[static_cast<std::size_t>(m.index)] >= 0; }
    QString label(const Module& m) const { return qs(core::labelText(m, value(m))); }

    /// "4E² + 4E = 2,362,368" for one copy.
    QString formulaLine(const Module& m) const
    {
        const core::NodeFormula& f = m_c.formulas[static_cast<std::size_t>(m.index)];
        const QString count = qs(core::groupDigits(value(m).each));
        if (!f.ok || f.each.size() > 60)
            return count; // too long to read on a slide; the derivation pane has it
        return qs(f.each) + QStringLiteral(" = ") + count;
    }
    QString shareLine(const Module& m) const
    {
        const Count copies = m_multiplicity[static_cast<std::size_t>(m.index)];
        if (copies > 1)
            return QStringLiteral("× %1 = %2 · %3")
                .arg(qs(core::groupDigits(copies)), qs(core::compactCount(overall(m))), percent(fraction(m)));
        return percent(fraction(m));
    }
    QString chipText(const Module& m) const
    {
        QString t = label(m);
        const auto& v = value(m);
        if (m.isRepeated()) {
            t = m.name.empty() ? QStringLiteral("%1 × %2").arg(v.repeat).arg(qs(m.type)) : t;
            if (!m.activeRepeat.isEmpty() && v.count > 0 && v.repeat > 0)
                t += QStringLiteral(" (%1 active)").arg(v.active / (v.count / v.repeat));
        }
        if (!m.isLeaf() && m.children.size() == 1 && m.children.front()->isRepeated()) {
            // "experts: 8 × MixtralBlockSparseTop2MLP, 2 active"
            const Module& list = *m.children.front();
            const auto& lv = value(list);
            t += QStringLiteral(": %1 × %2").arg(lv.repeat).arg(qs(list.type));
            if (!list.activeRepeat.isEmpty() && lv.count > 0 && lv.repeat > 0)
                t += QStringLiteral(", %1 active").arg(lv.active / (lv.count / lv.repeat));
        }
        const std::string n = lower(m.name);
        if (n == "gate" || n == "router")
            if (m.parent && (kind(*m.parent) == Component::Experts || !mlpDetailExperts(*m.parent).isEmpty()))
                t += QStringLiteral(" (router)");
        if (tied(m))
            return t + QStringLiteral(" (tied)");
        return t + QStringLiteral("  ") + qs(core::compactCount(v.count));
    }

    DiagramBox box(const Module& m, DiagramBox::Kind k, bool withChips) const;
    std::vector<DiagramChip> chipsOf(const Module& m) const;
    QString attentionDetail() const;
    QString mlpDetail(const Module& m) const;
    /// "8 routed experts, 2 per token · each 3EF = 176,160,768", when @p m routes experts.
    QString mlpDetailExperts(const Module& m) const;
    const Module* mainBlock() const;
    const Module* topOf(Component c) const;
    /// An input beside the text model: an encoder's tower and its projector into the text width, or
    /// the per-layer inputs that feed every layer (Gemma 4 E2B's table, projection and norm).
    struct SideInput {
        QString label; ///< what goes in: "image", "audio", "token ids"
        QString arrow; ///< what comes out: "image tokens", "per-layer inputs"
        bool intoBlock = false; ///< joins the repeated block rather than the token embeddings
        std::vector<std::pair<const Module*, DiagramBox::Kind>> chain;
    };
    /// The image input (a vision tower and/or a projector), the audio one and the per-layer inputs,
    /// those present, outside @p block.
    std::vector<SideInput> sideInputs(const Module* block) const;
    /// @p b's chips for the tower @p m: its largest repeated block, and what lies outside it.
    void towerChips(const Module& m, DiagramBox& b) const;
    double height(const DiagramBox& b, double width) const;
    /// @p copiesOf: the nodes whose copies are counted (one of a box's several modules); empty: @p nodes.
    QString shareOver(const std::vector<const Module*>& nodes, const std::vector<const Module*>& copiesOf = {}) const;
    bool encoderDecoder() const;
    void layOutEncoderDecoder(Diagram& d, double top) const;

    const core::CountedRef& m_c;
    std::vector<Component> m_kinds;
    std::vector<Count> m_multiplicity;
    QString m_name;
};

std::vector<DiagramChip> Builder::chipsOf(const Module& m) const
{
    std::vector<DiagramChip> chips;
    for (const auto& child : m.children)
        chips.push_back({ {}, child->index, chipText(*child) });
    return chips;
}

QString Builder::attentionDetail() const
{
    QStringList parts;
    const auto h = symbol("H"), k = symbol("K"), d = symbol("D");
    if (h)
        parts << QStringLiteral("H = %1 heads").arg(*h);
    if (h && k)
        parts << (*k == *h ? QStringLiteral("K = %1 KV heads (MHA)").arg(*k)
                : *k == 1  ? QStringLiteral("K = 1 KV head (MQA)")
                           : QStringLiteral("K = %1 KV heads (GQA, %2 per group)").arg(*k).arg(*h / *k));
    if (d)
        parts << QStringLiteral("D = %1 per head").arg(*d);
    return parts.join(QStringLiteral(" · "));
}

QString Builder::mlpDetail(const Module& m) const
{
    if (QString experts = mlpDetailExperts(m); !experts.isEmpty())
        return experts;
    if (const auto f = symbol("F"))
        return QStringLiteral("F = %1 wide").arg(*f)
            + (m.children.size() == 3 ? QStringLiteral(" · gated") : QString());
    return {};
}

QString Builder::mlpDetailExperts(const Module& m) const
{
    // Routed experts: a repeated child with an active count.
    for (const Module* n : m_c.design.nodes()) {
        bool inside = false;
        for (const Module* p = n; p; p = p->parent)
            inside = inside || p == &m;
        if (!inside || n->activeRepeat.isEmpty())
            continue;
        const auto& v = value(*n);
        const Count each = v.repeat ? v.count / v.repeat : 0;
        QString s = QStringLiteral("%1 routed experts, %2 per token").arg(v.repeat).arg(each ? v.active / each : 0);
        for (const auto& c : m.children)
            if (c->name.find("shared") != std::string::npos)
                s += QStringLiteral(" + shared");
        const core::NodeFormula& f = m_c.formulas[static_cast<std::size_t>(n->index)];
        s += QStringLiteral(" · one expert ") + (f.ok ? qs(f.each) + QStringLiteral(" = ") : QString())
            + qs(core::groupDigits(each));
        return s;
    }
    return {};
}

DiagramBox Builder::box(const Module& m, DiagramBox::Kind k, bool withChips) const
{
    DiagramBox b;
    b.kind = k;
    b.node = m.index;
    b.component = kind(m);
    b.title = (m.parent ? label(m) + QStringLiteral(": ") : QString()) + qs(m.type);
    if (k == DiagramBox::Kind::Norm && m.isLeaf()) {
        // "ln_f (LayerNorm)"; a name that says norm already ("post_attention_layernorm") stays whole.
        const std::string n = lower(m.name);
        b.title = label(m);
        if (n.find("norm") == std::string::npos)
            b.title += QStringLiteral(" (") + qs(std::string(core::kindName(m.kind))) + QStringLiteral(")");
    }
    b.formula = formulaLine(m);
    b.fraction = fraction(m);
    b.share = shareLine(m);
    b.tied = tied(m);
    if (b.tied) {
        b.share.clear();
        b.formula = QStringLiteral("weight shared with %1: 0 new parameters").arg(qs(m.tiedTo));
        if (value(m).each > 0)
            b.formula = QStringLiteral("weight shared with %1; bias %2")
                            .arg(qs(m.tiedTo), qs(core::groupDigits(value(m).each)));
    }
    if (k == DiagramBox::Kind::Attention)
        b.detail = attentionDetail();
    if (k == DiagramBox::Kind::Mlp || k == DiagramBox::Kind::Experts)
        b.detail = mlpDetail(m);
    if (withChips && !m.isLeaf())
        b.chips = chipsOf(m);
    return b;
}

double Builder::height(const DiagramBox& b, double width) const
{
    if (b.kind == DiagramBox::Kind::Residual)
        return kResidual;
    if (b.kind == DiagramBox::Kind::Norm)
        return kNormHeight;
    double h = 2 * kPad + kTitleLine + kDetailLine; // title, formula
    if (!b.detail.isEmpty())
        h += kDetailLine;
    h += chipRowCount(b.chips, width) * (kChipRow + 4);
    return h;
}

/// The repeated block that holds the most parameters outside a vision tower: the decoder layer.
const Module* Builder::mainBlock() const
{
    const Module* best = nullptr;
    for (const Module* m : m_c.design.nodes()) {
        if (!m->isRepeated() || m->isLeaf())
            continue;
        const Component k = kind(*m);
        if (k == Component::Vision || k == Component::Audio || k == Component::Projector)
            continue;
        // Not a list inside a layer (experts): only blocks with no repeated ancestor.
        bool nested = false;
        for (const Module* p = m->parent; p; p = p->parent)
            nested = nested || p->isRepeated();
        if (nested)
            continue;
        if (!best || overall(*m) > overall(*best))
            best = m;
    }
    return best;
}

/// The highest node of component @p c (the vision tower, the projector), or nullptr.
const Module* Builder::topOf(Component c) const
{
    for (const Module* m : m_c.design.nodes())
        if (kind(*m) == c && (!m->parent || kind(*m->parent) != c))
            return m;
    return nullptr;
}

bool isNorm(const Module& m, Component k)
{
    return k == Component::Norms || m.kind == ModuleKind::LayerNorm || m.kind == ModuleKind::RMSNorm;
}

std::vector<Builder::SideInput> Builder::sideInputs(const Module* block) const
{
    // Projectors belong to the audio input when their name says so (Gemma 4's embed_audio), else
    // to the image one.
    const Module* imageProjector = nullptr;
    const Module* audioProjector = nullptr;
    for (const Module* m : m_c.design.nodes()) {
        if (kind(*m) != Component::Projector || (m->parent && kind(*m->parent) == Component::Projector))
            continue;
        const Module*& slot = lower(m->name).find("audio") != std::string::npos ? audioProjector : imageProjector;
        if (!slot)
            slot = m;
    }
    std::vector<SideInput> out;
    auto encoder = [&](QString label, const Module* tower, const Module* projector) {
        SideInput in { label, label + QStringLiteral(" tokens"), false, {} };
        if (tower)
            in.chain.emplace_back(tower, DiagramBox::Kind::Vision);
        if (projector)
            in.chain.emplace_back(projector, DiagramBox::Kind::Projector);
        out.push_back(std::move(in));
    };
    if (const Module* vision = topOf(Component::Vision); vision || imageProjector)
        encoder(QStringLiteral("image"), vision, imageProjector);
    if (const Module* audio = topOf(Component::Audio))
        encoder(QStringLiteral("audio"), audio, audioProjector);
    // Per-layer inputs: leaves beside the layer list named for them, in tree order.
    SideInput perLayer { QStringLiteral("token ids"), QStringLiteral("per-layer inputs"), true, {} };
    if (block && block->parent && block->parent->parent)
        for (const auto& c : block->parent->parent->children) {
            const std::string n = lower(c->name);
            if (c->isLeaf() && (n.starts_with("per_layer") || n.starts_with("embed_tokens_per_layer")))
                // A norm gets a box of two lines: the column is too narrow for its long name and formula
                // on one (its component still colours it).
                perLayer.chain.emplace_back(
                    c.get(), c->kind == ModuleKind::Embedding ? DiagramBox::Kind::Embedding : DiagramBox::Kind::Other);
        }
    if (!perLayer.chain.empty())
        out.push_back(std::move(perLayer));
    return out;
}

void Builder::towerChips(const Module& m, DiagramBox& b) const
{
    const core::Design& design = m_c.design;
    // The tower's own stack: the largest repeated block inside it.
    const Module* layer = nullptr;
    for (const Module* n : design.nodes()) {
        bool inside = false;
        for (const Module* p = n; p; p = p->parent)
            inside = inside || p == &m;
        if (inside && n->isRepeated() && (!layer || overall(*n) > overall(*layer)))
            layer = n;
    }
    b.chips.clear();
    std::function<void(const Module&)> collect = [&](const Module& n) {
        for (const auto& c : n.children) {
            if (c.get() == layer) {
                b.chips.push_back({ {}, c->index, chipText(*c) });
                continue;
            }
            bool holds = false;
            for (const Module* p = layer; p; p = p->parent)
                holds = holds || p == c.get();
            if (holds || (!c->isLeaf() && c->children.size() > 0 && value(*c).count > 0 && &n == &m))
                collect(*c);
            else if (value(*c).count > 0)
                b.chips.push_back({ {}, c->index, chipText(*c) });
        }
    };
    collect(m);
    if (layer) {
        QStringList inner;
        for (const auto& c : layer->children)
            inner << label(*c);
        b.detail = QStringLiteral("layers of ") + inner.join(QStringLiteral(", "));
    }
}

/// A box's share over several nodes drawn as one (the runs of a layer list: T5's layer 0 and the
/// others): "× 12 = 28.31M · 12.70 %".
QString Builder::shareOver(const std::vector<const Module*>& nodes, const std::vector<const Module*>& copiesOf) const
{
    Count copies = 0, all = 0;
    for (const Module* m : nodes)
        all = core::checkedAdd(all, overall(*m)).value_or(INT64_MAX);
    for (const Module* m : copiesOf.empty() ? nodes : copiesOf)
        copies = core::checkedAdd(copies, m_multiplicity[static_cast<std::size_t>(m->index)]).value_or(INT64_MAX);
    const double f = m_c.evaluation.total ? static_cast<double>(all) / static_cast<double>(m_c.evaluation.total) : 0.0;
    if (copies > 1)
        return QStringLiteral("× %1 = %2 · %3")
            .arg(qs(core::groupDigits(copies)), qs(core::compactCount(all)), percent(f));
    return percent(f);
}

bool Builder::encoderDecoder() const
{
    for (const Module* m : m_c.design.nodes())
        if (kind(*m) == Component::CrossAttention && sideInputs(nullptr).empty())
            return true;
    return false;
}

/// An encoder-decoder drawn as in "Attention is all you need" (Vaswani et al. 2017, figure 1): the
/// encoder stack on the left, the decoder stack on the right, the encoder's output feeding each
/// decoder layer's cross-attention, the shared embedding above both and the head under the decoder.
void Builder::layOutEncoderDecoder(Diagram& d, double top) const
{
    const core::Design& design = m_c.design;
    constexpr double kColumn = 700;
    constexpr double kBetween = 150; // the channel the encoder's output crosses
    const double left = kMargin + 40; // room for the tied-weight line on the left
    const double columnX[2] = { left, left + kColumn + kBetween };
    const double innerW = kColumn - kLane - kPad * 4;

    // The stacks: the parents of the layer lists (top repeated blocks); the one holding a
    // cross-attention is the decoder.
    struct Stack {
        const Module* module = nullptr;
        const Module* list = nullptr;
        std::vector<const Module*> runs; ///< the list's repeated children, the largest first
    };
    auto insideOf = [](const Module* n, const Module* a) {
        for (const Module* p = n; p; p = p->parent)
            if (p == a)
                return true;
        return false;
    };
    std::vector<Stack> stacks;
    for (const Module* m : design.nodes()) {
        if (!m->isRepeated() || m->isLeaf() || !m->parent || !m->parent->parent)
            continue;
        bool nested = false;
        for (const Module* p = m->parent; p; p = p->parent)
            nested = nested || p->isRepeated();
        if (nested)
            continue;
        auto it = std::find_if(stacks.begin(), stacks.end(), [&](const Stack& s) { return s.list == m->parent; });
        if (it == stacks.end()) {
            stacks.push_back({ m->parent->parent, m->parent, {} });
            it = stacks.end() - 1;
        }
        it->runs.push_back(m);
    }
    const Stack* enc = nullptr;
    const Stack* dec = nullptr;
    for (Stack& s : stacks) {
        std::stable_sort(s.runs.begin(), s.runs.end(),
            [&](const Module* a, const Module* b) { return value(*a).repeat > value(*b).repeat; });
        bool cross = false;
        for (const Module* n : design.nodes())
            cross = cross || (insideOf(n, s.module) && kind(*n) == Component::CrossAttention);
        (cross ? dec : enc) = &s;
    }

    double y = top;
    auto place = [&](DiagramBox b, double x, double w) {
        b.rect = QRectF(x, y, w, height(b, w));
        y += b.rect.height() + kGap;
        d.boxes.push_back(std::move(b));
        return d.boxes.size() - 1;
    };
    auto down = [&](std::size_t from, std::size_t to) {
        const QRectF a = d.boxes[from].rect, b = d.boxes[to].rect;
        d.arrows.push_back({ { QPointF(b.center().x(), a.bottom()), QPointF(b.center().x(), b.top()) }, false, {} });
    };
    auto plusBox = [] {
        DiagramBox plus;
        plus.kind = DiagramBox::Kind::Residual;
        plus.title = QStringLiteral("+");
        return plus;
    };

    // Above both stacks: what is outside them and before them (the shared embedding); under the
    // decoder: what comes after (the head).
    std::vector<const Module*> above, below;
    std::function<void(const Module&)> walk = [&](const Module& m) {
        for (const auto& c : m.children) {
            const bool holds = std::any_of(
                stacks.begin(), stacks.end(), [&](const Stack& s) { return insideOf(s.module, c.get()); });
            if (holds
                && std::none_of(stacks.begin(), stacks.end(), [&](const Stack& s) { return s.module == c.get(); }))
                walk(*c);
            else if (!holds && (value(*c).count > 0 || tied(*c)))
                (kind(*c) == Component::LmHead || !below.empty() || kind(*c) != Component::Embeddings ? below : above)
                    .push_back(c.get());
        }
    };
    walk(*design.root);

    d.labels.push_back({ QPointF(left + kColumn + kBetween / 2, y + 4), QStringLiteral("token ids") });
    y += 34;
    std::vector<std::size_t> shared;
    if (!above.empty()) {
        const double total = 2 * kColumn + kBetween;
        const double w = (total - kGap * static_cast<double>(above.size() - 1)) / static_cast<double>(above.size());
        double bottom = y;
        for (std::size_t i = 0; i < above.size(); ++i) {
            DiagramBox b = box(*above[i], DiagramBox::Kind::Embedding, false);
            b.rect = QRectF(left + static_cast<double>(i) * (w + kGap), y, w, height(b, w));
            bottom = std::max(bottom, b.rect.bottom());
            d.boxes.push_back(std::move(b));
            shared.push_back(d.boxes.size() - 1);
        }
        y = bottom + kGap + 20;
    }
    const double stacksTop = y;

    // T5 and mBART normalise before each sub-layer; BART after (its post-norm residual blocks).
    const QString cls = qs(design.className).toLower();
    const bool postNorm = cls.contains(QStringLiteral("bart")) && !cls.contains(QStringLiteral("mbart"));

    struct Column {
        std::optional<std::size_t> output; ///< the stack's last box
        std::optional<std::size_t> cross; ///< the decoder's cross-attention box
        std::optional<std::size_t> firstEmbedding;
        double frameBottom = 0;
    };
    auto layOutStack = [&](const Stack& s, double x0, bool decoder) {
        Column col;
        y = stacksTop;
        const double innerX = x0 + kPad * 2;
        const double streamX = innerX + innerW / 2;
        d.labels.push_back({ QPointF(x0 + kColumn / 2, y + 4),
            (decoder ? QStringLiteral("decoder · ") : QStringLiteral("encoder · ")) + qs(s.module->type) });
        y += 34;
        // Before the layers: the embeddings (a row, added), then norms of the embeddings (BART's
        // layernorm_embedding, listed after the layers but applied before them).
        std::vector<const Module*> embeds, pre, post;
        bool passed = false;
        for (const auto& c : s.module->children) {
            if (c.get() == s.list) {
                passed = true;
                continue;
            }
            if (value(*c).count == 0 && !tied(*c))
                continue;
            if (kind(*c) == Component::Embeddings && !isNorm(*c, kind(*c)))
                embeds.push_back(c.get());
            else if (!passed || lower(c->name).find("embedding") != std::string::npos)
                pre.push_back(c.get());
            else
                post.push_back(c.get());
        }
        std::optional<std::size_t> last;
        if (!embeds.empty()) {
            const double w
                = (kColumn - kGap * static_cast<double>(embeds.size() - 1)) / static_cast<double>(embeds.size());
            double bottom = y;
            const std::size_t first = d.boxes.size();
            for (std::size_t i = 0; i < embeds.size(); ++i) {
                DiagramBox b = box(*embeds[i], DiagramBox::Kind::Embedding, false);
                b.rect = QRectF(x0 + static_cast<double>(i) * (w + kGap), y, w, height(b, w));
                bottom = std::max(bottom, b.rect.bottom());
                d.boxes.push_back(std::move(b));
            }
            col.firstEmbedding = first;
            y = bottom + kGap;
            if (embeds.size() > 1) {
                // Token and position embeddings are added.
                const std::size_t p = place(plusBox(), streamX - kResidual / 2, kResidual);
                for (std::size_t i = first; i < p; ++i)
                    d.arrows.push_back({ { QPointF(d.boxes[i].rect.center().x(), d.boxes[i].rect.bottom()),
                                             d.boxes[p].rect.center() + QPointF(0, -kResidual / 2) },
                        false, {} });
                last = p;
            } else {
                last = first;
            }
        }
        for (const Module* m : pre) {
            const std::size_t i = place(
                box(*m, isNorm(*m, kind(*m)) ? DiagramBox::Kind::Norm : DiagramBox::Kind::Other, true), innerX, innerW);
            if (last)
                down(*last, i);
            last = i;
        }

        // The layers: one frame for all runs of the list, drawn from the largest run.
        const Module* block = s.runs.front();
        const auto& lv = value(*s.list);
        Count layers = 0;
        for (const Module* r : s.runs)
            layers += value(*r).repeat;
        DiagramFrame frame;
        frame.node = block->index;
        frame.label = QStringLiteral("%1 × %2").arg(qs(core::groupDigits(layers)), qs(block->type));
        if (!block->repeat.isEmpty() && !block->repeat.constantValue() && s.runs.size() == 1)
            frame.label += QStringLiteral("   (%1 = %2)").arg(qs(block->repeat.text())).arg(layers);
        frame.detail = QStringLiteral("%1 each").arg(qs(core::groupDigits(value(*block).each)));
        for (const Module* r : s.runs)
            if (r != block)
                frame.detail += QStringLiteral(" (%1: %2)").arg(label(*r), qs(core::groupDigits(value(*r).each)));
        frame.detail
            += QStringLiteral(" · %1 in all · %2").arg(qs(core::groupDigits(lv.count)), percent(fraction(*s.list)));
        const double frameTop = y;
        y += 70;
        const double entry = y - 9;

        // The sub-layers: each attention, cross-attention or feed-forward core with its norms, in
        // tree order, looking through wrappers (T5's layer list and T5LayerSelfAttention).
        enum class Role { Norm, Attn, Cross, Ffn, Other };
        auto roleOf = [&](const Module& m) {
            if (isNorm(m, kind(m)))
                return Role::Norm;
            for (const Module* p = &m; p && p != block; p = p->parent)
                if (kind(*p) == Component::CrossAttention)
                    return Role::Cross;
            switch (kind(m)) {
            case Component::Attention:
                return Role::Attn;
            case Component::Mlp:
            case Component::Experts:
                return Role::Ffn;
            default:
                return Role::Other;
            }
        };
        struct Sub {
            Role role = Role::Other;
            std::vector<const Module*> cores; ///< BART's fc1, fc2: one feed-forward box
            std::vector<const Module*> norms;
        };
        std::vector<Sub> subs;
        std::vector<const Module*> waiting; // norms before any core
        std::function<void(const Module&)> flatten = [&](const Module& m) {
            for (const auto& c : m.children) {
                const Role r = roleOf(*c);
                bool wrapper = !c->isLeaf() && (r == Role::Other || r == Role::Cross || r == Role::Attn);
                if (wrapper) {
                    bool hasNorm = false;
                    for (const auto& g : c->children)
                        hasNorm = hasNorm || roleOf(*g) == Role::Norm;
                    wrapper = hasNorm || r == Role::Other;
                }
                if (wrapper && value(*c).count > 0) {
                    flatten(*c);
                    continue;
                }
                if (value(*c).count == 0 && !tied(*c))
                    continue;
                if (r == Role::Norm) {
                    (subs.empty() ? waiting : subs.back().norms).push_back(c.get());
                    continue;
                }
                if (!subs.empty() && r == Role::Ffn && subs.back().role == Role::Ffn && subs.back().norms.empty())
                    subs.back().cores.push_back(c.get());
                else
                    subs.push_back({ r, { c.get() }, {} });
                if (!waiting.empty()) {
                    subs.back().norms = waiting;
                    waiting.clear();
                }
            }
        };
        flatten(*block);

        // A node's counterpart in the other runs (T5's layer 0), by the path below the run.
        auto relative = [](const Module& m, const Module* run) {
            std::string p;
            for (const Module* n = &m; n && n != run; n = n->parent)
                p = n->name + "." + p;
            return p;
        };
        auto counterparts = [&](const Module& m) {
            std::vector<const Module*> all { &m };
            const std::string rel = relative(m, block);
            for (const Module* r : s.runs)
                if (r != block)
                    for (const Module* n : design.nodes())
                        if (insideOf(n, r) && n != r && relative(*n, r) == rel)
                            all.push_back(n);
            return all;
        };

        std::optional<std::size_t> prev;
        const double streamFrom = last ? d.boxes[*last].rect.bottom() : frameTop - kGap;
        auto link = [&](std::size_t i) {
            if (prev)
                down(*prev, i);
            else
                d.arrows.push_back(
                    { { QPointF(streamX, streamFrom), QPointF(streamX, d.boxes[i].rect.top()) }, false, {} });
            prev = i;
        };
        auto normBox = [&](const Module& m) {
            DiagramBox b = box(m, DiagramBox::Kind::Norm, false);
            b.share = shareOver(counterparts(m));
            return b;
        };
        std::vector<std::string> drawn; // relative paths of what the boxes show
        for (const Sub& sub : subs) {
            const double skipFrom = prev ? d.boxes[*prev].rect.bottom() + kGap / 2 : entry;
            if (!postNorm)
                for (const Module* n : sub.norms)
                    link(place(normBox(*n), innerX, innerW));
            const Module& core = *sub.cores.front();
            const DiagramBox::Kind k = sub.role == Role::Ffn        ? DiagramBox::Kind::Mlp
                : sub.role == Role::Attn || sub.role == Role::Cross ? DiagramBox::Kind::Attention
                                                                    : DiagramBox::Kind::Other;
            DiagramBox b = box(core, k, true);
            std::vector<const Module*> all = counterparts(core);
            if (sub.cores.size() > 1) {
                // fc1 and fc2 as one feed-forward box: the formulas added, a chip each.
                QStringList parts;
                Count each = 0;
                b.chips.clear();
                all.clear();
                for (const Module* c : sub.cores) {
                    const core::NodeFormula& f = m_c.formulas[static_cast<std::size_t>(c->index)];
                    parts << (f.ok ? qs(f.each) : qs(core::groupDigits(value(*c).each)));
                    each += value(*c).each;
                    b.chips.push_back({ {}, c->index, chipText(*c) });
                    for (const Module* n : counterparts(*c))
                        all.push_back(n);
                    drawn.push_back(relative(*c, block));
                }
                b.node = -1;
                b.title
                    = QStringLiteral("feed-forward: ") + qs(core.type) + QStringLiteral(" ×%1").arg(sub.cores.size());
                b.formula
                    = QStringLiteral("(%1) = %2").arg(parts.join(QStringLiteral(") + (")), qs(core::groupDigits(each)));
                Count sum = 0;
                for (const Module* n : all)
                    sum += overall(*n);
                b.fraction
                    = m_c.evaluation.total ? static_cast<double>(sum) / static_cast<double>(m_c.evaluation.total) : 0;
            } else {
                drawn.push_back(relative(core, block));
                Count sum = 0;
                for (const Module* n : all)
                    sum += overall(*n);
                b.fraction
                    = m_c.evaluation.total ? static_cast<double>(sum) / static_cast<double>(m_c.evaluation.total) : 0;
            }
            b.share = shareOver(all, counterparts(core));
            // Say which attention it is unless the name does ("encoder_attn", "SelfAttention").
            if (lower(core.name).find("att") == std::string::npos) {
                if (sub.role == Role::Cross)
                    b.title = QStringLiteral("cross-attention · ") + b.title;
                else if (sub.role == Role::Attn)
                    b.title = QStringLiteral("self-attention · ") + b.title;
            }
            // What the other runs hold beyond this one (T5's relative_attention_bias in layer 0).
            const std::string coreRel = relative(core, block);
            for (const Module* r : s.runs) {
                if (r == block)
                    continue;
                for (const Module* n : design.nodes()) {
                    if (!n->isLeaf() || !insideOf(n, r) || value(*n).count == 0)
                        continue;
                    const std::string rel = relative(*n, r);
                    if (rel.rfind(coreRel, 0) != 0)
                        continue;
                    bool inBlock = false;
                    for (const Module* m : design.nodes())
                        inBlock = inBlock || (insideOf(m, block) && relative(*m, block) == rel);
                    if (inBlock)
                        continue;
                    // T5: one relative position bias per stack, in layer 0, used by every layer.
                    const core::NodeFormula& f = m_c.formulas[static_cast<std::size_t>(n->index)];
                    b.chips.push_back({ {}, n->index,
                        QStringLiteral("layer %1 only (all layers use it): %2  %3")
                            .arg(label(*r), label(*n),
                                (f.ok ? qs(f.each) + QStringLiteral(" = ") : QString())
                                    + qs(core::groupDigits(value(*n).count))) });
                }
            }
            const std::size_t at = place(std::move(b), innerX, innerW);
            link(at);
            if (sub.role == Role::Cross)
                col.cross = at;
            if (sub.role == Role::Other)
                continue;
            const std::size_t p = place(plusBox(), streamX - kResidual / 2, kResidual);
            link(p);
            const double lane = innerX + innerW + kLane / 2;
            const QPointF c = d.boxes[p].rect.center();
            d.arrows.push_back({ { QPointF(streamX, skipFrom), QPointF(lane, skipFrom), QPointF(lane, c.y()),
                                     QPointF(c.x() + kResidual / 2, c.y()) },
                false, QStringLiteral("residual") });
            if (postNorm)
                for (const Module* n : sub.norms)
                    link(place(normBox(*n), innerX, innerW));
        }
        y += 4;
        frame.rect = QRectF(x0, frameTop, kColumn, y - frameTop);
        y += kGap;
        d.frames.push_back(frame);
        col.frameBottom = frame.rect.bottom();
        last = prev;
        for (const Module* m : post) {
            const std::size_t i = place(
                box(*m, isNorm(*m, kind(*m)) ? DiagramBox::Kind::Norm : DiagramBox::Kind::Other, true), innerX, innerW);
            if (last)
                down(*last, i);
            last = i;
        }
        col.output = last;
        return col;
    };

    Column encoder, decoder;
    double bottom = stacksTop;
    if (enc) {
        encoder = layOutStack(*enc, columnX[0], false);
        bottom = std::max(bottom, y);
    }
    if (dec) {
        decoder = layOutStack(*dec, columnX[1], true);
        bottom = std::max(bottom, y);
    }
    y = std::max(y, bottom);
    // The shared embedding feeds both stacks' token embeddings (tied: drawn dashed, no addition).
    for (const Column* c : { &encoder, &decoder })
        if (c->firstEmbedding && !shared.empty()) {
            const QRectF from = d.boxes[shared.front()].rect, to = d.boxes[*c->firstEmbedding].rect;
            // Left of the stack's label, which is centred above the column.
            const double x = to.left() + 60;
            d.arrows.push_back({ { QPointF(x, from.bottom()), QPointF(x, to.top()) }, d.boxes[*c->firstEmbedding].tied,
                QStringLiteral("shared") });
        }
    // The encoder's output: keys and values of every decoder layer's cross-attention.
    if (encoder.output && decoder.cross) {
        const QRectF from = d.boxes[*encoder.output].rect, to = d.boxes[*decoder.cross].rect;
        const double channel = columnX[0] + kColumn + kBetween / 2;
        const double outY = std::max(from.bottom(), encoder.frameBottom) + kGap / 2 + 2;
        d.arrows.push_back(
            { { QPointF(from.center().x(), from.bottom()), QPointF(from.center().x(), outY), QPointF(channel, outY),
                  QPointF(channel, to.center().y()), QPointF(to.left(), to.center().y()) },
                false, QStringLiteral("encoder output (K, V)") });
        y = std::max(y, outY + kGap);
    }
    // Under the decoder: the head, then logits.
    std::optional<std::size_t> last = decoder.output;
    const double x1 = columnX[1];
    if (!below.empty())
        y = std::max(y, last ? d.boxes[*last].rect.bottom() + kGap : y);
    for (const Module* m : below) {
        const auto k = kind(*m) == Component::LmHead ? DiagramBox::Kind::Head : DiagramBox::Kind::Other;
        const std::size_t i = place(box(*m, k, k != DiagramBox::Kind::Head), x1, kColumn);
        if (last)
            down(*last, i);
        last = i;
    }
    if (last && d.boxes[*last].kind == DiagramBox::Kind::Head) {
        d.labels.push_back({ QPointF(x1 + kColumn / 2, y), QStringLiteral("logits") });
        d.arrows.push_back(
            { { QPointF(x1 + kColumn / 2, d.boxes[*last].rect.bottom()), QPointF(x1 + kColumn / 2, y - 4) }, false,
                {} });
        y += 30;
    }
    // A tied head: a dashed line up the right-hand side to the weight it shares.
    for (std::size_t i = 0; i < d.boxes.size(); ++i) {
        const DiagramBox& b = d.boxes[i];
        if (!b.tied || b.kind != DiagramBox::Kind::Head)
            continue;
        const int target = design.ties()[static_cast<std::size_t>(b.node)];
        for (const DiagramBox& t : d.boxes)
            if (t.node == target) {
                const double lx = x1 + kColumn + 22;
                d.arrows.push_back(
                    { { QPointF(b.rect.right(), b.rect.center().y()), QPointF(lx, b.rect.center().y()),
                          QPointF(lx, t.rect.center().y()), QPointF(t.rect.right(), t.rect.center().y()) },
                        true, QStringLiteral("tied") });
            }
    }
    d.size = QSizeF(x1 + kColumn + kMargin + 40, y + kMargin);
}

Diagram Builder::run()
{
    Diagram d;
    const core::Design& design = m_c.design;
    if (!design.root || m_c.evaluation.nodes.size() != design.nodes().size())
        return d;
    d.title = QStringLiteral("%1 · %2 parameters").arg(m_name, qs(core::groupDigits(m_c.evaluation.total)));
    QStringList hp;
    if (m_c.evaluation.sparse)
        hp << QStringLiteral("%1 active per token;").arg(qs(core::groupDigits(m_c.evaluation.active)));
    for (std::size_t i = 0; i < design.symbols.size(); ++i)
        hp << QStringLiteral("%1 = %2").arg(qs(design.symbols[i].name)).arg(m_c.evaluation.symbols[i]);
    d.subtitle = hp.join(QStringLiteral(" · ")).replace(QStringLiteral("; · "), QStringLiteral("   "));

    const Module* block = mainBlock();
    const std::vector<SideInput> inputs = sideInputs(block);
    const bool side = !inputs.empty();
    const double x0 = kMargin + (side ? kVisionWidth + 90 : 0);
    // The subtitle wraps onto a second line when it is long (Gemma 3's fifteen symbols).
    QFont subtitleFont;
    subtitleFont.setPixelSize(15);
    const bool twoLines = QFontMetricsF(subtitleFont).horizontalAdvance(d.subtitle) > x0 + kMainWidth - 2 * kMargin;
    const double top = kMargin + 78 + (twoLines ? 22 : 0);
    if (encoderDecoder()) {
        layOutEncoderDecoder(d, top);
        return d;
    }

    // What comes before the block and after it, outside the vision column: embeddings (a row), then
    // anything else in tree order; after it the final norm, the head, and the rest.
    std::vector<const Module*> before, after, embeddings;
    bool passed = false;
    std::function<void(const Module&)> walk = [&](const Module& m) {
        for (const auto& in : inputs)
            for (const auto& [n, k] : in.chain)
                if (&m == n)
                    return;
        bool holdsBlock = false;
        for (const Module* p = block; p; p = p->parent)
            holdsBlock = holdsBlock || p == &m;
        if (block && &m == block->parent) {
            passed = true; // the list of layers: other runs of it (DeepSeek's dense layers) are chips
            return;
        }
        if (holdsBlock
            || (!m.isLeaf() && kind(m) != Component::LmHead && m.isRepeated() == false && !m.children.empty()
                && kind(m) == Component::Other)
            || (!m.isLeaf() && kind(m) == Component::Embeddings)) {
            for (const auto& c : m.children)
                walk(*c);
            return;
        }
        if (value(m).count == 0 && !tied(m))
            return;
        if (!passed && m.kind == ModuleKind::Embedding)
            embeddings.push_back(&m);
        else
            (passed ? after : before).push_back(&m);
    };
    walk(*design.root);
    if (!block) {
        // Nothing repeated: the top-level modules, one box each.
        before.clear();
        after.clear();
        embeddings.clear();
        for (const auto& c : design.root->children)
            after.push_back(c.get());
    }

    double y = top;
    const double innerX = x0 + kPad * 2;
    const double innerW = kMainWidth - kLane - kPad * 4;
    auto place = [&](DiagramBox b, double x, double w) {
        b.rect = QRectF(x, y, w, height(b, w));
        y += b.rect.height() + kGap;
        d.boxes.push_back(std::move(b));
        return d.boxes.size() - 1;
    };
    auto connect = [&](std::size_t from, std::size_t to) {
        const QRectF a = d.boxes[from].rect, b = d.boxes[to].rect;
        d.arrows.push_back({ { QPointF(b.center().x(), a.bottom()), QPointF(b.center().x(), b.top()) }, false, {} });
    };
    auto kindOf = [&](const Module& m) {
        const Component k = kind(m);
        if (isNorm(m, k))
            return DiagramBox::Kind::Norm;
        switch (k) {
        case Component::Attention:
            return DiagramBox::Kind::Attention;
        case Component::Mlp:
            return DiagramBox::Kind::Mlp;
        case Component::Experts:
            return DiagramBox::Kind::Experts;
        case Component::LmHead:
            return DiagramBox::Kind::Head;
        case Component::Embeddings:
            return DiagramBox::Kind::Embedding;
        default:
            return DiagramBox::Kind::Other;
        }
    };

    d.labels.push_back({ QPointF(x0 + kMainWidth / 2, y + 4), QStringLiteral("token ids") });
    y += 34;
    std::optional<std::size_t> last;
    std::size_t embedFirst = d.boxes.size();
    if (!embeddings.empty()) {
        const double w
            = (kMainWidth - kGap * static_cast<double>(embeddings.size() - 1)) / static_cast<double>(embeddings.size());
        double rowBottom = y;
        for (std::size_t i = 0; i < embeddings.size(); ++i) {
            DiagramBox b = box(*embeddings[i], DiagramBox::Kind::Embedding, false);
            b.rect = QRectF(x0 + static_cast<double>(i) * (w + kGap), y, w, height(b, w));
            rowBottom = std::max(rowBottom, b.rect.bottom());
            d.boxes.push_back(std::move(b));
        }
        if (embeddings.size() > 1) {
            // Token and position embeddings are added.
            y = rowBottom + kGap;
            DiagramBox plus;
            plus.kind = DiagramBox::Kind::Residual;
            plus.title = QStringLiteral("+");
            const std::size_t p = place(plus, innerX + innerW / 2 - kResidual / 2, kResidual);
            for (std::size_t i = embedFirst; i < p; ++i)
                d.arrows.push_back({ { QPointF(d.boxes[i].rect.center().x(), d.boxes[i].rect.bottom()),
                                         d.boxes[p].rect.center() + QPointF(0, -kResidual / 2) },
                    false, {} });
            last = p;
        } else {
            y = rowBottom + kGap;
            last = embedFirst;
        }
    }
    const double embedRowY = embeddings.empty() ? y : d.boxes[embedFirst].rect.center().y();
    for (const Module* m : before) {
        const std::size_t i = place(box(*m, kindOf(*m), true), x0, kMainWidth);
        if (last)
            connect(*last, i);
        last = i;
    }

    // The block.
    if (block) {
        const auto& v = value(*block);
        DiagramFrame frame;
        frame.node = block->index;
        frame.label = QStringLiteral("%1 × %2").arg(qs(core::groupDigits(v.repeat)), qs(block->type));
        if (!block->repeat.isEmpty() && !block->repeat.constantValue()) // "(L = 12)", not "(4 = 4)"
            frame.label += QStringLiteral("   (%1 = %2)").arg(qs(block->repeat.text())).arg(v.repeat);
        frame.detail
            = QStringLiteral("%1 each · %2 in all · %3")
                  .arg(qs(core::groupDigits(v.each)), qs(core::groupDigits(v.count)), percent(fraction(*block)));
        // Other runs of the same list (DeepSeek's first dense layers).
        QStringList others;
        for (const auto& sibling : block->parent->children)
            if (sibling.get() != block)
                others << QStringLiteral("%1 (%2 × %3, %4)")
                              .arg(label(*sibling))
                              .arg(value(*sibling).repeat)
                              .arg(qs(sibling->type), qs(core::compactCount(value(*sibling).count)));
        if (!others.isEmpty())
            frame.detail += QStringLiteral(" · also layers ") + others.join(QStringLiteral(", "));
        const double frameTop = y;
        y += 70; // the frame's label
        const double entry = y - 9; // where the residual stream enters the block

        // Order: norms before attention, attention, norms after it, add; the same for the MLP.
        const Module* attn = nullptr;
        const Module* mlp = nullptr;
        for (const auto& c : block->children) {
            const auto k = kindOf(*c);
            if (k == DiagramBox::Kind::Attention && !attn)
                attn = c.get();
            if ((k == DiagramBox::Kind::Mlp || k == DiagramBox::Kind::Experts) && !mlp)
                mlp = c.get();
        }
        std::vector<const Module*> preAttn, postAttn, preMlp, postMlp, rest;
        bool hasPreFeedforward = false;
        for (const auto& c : block->children)
            hasPreFeedforward = hasPreFeedforward || lower(c->name).find("pre_feedforward") != std::string::npos;
        int position = 0; // 0 before attention, 1 between, 2 after the MLP, in tree order
        for (const auto& c : block->children) {
            if (c.get() == attn) {
                position = std::max(position, 1);
                continue;
            }
            if (c.get() == mlp) {
                position = 2;
                continue;
            }
            const std::string n = lower(c->name);
            if (!isNorm(*c, kind(*c)) || !attn || !mlp) {
                rest.push_back(c.get());
                continue;
            }
            if (n.find("post_feedforward") != std::string::npos || n.find("post_mlp") != std::string::npos)
                postMlp.push_back(c.get());
            else if (n.find("pre_feedforward") != std::string::npos || n.find("ffn_norm") != std::string::npos
                || n == "ln_2")
                preMlp.push_back(c.get());
            else if (n.find("post_attention") != std::string::npos)
                (hasPreFeedforward ? postAttn : preMlp).push_back(c.get());
            else if (n.find("input") != std::string::npos || n == "ln_1"
                || n.find("attention_norm") != std::string::npos)
                preAttn.push_back(c.get());
            else
                (position == 0 ? preAttn : position == 1 ? preMlp : postMlp).push_back(c.get());
        }

        std::optional<std::size_t> prev;
        const double streamX = innerX + innerW / 2;
        const double streamFrom = last ? d.boxes[*last].rect.bottom() : frameTop - kGap;
        auto addRun
            = [&](const std::vector<const Module*>& pre, const Module* core, const std::vector<const Module*>& post) {
                  const double skipFrom = prev ? d.boxes[*prev].rect.bottom() + kGap / 2 : entry;
                  auto link = [&](std::size_t i) {
                      if (prev)
                          connect(*prev, i);
                      else
                          d.arrows.push_back(
                              { { QPointF(streamX, streamFrom), QPointF(streamX, d.boxes[i].rect.top()) }, false, {} });
                      prev = i;
                  };
                  for (const Module* m : pre)
                      link(place(box(*m, DiagramBox::Kind::Norm, false), innerX, innerW));
                  link(place(box(*core, kindOf(*core), true), innerX, innerW));
                  for (const Module* m : post)
                      link(place(box(*m, DiagramBox::Kind::Norm, false), innerX, innerW));
                  DiagramBox plus;
                  plus.kind = DiagramBox::Kind::Residual;
                  plus.title = QStringLiteral("+");
                  const std::size_t p = place(plus, streamX - kResidual / 2, kResidual);
                  link(p);
                  // The residual connection: around the sub-block, in the lane on the right.
                  const double lane = innerX + innerW + kLane / 2;
                  const QPointF c = d.boxes[p].rect.center();
                  d.arrows.push_back({ { QPointF(streamX, skipFrom), QPointF(lane, skipFrom), QPointF(lane, c.y()),
                                           QPointF(c.x() + kResidual / 2, c.y()) },
                      false, QStringLiteral("residual") });
              };
        if (attn && mlp) {
            addRun(preAttn, attn, postAttn);
            addRun(preMlp, mlp, postMlp);
            for (const Module* m : rest) {
                const std::size_t i = place(box(*m, kindOf(*m), true), innerX, innerW);
                connect(*prev, i);
                prev = i;
            }
        } else {
            for (const auto& c : block->children) {
                const std::size_t i = place(box(*c, kindOf(*c), true), innerX, innerW);
                if (prev)
                    connect(*prev, i);
                prev = i;
            }
        }
        y += 4;
        frame.rect = QRectF(x0, frameTop, kMainWidth, y - frameTop);
        y += kGap;
        d.frames.push_back(frame);
        last = prev;
        if (last) {
            // Out of the frame.
            const std::size_t outOf = *last;
            last.reset();
            for (const Module* m : after) {
                const auto k = kindOf(*m);
                const std::size_t i = place(box(*m, k, k != DiagramBox::Kind::Head), x0, kMainWidth);
                if (!last)
                    d.arrows.push_back(
                        { { QPointF(streamX, d.boxes[outOf].rect.bottom()), QPointF(streamX, d.boxes[i].rect.top()) },
                            false, {} });
                else
                    connect(*last, i);
                last = i;
            }
        }
    } else {
        for (const Module* m : after) {
            const std::size_t i = place(box(*m, kindOf(*m), true), x0, kMainWidth);
            if (last)
                connect(*last, i);
            last = i;
        }
    }
    if (last && d.boxes[*last].kind == DiagramBox::Kind::Head) {
        d.labels.push_back({ QPointF(x0 + kMainWidth / 2, y), QStringLiteral("logits") });
        d.arrows.push_back(
            { { QPointF(x0 + kMainWidth / 2, d.boxes[*last].rect.bottom()), QPointF(x0 + kMainWidth / 2, y - 4) },
                false, {} });
        y += 30;
    }
    // A tied head: a dashed line back to the weight it shares.
    for (std::size_t i = 0; i < d.boxes.size(); ++i) {
        const DiagramBox& b = d.boxes[i];
        if (!b.tied)
            continue;
        const int target = m_c.design.ties()[static_cast<std::size_t>(b.node)];
        for (const DiagramBox& t : d.boxes)
            if (t.node == target) {
                const double lx = x0 - 22;
                d.arrows.push_back(
                    { { QPointF(b.rect.left(), b.rect.center().y()), QPointF(lx, b.rect.center().y()),
                          QPointF(lx, t.rect.center().y()), QPointF(t.rect.left(), t.rect.center().y()) },
                        true, QStringLiteral("tied") });
            }
    }

    // The input column: each encoder (image, audio), then its projector, feeding the text model's input.
    double vy = top;
    for (std::size_t n = 0; n < inputs.size(); ++n) {
        const SideInput& in = inputs[n];
        d.labels.push_back({ QPointF(kMargin + kVisionWidth / 2, vy + 4), in.label });
        vy += 34;
        std::optional<std::size_t> prevSide;
        for (const auto& [m, k] : in.chain) {
            DiagramBox b = box(*m, k, true);
            if (k == DiagramBox::Kind::Vision)
                towerChips(*m, b);
            // A narrow column: the class goes under the name ("multi_modal_projector" is long enough).
            b.detail = qs(m->type) + (b.detail.isEmpty() ? QString() : QStringLiteral(" · ") + b.detail);
            b.title = label(*m);
            b.rect = QRectF(kMargin, vy, kVisionWidth, height(b, kVisionWidth));
            vy = b.rect.bottom() + kGap;
            d.boxes.push_back(std::move(b));
            const std::size_t i = d.boxes.size() - 1;
            if (prevSide)
                d.arrows.push_back({ { QPointF(d.boxes[i].rect.center().x(), d.boxes[*prevSide].rect.bottom()),
                                         QPointF(d.boxes[i].rect.center().x(), d.boxes[i].rect.top()) },
                    false, {} });
            prevSide = i;
        }
        if (prevSide) {
            // An encoder's tokens take the place of their placeholders among the token embeddings;
            // per-layer inputs enter the block. Each input has a lane of its own.
            const QRectF from = d.boxes[*prevSide].rect;
            const double lane = x0 - 80 + 18 * static_cast<double>(n); // left of the tied head's lane (x0 - 22)
            const double joinY = in.intoBlock && !d.frames.empty()
                ? d.frames.front().rect.top() + 40
                : (embeddings.empty() ? top + 60 : embedRowY) + 12 * static_cast<double>(n);
            d.arrows.push_back({ { QPointF(from.right(), from.center().y()), QPointF(lane, from.center().y()),
                                     QPointF(lane, joinY), QPointF(x0, joinY) },
                false, in.arrow });
        }
        vy += kGap;
    }
    y = std::max(y, vy);
    d.size = QSizeF(x0 + kMainWidth + kMargin, y + kMargin);
    return d;
}

} // namespace

int Diagram::nodeAt(QPointF point) const
{
    for (const DiagramBox& b : boxes)
        for (const DiagramChip& c : b.chips)
            if (c.rect.contains(point))
                return c.node;
    for (const DiagramBox& b : boxes)
        if (b.node >= 0 && b.rect.contains(point))
            return b.node;
    for (const DiagramFrame& f : frames)
        if (f.rect.contains(point))
            return f.node;
    return -1;
}

QRectF Diagram::rectOf(int node) const
{
    for (const DiagramBox& b : boxes) {
        if (b.node == node)
            return b.rect;
        for (const DiagramChip& c : b.chips)
            if (c.node == node)
                return c.rect;
    }
    for (const DiagramFrame& f : frames)
        if (f.node == node)
            return f.rect;
    return {};
}

Diagram buildDiagram(const core::CountedRef& counted, const QString& name)
{
    Diagram d = Builder(counted, name).run();
    // Chips: laid out in rows at the bottom of their box, as many per row as fit.
    const QFontMetricsF fm(chipFont());
    for (DiagramBox& b : d.boxes) {
        if (b.chips.empty())
            continue;
        const double rowHeight = kChipRow;
        // Rows fill from the bottom up: count them first.
        std::vector<std::vector<DiagramChip*>> rows(1);
        double x = 0;
        const double width = b.rect.width() - 2 * kPad;
        for (DiagramChip& c : b.chips) {
            const double w = chipWidth(fm, c.text, width);
            if (x > 0 && x + w > width) {
                rows.emplace_back();
                x = 0;
            }
            c.rect.setWidth(w);
            rows.back().push_back(&c);
            x += w + 6;
        }
        double y = b.rect.bottom() - kPad - static_cast<double>(rows.size()) * (rowHeight + 4) + 4;
        for (auto& row : rows) {
            double cx = b.rect.left() + kPad;
            for (DiagramChip* c : row) {
                c->rect = QRectF(cx, y, c->rect.width(), rowHeight);
                cx += c->rect.width() + 6;
            }
            y += rowHeight + 4;
        }
    }
    return d;
}

} // namespace paramscope::ui
