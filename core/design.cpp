// SPDX-License-Identifier: MIT
#include "design.h"

#include <algorithm>
#include <cctype>
#include <functional>

namespace paramscope::core {

namespace {

constexpr int kMaxTreeDepth = 64;

bool isIdentifier(std::string_view s)
{
    if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0])))
        return false;
    for (char c : s)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_')
            return false;
    return true;
}

/// "/tree/children/0/children/3": where the node stands in a design file.
std::string pointer(const Module& m)
{
    if (!m.parent)
        return "/tree";
    const auto& siblings = m.parent->children;
    std::size_t i = 0;
    while (i < siblings.size() && siblings[i].get() != &m)
        ++i;
    return pointer(*m.parent) + "/children/" + std::to_string(i);
}

Error nodeError(const Module& m, const std::string& field, const std::string& message)
{
    const std::string p = Design::path(m);
    return { pointer(m) + field, (p.empty() ? "" : "(" + p + ") ") + message };
}

} // namespace

Design::Design()
    : root(container("", "Model"))
{
}

Design::Design(const Design& other)
    : name(other.name)
    , source(other.source)
    , className(other.className)
    , publishedTotal(other.publishedTotal)
    , notes(other.notes)
    , symbols(other.symbols)
    , checks(other.checks)
    , root(other.root ? other.root->clone() : nullptr)
{
    if (other.m_compiled)
        compile();
}

Design& Design::operator=(const Design& other)
{
    if (this != &other)
        *this = Design(other);
    return *this;
}

int Design::symbolIndex(std::string_view name) const
{
    for (std::size_t i = 0; i < symbols.size(); ++i)
        if (symbols[i].name == name)
            return static_cast<int>(i);
    return -1;
}

const Symbol* Design::symbol(std::string_view name) const
{
    const int i = symbolIndex(name);
    return i < 0 ? nullptr : &symbols[static_cast<std::size_t>(i)];
}

Status Design::setValue(std::string_view name, Count value)
{
    const int i = symbolIndex(name);
    if (i < 0)
        return Error { std::string(name), "no such hyperparameter in this design" };
    Symbol& s = symbols[static_cast<std::size_t>(i)];
    if (s.isDerived()) {
        s.definition = Expr();
        m_compiled = false; // the derivation order changes
    }
    s.value = value;
    return Ok {};
}

namespace {

/// An argument as a factor of a product: "V", "64", or "(3*E)".
std::string factor(const Expr& e)
{
    const std::string& t = e.text();
    const bool atom = !t.empty() && std::all_of(t.begin(), t.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    });
    return atom ? t : "(" + t + ")";
}

/// The number of values in a leaf's weight, as a product of its shape ("V·E"), in the order
/// PyTorch stores it.
std::string weightSize(const Module& m)
{
    const auto& a = m.args;
    std::vector<std::string> parts;
    switch (m.kind) {
    case ModuleKind::Linear:
        if (a.size() == 2)
            parts = { factor(a[1]), factor(a[0]) }; // weight is [out, in]
        break;
    case ModuleKind::Conv2d:
        if (a.size() == 3)
            parts = { factor(a[1]), factor(a[0]), factor(a[2]) + "²" };
        break;
    case ModuleKind::Conv1d: // weight is [out, in/groups, kernel]
        if (a.size() == 4)
            parts
                = { factor(a[1]), a[0].text() == a[3].text() ? "1" : factor(a[0]) + "/" + factor(a[3]), factor(a[2]) };
        break;
    default:
        for (const Expr& e : a)
            parts.push_back(factor(e));
        if (m.kind == ModuleKind::LayerNorm || m.kind == ModuleKind::RMSNorm)
            parts.resize(std::min<std::size_t>(parts.size(), 1));
    }
    std::string s;
    for (const auto& p : parts)
        s += (s.empty() ? "" : "·") + p;
    return s;
}

bool hasBias(const Module& m)
{
    return m.kind == ModuleKind::Conv1D || (hasBiasSwitch(m.kind) && m.bias);
}

void collectTies(const Module& m, const std::string& path, std::vector<Note>& out)
{
    if (!m.tiedTo.empty()) {
        Note n;
        n.kind = Note::Kind::Tie;
        n.node = path;
        n.target = m.tiedTo;
        n.text = path + " shares its weight with " + m.tiedTo + ": counted once, as model.num_parameters() does";
        if (hasBias(m))
            n.text += "; its bias is counted";
        if (const std::string w = weightSize(m); !w.empty())
            n.text += " (a checkpoint that also stores " + path + ".weight holds " + w + " more values)";
        out.push_back(std::move(n));
    }
    for (const auto& c : m.children) {
        const std::string name = c->name.empty() ? "*" : c->name;
        collectTies(*c, path.empty() ? name : path + "." + name, out);
    }
}

} // namespace

std::vector<Note> Design::allNotes() const
{
    std::vector<Note> out;
    if (root)
        collectTies(*root, "", out);
    for (const auto& text : notes)
        out.push_back({ Note::Kind::Kept, text, {}, {} });
    return out;
}

std::string Design::path(const Module& m)
{
    std::string p;
    for (const Module* n = &m; n && n->parent; n = n->parent)
        p = (n->name.empty() ? "*" : n->name) + (p.empty() ? "" : "." + p);
    return p;
}

