// SPDX-License-Identifier: MIT
#include "evaluate.h"

namespace paramscope::core {

namespace {

std::string formatValue(Count v)
{
    return std::to_string(v);
}

class Evaluator {
public:
    Evaluator(const Design& d, Evaluation& e)
        : m_design(d)
        , m_eval(e)
    {
    }

    Status run()
    {
        if (!m_design.isCompiled())
            return Error { "", "design is not compiled" };
        m_eval.nodes.resize(m_design.nodes().size());
        m_eval.sparse = false;
        if (auto st = node(*m_design.root, 0); !st)
            return st;
        const NodeValue& r = m_eval.nodes[0];
        m_eval.total = r.count;
        m_eval.nonEmbedding = r.count - r.embedding;
        m_eval.active = r.active;
        return Ok {};
    }

private:
    Error overflow(const Module& m, const std::string& what)
    {
        const std::string p = Design::path(m);
        return { p.empty() ? "total" : p, what + " overflows 64 bits" };
    }

    Result<Count> arg(const Module& m, const Expr& e, const char* what, Count minimum)
    {
        auto v = e.evaluate(m_eval.symbols);
        if (!v)
            return Error { Design::path(m), v.error().message };
        if (*v < minimum)
            return Error { Design::path(m),
                std::string(what) + " '" + e.text() + "' = " + formatValue(*v)
                    + (minimum == 1 ? " must be positive" : " must not be negative") };
        return *v;
    }

    /// Weight and bias of a leaf, from its evaluated shape.
    Result<std::pair<Count, Count>> leafCounts(const Module& m, const std::vector<Count>& a)
    {
        std::optional<Count> w;
        Count b = 0;
        switch (m.kind) {
        case ModuleKind::Embedding:
            w = checkedMul(a[0], a[1]);
            break;
        case ModuleKind::Linear:
            w = checkedMul(a[0], a[1]);
            b = m.bias ? a[1] : 0;
            break;
        case ModuleKind::Conv1D:
            w = checkedMul(a[0], a[1]);
            b = a[0];
            break;
        case ModuleKind::LayerNorm:
            w = a[0];
            b = m.bias ? a[0] : 0;
            break;
        case ModuleKind::RMSNorm:
            w = a[0];
            break;
        case ModuleKind::Conv2d: {
            auto k2 = checkedMul(a[2], a[2]);
            auto io = checkedMul(a[0], a[1]);
            w = k2 && io ? checkedMul(*io, *k2) : std::nullopt;
            b = m.bias ? a[1] : 0;
            break;
        }
        case ModuleKind::Parameter:
            w = 1;
            for (Count d : a)
                w = w ? checkedMul(*w, d) : std::nullopt;
            break;
        case ModuleKind::Conv1d: {
            // weight [out, in/groups, kernel], as torch.nn.Conv1d checks it: groups divides in.
            if (a[3] <= 0 || a[0] % a[3] != 0)
                return Error { Design::path(m),
                    "in = " + formatValue(a[0]) + " is not divisible by groups = " + formatValue(a[3]) };
            auto ok = checkedMul(a[1], a[0] / a[3]);
            w = ok ? checkedMul(*ok, a[2]) : std::nullopt;
            b = m.bias ? a[1] : 0;
            break;
        }
        case ModuleKind::Container:
            break;
        }
        if (!w)
            return overflow(m, "the weight");
        return std::pair { *w, b };
    }

