// SPDX-License-Identifier: MIT
#include "edits.h"

#include <algorithm>
#include <cctype>

namespace paramscope::core {

namespace {

bool isIdentifier(std::string_view s)
{
    if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0])))
        return false;
    return std::all_of(
        s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

Result<Module*> nodeAt(Design& design, int node)
{
    if (!design.isCompiled())
        if (auto st = design.compile(); !st)
            return st.error();
    if (node < 0 || static_cast<std::size_t>(node) >= design.nodes().size())
        return Error { "", "no module #" + std::to_string(node) };
    return design.nodes()[static_cast<std::size_t>(node)];
}

/// Position of @p m among its parent's children.
std::size_t rowOf(const Module& m)
{
    const auto& siblings = m.parent->children;
    std::size_t i = 0;
    while (i < siblings.size() && siblings[i].get() != &m)
        ++i;
    return i;
}

bool hasChildNamed(const Module& parent, const std::string& name, const Module* except = nullptr)
{
    return std::any_of(parent.children.begin(), parent.children.end(),
        [&](const auto& c) { return c.get() != except && c->name == name; });
}

std::string uniqueName(const Module& parent, const std::string& base)
{
    if (!hasChildNamed(parent, base))
        return base;
    for (int i = 1;; ++i)
        if (const std::string n = base + "_" + std::to_string(i); !hasChildNamed(parent, n))
            return n;
}

/// Calls @p f on every module of the tree.
template <typename F> void forEach(Module& m, F&& f)
{
    f(m);
    for (auto& c : m.children)
        forEach(*c, f);
}

/// Compiles and returns the index of @p m (pointers survive compile(); indices do not).
Result<int> recompiled(Design& design, const Module* m)
{
    if (auto st = design.compile(); !st)
        return st.error();
    return m->index;
}

Status compiled(Design& design)
{
    if (auto st = design.compile(); !st)
        return st.error();
    return Ok {};
}

/// The first symbol of @p names the design has, else "1".
std::string pick(const Design& design, std::initializer_list<const char*> names)
{
    for (const char* n : names)
        if (design.symbol(n))
            return n;
    return "1";
}

bool usesSymbol(const Module& root, const std::string& name)
{
    bool used = false;
    const auto check = [&](const Expr& e) {
        for (const auto& n : e.names())
            used = used || n == name;
    };
    forEach(const_cast<Module&>(root), [&](Module& m) {
        for (const auto& a : m.args)
            check(a);
        check(m.repeat);
        check(m.activeRepeat);
    });
    return used;
}

/// The output-size argument of a projection leaf (Linear: out, Conv1D: nf), or -1.
int outputArg(const Module& m)
{
    if (m.kind == ModuleKind::Linear)
        return 1;
    if (m.kind == ModuleKind::Conv1D)
        return 0;
    return -1;
}

bool contains(const std::string& s, std::string_view part)
{
    return s.find(part) != std::string::npos;
}

std::vector<Module*> withRole(Design& design, int node, const std::string& role)
{
    std::vector<Module*> out;
    if (node >= 0) {
        if (auto m = nodeAt(design, node))
            out.push_back(*m);
        return out;
    }
    forEach(*design.root, [&](Module& m) {
        if (m.role == role && !m.isLeaf())
            out.push_back(&m);
    });
    return out;
}

} // namespace

Status renameModule(Design& design, int node, const std::string& name)
{
    auto m = nodeAt(design, node);
    if (!m)
        return m.error();
    Module& mod = **m;
    if (!mod.parent)
        return Error { "", "the model itself has no name to change" };
    if (!isIdentifier(name))
        return Error { "", "'" + name + "' is not a valid name (letters, digits, _)" };
    if (hasChildNamed(*mod.parent, name, &mod))
        return Error { "", "'" + name + "' is already taken by a sibling" };
    const std::string oldPath = Design::path(mod);
    if (mod.name.empty())
        return Error { "", "a repeated list entry is named by its index; rename its list instead" };
    mod.name = name;
    const std::string newPath = Design::path(mod);
    forEach(*design.root, [&](Module& other) {
        if (other.tiedTo == oldPath || other.tiedTo.starts_with(oldPath + "."))
            other.tiedTo = newPath + other.tiedTo.substr(oldPath.size());
    });
    return compiled(design);
}