namespace {

/// Depth-first: "*" may stand for any unnamed sibling, so "layers.*.mlp.gate" finds the first
/// run of a heterogeneous stack that has a gate.
Module* findBelow(Module* node, std::string_view path)
{
    if (path.empty())
        return node;
    const auto dot = path.find('.');
    const std::string_view part = path.substr(0, dot);
    const std::string_view rest = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
    for (const auto& c : node->children)
        if ((c->name.empty() ? "*" : c->name) == part)
            if (Module* found = findBelow(c.get(), rest))
                return found;
    return nullptr;
}

} // namespace

Module* Design::find(std::string_view path) const
{
    return root ? findBelow(root.get(), path) : nullptr;
}

Status Design::compile()
{
    m_compiled = false;
    m_nodes.clear();
    m_order.clear();
    m_ties.clear();
    if (!root)
        return Error { "/tree", "the design has no module tree" };

    // Symbols: valid unique names, bound definitions, no cycles.
    auto lookup = [this](const std::string& n) { return symbolIndex(n); };
    for (std::size_t i = 0; i < symbols.size(); ++i) {
        Symbol& s = symbols[i];
        const std::string where = "/hyperparameters/" + std::to_string(i);
        if (!isIdentifier(s.name))
            return Error { where + "/name", "'" + s.name + "' is not a valid name (letters, digits, _)" };
        if (symbolIndex(s.name) != static_cast<int>(i))
            return Error { where + "/name", "hyperparameter '" + s.name + "' is declared twice" };
        if (s.isDerived())
            if (auto st = s.definition.bind(lookup); !st)
                return st.error().within(where + "/expr");
    }
    std::vector<int> state(symbols.size(), 0); // 0 new, 1 visiting, 2 done
    std::function<Status(int)> visit = [&](int i) -> Status {
        if (state[i] == 2)
            return Ok {};
        if (state[i] == 1)
            return Error { symbols[i].name, "is defined in terms of itself" };
        state[i] = 1;
        for (const auto& n : symbols[i].definition.names())
            if (auto st = visit(symbolIndex(n)); !st)
                return st;
        state[i] = 2;
        if (symbols[i].isDerived())
            m_order.push_back(i);
        return Ok {};
    };
    for (std::size_t i = 0; i < symbols.size(); ++i)
        if (auto st = visit(static_cast<int>(i)); !st)
            return st;

    for (std::size_t i = 0; i < checks.size(); ++i)
        if (auto st = checks[i].expr.bind(lookup); !st)
            return st.error().within("/checks/" + std::to_string(i));

    // Nodes: pre-order numbering, argument counts, bound expressions.
    std::function<Status(Module&, int)> walk = [&](Module& m, int depth) -> Status {
        if (depth > kMaxTreeDepth)
            return nodeError(m, "", "modules nested deeper than " + std::to_string(kMaxTreeDepth));
        m.index = static_cast<int>(m_nodes.size());
        m_nodes.push_back(&m);
        if (m.isLeaf() && !m.children.empty())
            return nodeError(m, "/children", std::string(kindName(m.kind)) + " is a leaf and cannot hold modules");
        const auto names = argumentNames(m.kind);
        if (m.kind == ModuleKind::Parameter ? m.args.empty() : m.args.size() != names.size())
            return nodeError(m, "/args",
                std::string(kindName(m.kind)) + " takes "
                    + (m.kind == ModuleKind::Parameter ? std::string("a shape of at least one dimension")
                                                       : std::to_string(names.size()) + " arguments"));
        for (std::size_t a = 0; a < m.args.size(); ++a) {
            const std::string field = m.kind == ModuleKind::Parameter ? "/args/shape/" + std::to_string(a)
                                                                      : "/args/" + std::string(names[a]);
            if (auto st = m.args[a].bind(lookup); !st)
                return nodeError(m, field, st.error().message);
        }
        if (auto st = m.repeat.bind(lookup); !st)
            return nodeError(m, "/repeat", st.error().message);
        if (auto st = m.activeRepeat.bind(lookup); !st)
            return nodeError(m, "/active_repeat", st.error().message);
        if (!m.activeRepeat.isEmpty() && m.repeat.isEmpty())
            return nodeError(m, "/active_repeat", "needs a repeat");
        for (auto& c : m.children) {
            c->parent = &m;
            if (auto st = walk(*c, depth + 1); !st)
                return st;
        }
        return Ok {};
    };
    root->parent = nullptr;
    if (auto st = walk(*root, 0); !st)
        return st;

    m_ties.assign(m_nodes.size(), -1);
    for (Module* m : m_nodes) {
        if (m->tiedTo.empty())
            continue;
        const Module* target = find(m->tiedTo);
        if (!target)
            return nodeError(*m, "/tied_to", "no module at '" + m->tiedTo + "'");
        if (!m->isLeaf() || !target->isLeaf() || target->tiedTo.size() || target == m)
            return nodeError(*m, "/tied_to", "only a leaf can share the weight of another, untied leaf");
        for (const Module* p = m->parent; p; p = p->parent)
            if (p->isRepeated())
                return nodeError(*m, "/tied_to", "a tied module cannot sit inside a repeated block");
        m_ties[static_cast<std::size_t>(m->index)] = target->index;
    }
    m_compiled = true;
    return Ok {};
}

} // namespace paramscope::core