    Status node(const Module& m, int depth)
    {
        NodeValue& v = m_eval.nodes[static_cast<std::size_t>(m.index)];
        v.args.resize(m.args.size());
        for (std::size_t i = 0; i < m.args.size(); ++i) {
            // Zero-sized layers exist in PyTorch (no shared experts: width Fx·0); symbols carry their own minimums.
            auto a = arg(m, m.args[i], "size", 0);
            if (!a)
                return a.error();
            v.args[i] = *a;
        }
        v.repeat = 1;
        if (m.isRepeated()) {
            auto r = arg(m, m.repeat, "repeat", 0);
            if (!r)
                return r.error();
            v.repeat = *r;
        }

        Count each = 0, activeEach = 0, embeddingEach = 0;
        if (m.isLeaf()) {
            auto wb = leafCounts(m, v.args);
            if (!wb)
                return wb.error();
            auto [weight, bias] = *wb;
            const int tie = m_design.ties()[static_cast<std::size_t>(m.index)];
            if (tie >= 0) {
                // Counted once, where it lives: the target must already hold as many weights.
                const Module& target = *m_design.nodes()[static_cast<std::size_t>(tie)];
                auto tw = leafCounts(target, evaluatedArgs(target));
                if (!tw)
                    return tw.error();
                if (tw->first != weight)
                    return Error { Design::path(m),
                        "is tied to " + m.tiedTo + " but their weights differ (" + formatValue(weight) + " vs "
                            + formatValue(tw->first) + ")" };
                weight = 0;
            }
            auto sum = checkedAdd(weight, bias);
            if (!sum)
                return overflow(m, "the count");
            each = activeEach = *sum;
            embeddingEach = m.kind == ModuleKind::Embedding ? weight : 0;
        } else {
            if (depth > 64)
                return Error { Design::path(m), "modules nested too deep" };
            Count nextFirst = 0;
            for (const auto& c : m.children) {
                if (auto st = node(*c, depth + 1); !st)
                    return st;
                NodeValue& cv = m_eval.nodes[static_cast<std::size_t>(c->index)];
                cv.first = nextFirst;
                auto nf = checkedAdd(nextFirst, cv.repeat);
                auto e = checkedAdd(each, cv.count);
                auto a = checkedAdd(activeEach, cv.active);
                auto em = checkedAdd(embeddingEach, cv.embedding);
                if (!nf || !e || !a || !em)
                    return overflow(m, "the count");
                nextFirst = *nf;
                each = *e;
                activeEach = *a;
                embeddingEach = *em;
            }
        }

        Count activeCopies = v.repeat;
        if (!m.activeRepeat.isEmpty()) {
            auto k = arg(m, m.activeRepeat, "active copies", 0);
            if (!k)
                return k.error();
            if (*k > v.repeat)
                return Error { Design::path(m),
                    "active copies '" + m.activeRepeat.text() + "' = " + formatValue(*k) + " exceed the "
                        + formatValue(v.repeat) + " copies" };
            activeCopies = *k;
            m_eval.sparse = true;
        }
        auto count = checkedMul(each, v.repeat);
        auto active = checkedMul(activeEach, activeCopies);
        auto embedding = checkedMul(embeddingEach, v.repeat);
        if (!count || !active || !embedding)
            return overflow(m, "the count × " + formatValue(v.repeat) + " copies");
        v.each = each;
        v.count = *count;
        v.active = *active;
        v.embedding = *embedding;
        return Ok {};
    }

    /// A tie target's shape: already evaluated when it comes first, else evaluated here.
    std::vector<Count> evaluatedArgs(const Module& target)
    {
        std::vector<Count> a;
        for (const auto& e : target.args) {
            auto v = e.evaluate(m_eval.symbols);
            a.push_back(v ? *v : 0);
        }
        return a;
    }

    const Design& m_design;
    Evaluation& m_eval;
};

} // namespace

Result<std::vector<Count>> evaluateSymbols(const Design& design)
{
    std::vector<Count> values(design.symbols.size());
    for (std::size_t i = 0; i < design.symbols.size(); ++i)
        values[i] = design.symbols[i].value;
    for (int i : design.derivationOrder()) {
        const Symbol& s = design.symbols[static_cast<std::size_t>(i)];
        auto v = s.definition.evaluate(values);
        if (!v)
            return Error { s.name, v.error().message };
        values[static_cast<std::size_t>(i)] = *v;
    }
    for (std::size_t i = 0; i < design.symbols.size(); ++i) {
        const Symbol& s = design.symbols[i];
        if (values[i] < s.minimum)
            return Error { s.name,
                (s.isDerived() ? s.name + " = " + s.definition.text() + " = " : s.name + " = ") + formatValue(values[i])
                    + " must be at least " + formatValue(s.minimum) };
    }
    for (const Check& c : design.checks) {
        auto v = c.expr.evaluate(values);
        if (!v)
            return Error { c.expr.names().empty() ? "" : c.expr.names().front(),
                v.error().message + (c.message.empty() ? "" : ": " + c.message) };
    }
    return values;
}

Status evaluateInto(const Design& design, Evaluation& out)
{
    auto symbols = evaluateSymbols(design);
    if (!symbols)
        return symbols.error();
    out.symbols = std::move(*symbols);
    return Evaluator(design, out).run();
}

Result<Evaluation> evaluate(const Design& design)
{
    Evaluation e;
    if (auto st = evaluateInto(design, e); !st)
        return st.error();
    return e;
}

} // namespace paramscope::core