Result<int> addChildModule(Design& design, int parent, ModuleKind kind)
{
    auto p = nodeAt(design, parent);
    if (!p)
        return p.error();
    Module& container = **p;
    if (container.isLeaf())
        return Error { "", std::string(kindName(container.kind)) + " is a leaf and cannot hold modules" };
    const std::string e = pick(design, { "E", "d_model" });
    std::vector<std::string> args;
    std::string base;
    bool bias = false;
    switch (kind) {
    case ModuleKind::Container:
        base = "block";
        break;
    case ModuleKind::Embedding:
        args = { pick(design, { "V" }), e };
        base = "embedding";
        break;
    case ModuleKind::Linear:
        args = { e, e };
        base = "linear";
        break;
    case ModuleKind::Conv1D:
        args = { e, e };
        base = "conv1d";
        break;
    case ModuleKind::LayerNorm:
        args = { e };
        bias = true;
        base = "norm";
        break;
    case ModuleKind::RMSNorm:
        args = { e };
        base = "norm";
        break;
    case ModuleKind::Conv2d:
        args = { "3", e, "16" };
        bias = true;
        base = "conv";
        break;
    case ModuleKind::Parameter:
        args = { e };
        base = "param";
        break;
    case ModuleKind::Conv1d:
        args = { e, e, "4", e }; // depthwise, as Mamba's
        bias = true;
        base = "conv1d";
        break;
    }
    auto m = kind == ModuleKind::Container ? core::container(uniqueName(container, base), "Module")
                                           : leaf(kind, uniqueName(container, base), args, bias);
    const Module* added = container.add(std::move(m));
    return recompiled(design, added);
}

Status removeModule(Design& design, int node)
{
    auto m = nodeAt(design, node);
    if (!m)
        return m.error();
    Module& mod = **m;
    if (!mod.parent)
        return Error { "", "the model itself cannot be deleted" };
    const std::string path = Design::path(mod);
    forEach(*design.root, [&](Module& other) {
        if (other.tiedTo == path || other.tiedTo.starts_with(path + "."))
            other.tiedTo.clear();
    });
    auto& siblings = mod.parent->children;
    siblings.erase(siblings.begin() + static_cast<std::ptrdiff_t>(rowOf(mod)));
    return compiled(design);
}

Result<int> duplicateModule(Design& design, int node)
{
    auto m = nodeAt(design, node);
    if (!m)
        return m.error();
    Module& mod = **m;
    if (!mod.parent)
        return Error { "", "the model itself cannot be duplicated" };
    auto copy = mod.clone();
    if (!copy->name.empty())
        copy->name = uniqueName(*mod.parent, mod.name + "_copy");
    // A copy inside a repeated block may not be tied; elsewhere it shares what the original shares.
    forEach(*copy, [](Module& c) {
        for (const Module* p = c.parent; p; p = p->parent)
            if (p->isRepeated())
                c.tiedTo.clear();
    });
    if (copy->isRepeated())
        forEach(*copy, [](Module& c) { c.tiedTo.clear(); });
    auto& siblings = mod.parent->children;
    const Module* added = copy.get();
    copy->parent = mod.parent;
    siblings.insert(siblings.begin() + static_cast<std::ptrdiff_t>(rowOf(mod) + 1), std::move(copy));
    return recompiled(design, added);
}

Result<int> moveModule(Design& design, int node, int delta)
{
    auto m = nodeAt(design, node);
    if (!m)
        return m.error();
    Module& mod = **m;
    if (!mod.parent)
        return Error { "", "the model itself cannot move" };
    auto& siblings = mod.parent->children;
    const auto from = static_cast<std::ptrdiff_t>(rowOf(mod));
    const auto to = from + delta;
    if (to < 0 || to >= static_cast<std::ptrdiff_t>(siblings.size()))
        return Error { "", "cannot move further" };
    auto item = std::move(siblings[static_cast<std::size_t>(from)]);
    siblings.erase(siblings.begin() + from);
    siblings.insert(siblings.begin() + to, std::move(item));
    return recompiled(design, &mod);
}

Status setBias(Design& design, int node, bool bias)
{
    auto m = nodeAt(design, node);
    if (!m)
        return m.error();
    if (!hasBiasSwitch((*m)->kind))
        return Error { "", std::string(kindName((*m)->kind)) + " has no bias switch" };
    (*m)->bias = bias;
    return compiled(design);
}

Status setExpression(Design& design, int node, int arg, const std::string& text)
{
    auto m = nodeAt(design, node);
    if (!m)
        return m.error();
    Module& mod = **m;
    Expr e;
    const bool optional = arg < 0;
    if (!(optional && text.empty())) {
        auto parsed = Expr::parse(text);
        if (!parsed)
            return parsed.error();
        e = std::move(*parsed);
        for (const auto& n : e.names())
            if (!design.symbol(n))
                return Error { n, "no such hyperparameter in this design" };
    }
    if (arg == -1) {
        if (!e.isEmpty() && !mod.parent)
            return Error { "", "the model itself cannot repeat" };
        mod.repeat = std::move(e);
        if (mod.repeat.isEmpty())
            mod.activeRepeat = Expr();
    } else if (arg == -2) {
        mod.activeRepeat = std::move(e);
    } else {
        if (arg >= static_cast<int>(mod.args.size()))
            return Error { "", "no argument #" + std::to_string(arg) };
        if (e.isEmpty())
            return Error { "", "a size is needed" };
        mod.args[static_cast<std::size_t>(arg)] = std::move(e);
    }
    return compiled(design);
}

int findOutputHead(const Design& design)
{
    for (const Module* m : design.nodes())
        if (m->name == "lm_head" && m->isLeaf())
            return m->index;
    return -1;
}

Status toggleTie(Design& design, int node)
{
    auto m = nodeAt(design, node);
    if (!m)
        return m.error();
    Module& mod = **m;
    if (!mod.tiedTo.empty()) {
        mod.tiedTo.clear();
        return compiled(design);
    }
    if (!mod.isLeaf())
        return Error { "", "only a leaf can share a weight" };
    // The embedding whose shape is this leaf's transposed (or equal): wte for lm_head.
    for (const Module* other : design.nodes()) {
        if (other == &mod || other->kind != ModuleKind::Embedding || !other->tiedTo.empty())
            continue;
        const auto& a = mod.args;
        const auto& b = other->args;
        if (a.size() == 2 && b.size() == 2 && ((a[0] == b[1] && a[1] == b[0]) || (a[0] == b[0] && a[1] == b[1]))) {
            mod.tiedTo = Design::path(*other);
            return compiled(design);
        }
    }
    return Error { "", "no embedding with the same shape to share a weight with" };
}

Status switchNorm(Design& design, int node)
{
    std::vector<Module*> norms;
    if (node >= 0) {
        auto m = nodeAt(design, node);
        if (!m)
            return m.error();
        norms.push_back(*m);
    } else {
        forEach(*design.root, [&](Module& m) {
            if (m.kind == ModuleKind::LayerNorm || m.kind == ModuleKind::RMSNorm)
                norms.push_back(&m);
        });
    }
    if (norms.empty() || (norms[0]->kind != ModuleKind::LayerNorm && norms[0]->kind != ModuleKind::RMSNorm))
        return Error { "", "not a LayerNorm or RMSNorm" };
    const ModuleKind to = norms[0]->kind == ModuleKind::LayerNorm ? ModuleKind::RMSNorm : ModuleKind::LayerNorm;
    const std::string_view from = kindName(norms[0]->kind);
    for (Module* m : norms) {
        if (m->kind == to)
            continue;
        m->kind = to;
        m->bias = to == ModuleKind::LayerNorm;
        if (const auto at = m->type.find(from); at != std::string::npos)
            m->type.replace(at, from.size(), kindName(to));
        else
            m->type = std::string(kindName(to));
    }
    return compiled(design);
}

bool isGatedMlp(const Design& design, int node)
{
    if (node < 0 || static_cast<std::size_t>(node) >= design.nodes().size())
        return false;
    const Module& m = *design.nodes()[static_cast<std::size_t>(node)];
    if (m.isLeaf())
        return false;
    for (std::size_t i = 0; i < m.children.size(); ++i)
        for (std::size_t j = i + 1; j < m.children.size(); ++j)
            if (m.children[i]->isLeaf() && m.children[i]->kind == m.children[j]->kind
                && m.children[i]->args == m.children[j]->args)
                return true;
    return false;
}

Status switchMlp(Design& design, int node)
{
    auto mlps = withRole(design, node, "mlp");
    if (mlps.empty())
        return Error { "", "no MLP (a container with role \"mlp\") to switch" };
    const bool toGated = !isGatedMlp(design, mlps[0]->index);
    for (Module* m : mlps) {
        if (m->isLeaf() || m->children.size() < 2)
            return Error { Design::path(*m), "is not an MLP of projections" };
        auto& ch = m->children;
        if (toGated && !isGatedMlp(design, m->index)) {
            auto gate = ch[0]->clone();
            gate->name = uniqueName(*m, "gate_proj");
            gate->parent = m;
            ch.insert(ch.begin(), std::move(gate));
        } else if (!toGated && isGatedMlp(design, m->index)) {
            // Drop the gate: the projection named so, else the first of the two twins.
            std::size_t drop = ch.size();
            for (std::size_t i = 0; i < ch.size(); ++i)
                if (contains(ch[i]->name, "gate"))
                    drop = i;
            if (drop == ch.size())
                drop = 0;
            ch.erase(ch.begin() + static_cast<std::ptrdiff_t>(drop));
        }
        if (auto st = compiled(design); !st)
            return st;
    }
    return compiled(design);
}

bool isGroupedAttention(const Design& design, int node)
{
    if (node < 0 || static_cast<std::size_t>(node) >= design.nodes().size())
        return false;
    return design.symbol("K") && usesSymbol(*design.nodes()[static_cast<std::size_t>(node)], "K");
}

Status switchAttention(Design& design, int node)
{
    auto attns = withRole(design, node, "attention");
    if (attns.empty())
        return Error { "", "no attention (a container with role \"attention\") to switch" };
    const bool toGrouped = !isGroupedAttention(design, attns[0]->index);
    const bool hasD = design.symbol("D") != nullptr;
    const std::string kv = hasD ? "K*D" : "K*E/H";
    const std::string full = hasD ? "H*D" : "E";
    if (toGrouped && !design.symbol("K")) {
        const Symbol* h = design.symbol("H");
        if (!h || h->isDerived())
            return Error { "", "grouped-query attention needs the heads H as a set hyperparameter" };
        Count heads = h->value, k = 1;
        for (Count d : { 4, 2, 3 })
            if (heads % d == 0 && heads / d >= 1) {
                k = heads / d;
                break;
            }
        Symbol s;
        s.name = "K";
        s.description = "key/value heads";
        s.field = "num_key_value_heads";
        s.value = k;
        // Keep K next to H in the panel.
        design.symbols.insert(design.symbols.begin() + design.symbolIndex("H") + 1, s);
        Check c;
        c.expr = expr("H/K");
        c.message = "the KV heads K must divide the heads H";
        design.checks.push_back(c);
    }
    bool changed = false;
    for (Module* a : attns) {
        for (auto& c : a->children) {
            const int out = outputArg(*c);
            if (out < 0)
                continue;
            Expr& e = c->args[static_cast<std::size_t>(out)];
            const std::string& n = c->name;
            const bool kOrV = contains(n, "k_proj") || contains(n, "v_proj") || n == "key" || n == "value"
                || contains(n, "wk") || contains(n, "wv");
            const bool fused = contains(n, "qkv") || n == "c_attn" || contains(n, "query_key_value");
            std::string text;
            if (toGrouped) {
                if (kOrV && (e.text() == "E" || e.text() == "H*D"))
                    text = kv;
                else if (fused && (e.text() == "3*E" || e.text() == "3*H*D"))
                    text = (hasD ? "H*D + 2*" : "E + 2*") + kv;
            } else {
                if (kOrV && e.text() == kv)
                    text = full;
                else if (fused && e.text() == (hasD ? "H*D + 2*" : "E + 2*") + kv)
                    text = hasD && c->args[static_cast<std::size_t>(1 - out)].text() != "E" ? "3*H*D" : "3*E";
                else if (kOrV && (e.text() == "K*D" || e.text() == "K*E/H"))
                    text = full;
            }
            if (!text.empty()) {
                e = expr(text);
                changed = true;
            }
        }
    }
    if (!changed)
        return Error { "", toGrouped ? "found no key/value projections to group" : "found no grouped projections" };
    if (!toGrouped && !usesSymbol(*design.root, "K")) {
        bool derivedUse = false;
        for (const Symbol& s : design.symbols)
            for (const auto& n : s.definition.names())
                derivedUse = derivedUse || n == "K";
        if (!derivedUse) {
            std::erase_if(design.checks, [](const Check& c) {
                const auto names = c.expr.names();
                return std::find(names.begin(), names.end(), "K") != names.end();
            });
            design.symbols.erase(design.symbols.begin() + design.symbolIndex("K"));
        }
    }
    return compiled(design);
}

} // namespace paramscope::core
