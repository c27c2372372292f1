// SPDX-License-Identifier: MIT
#include "derivation.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <sstream>

namespace paramscope::core {

namespace {

// ---------------------------------------------------------------------------------------------
// Paths

bool isNumber(std::string_view s)
{
    return !s.empty()
        && std::all_of(s.begin(), s.end(), [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); });
}

std::size_t editDistance(std::string_view a, std::string_view b)
{
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            const bool same = std::tolower(static_cast<unsigned char>(a[i - 1]))
                == std::tolower(static_cast<unsigned char>(b[j - 1]));
            row[j] = std::min({ row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1) });
            diagonal = up;
        }
    }
    return row[b.size()];
}

/// The child of @p m that the path segment @p part names, or nullptr.
const Module* childNamed(const CountedRef& c, const Module& m, std::string_view part)
{
    for (const auto& child : m.children) {
        if (!child->name.empty()) {
            if (child->name == part)
                return child.get();
            continue;
        }
        const NodeValue& v = c.evaluation.nodes[static_cast<std::size_t>(child->index)];
        if (part == "*" || part == labelText(*child, v))
            return child.get();
        if (isNumber(part) && part.size() < 19) {
            const Count layer = std::stoll(std::string(part));
            // A list entry of `repeat` copies holds layers first … first + repeat − 1.
            if (layer >= v.first && layer - v.first < std::max<Count>(v.repeat, 1))
                return child.get();
        }
    }
    return nullptr;
}

std::string segmentOf(const CountedRef& c, const Module& m)
{
    return m.name.empty() ? labelText(m, c.evaluation.nodes[static_cast<std::size_t>(m.index)]) : m.name;
}

std::string childList(const CountedRef& c, const Module& m)
{
    std::string s;
    for (const auto& child : m.children)
        s += (s.empty() ? "" : ", ") + segmentOf(c, *child);
    return s;
}

// ---------------------------------------------------------------------------------------------
// Expressions: the ASCII formulas of core/formula ("4*E^2 + 4*E", "L*(12*E^2 + 13*E)",
// "K*E^2/H") re-written for reading, with names or with their values.

struct Token {
    enum Type { Number, Name, Op, Space } type;
    std::string text;
};

std::vector<Token> tokenize(std::string_view s)
{
    std::vector<Token> out;
    for (std::size_t i = 0; i < s.size();) {
        const auto ch = static_cast<unsigned char>(s[i]);
        std::size_t j = i + 1;
        Token::Type type = Token::Op;
        if (std::isdigit(ch)) {
            while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j])))
                ++j;
            type = Token::Number;
        } else if (std::isalpha(ch) || ch == '_') {
            while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_'))
                ++j;
            type = Token::Name;
        } else if (ch == ' ') {
            while (j < s.size() && s[j] == ' ')
                ++j;
            type = Token::Space;
        }
        out.push_back({ type, std::string(s.substr(i, j - i)) });
        i = j;
    }
    return out;
}

std::string superscript(const std::string& digits)
{
    static const char* const table[] = { "⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹" };
    std::string s;
    for (char ch : digits)
        s += std::isdigit(static_cast<unsigned char>(ch)) ? table[ch - '0'] : std::string(1, ch);
    return s;
}

std::string latexName(const std::string& name)
{
    std::string escaped;
    for (char ch : name)
        escaped += ch == '_' ? std::string("\\_") : std::string(1, ch);
    return name.size() == 1 ? escaped : "\\mathit{" + escaped + "}";
}

/// Renders an ASCII expression. With @p values, names become their values and a product
/// reads "4·768" (a coefficient) or "50257 × 768" (two values); without, "4E" and "V·E".
std::string renderExpression(const std::string& ascii, const std::map<std::string, Count>* values, bool latex)
{
    const auto tokens = tokenize(ascii);
    auto neighbour = [&](std::size_t i, int step) -> const Token* {
        for (auto k = static_cast<std::ptrdiff_t>(i) + step; k >= 0 && k < static_cast<std::ptrdiff_t>(tokens.size());
             k += step)
            if (tokens[static_cast<std::size_t>(k)].type != Token::Space)
                return &tokens[static_cast<std::size_t>(k)];
        return nullptr;
    };
    std::string out;
    std::vector<bool> exponent(tokens.size(), false); // numbers written as powers, not coefficients
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const Token& t = tokens[i];
        switch (t.type) {
        case Token::Space:
            out += t.text;
            break;
        case Token::Number:
            out += t.text;
            break;
        case Token::Name:
            if (values) {
                const auto it = values->find(t.text);
                out += it != values->end() ? std::to_string(it->second) : t.text;
            } else {
                out += latex ? latexName(t.text) : t.text;
            }
            break;
        case Token::Op: {
            const Token* prev = neighbour(i, -1);
            const Token* next = neighbour(i, +1);
            if (t.text == "*") {
                const bool afterCoefficient
                    = prev && prev->type == Token::Number && !exponent[static_cast<std::size_t>(prev - tokens.data())];
                if (values) {
                    out += afterCoefficient ? (latex ? " \\cdot " : "·") : (latex ? " \\times " : " × ");
                } else {
                    // "4E", "L(12E² + 13E)", but "V·E": juxtaposed names would read as one.
                    const bool juxtapose
                        = (afterCoefficient && next && next->type == Token::Name) || (next && next->text == "(");
                    out += juxtapose ? "" : (latex ? " \\cdot " : "·");
                }
            } else if (t.text == "^" && next && next->type == Token::Number) {
                out += latex ? "^{" + next->text + "}" : superscript(next->text);
                exponent[static_cast<std::size_t>(next - tokens.data())] = true;
                i = static_cast<std::size_t>(next - tokens.data());
            } else if (t.text == "-") {
                out += latex ? "-" : "−";
            } else {
                out += t.text;
            }
            break;
        }
        }
    }
    return out;
}

/// Whether @p ascii is a single name or number, which needs no parentheses before "×".
bool isAtom(const std::string& ascii)
{
    const auto tokens = tokenize(ascii);
    return tokens.size() == 1 && tokens[0].type != Token::Op;
}

std::string latexCount(Count n)
{
    std::string s = groupDigits(n);
    std::string out;
    for (char ch : s)
        out += ch == ',' ? std::string("{,}") : std::string(1, ch);
    return out;
}

/// "c\_attn" in \texttt, for module names in LaTeX.
std::string latexLabel(const std::string& s)
{
    std::string out;
    for (char ch : s) {
        if (ch == '_' || ch == '&' || ch == '%' || ch == '#' || ch == '$')
            out += '\\';
        out += ch;
    }
    return "\\texttt{" + out + "}";
}

/// "a = b = c", leaving out a side that repeats the one before it (a constant's value is itself).
std::string chain(std::vector<std::string> sides, const std::string& equals)
{
    std::string out;
    std::string last;
    for (const auto& s : sides) {
        if (s.empty() || s == last)
            continue;
        out += (out.empty() ? "" : equals) + s;
        last = s;
    }
    return out;
}

std::string renderStep(const DerivationStep& s, bool latex)
{
    const std::string eq = " = ";
    auto count = [latex](Count n) { return latex ? latexCount(n) : groupDigits(n); };
    const std::string plus = " + ";
    switch (s.kind) {
    case DerivationStep::Kind::Formula:
    case DerivationStep::Kind::Tensor: {
        const std::string names = renderExpression(s.formula, nullptr, latex);
        const std::string values = renderExpression(s.formula, &s.values, latex);
        return chain({ names, values, count(s.result) }, eq);
    }
    case DerivationStep::Kind::Children: {
        std::string names, values;
        for (const auto& [label, n] : s.parts) {
            names += (names.empty() ? "" : plus) + (latex ? latexLabel(label) : label);
            values += (values.empty() ? "" : plus) + count(n);
        }
        if (s.parts.empty())
            return count(0);
        // One child: "h = 85,054,464" says it all.
        return s.parts.size() == 1 ? chain({ names, values }, eq) : chain({ names, values, count(s.result) }, eq);
    }
    case DerivationStep::Kind::Copies:
    case DerivationStep::Kind::Active: {
        const Count each = s.parts.empty() ? 0 : s.parts.front().second;
        const std::string times = latex ? " \\times " : " × ";
        auto wrap = [&](const std::string& x) { return isAtom(s.formula) ? x : "(" + x + ")"; };
        const std::string names = wrap(renderExpression(s.formula, nullptr, latex)) + times + count(each);
        const std::string values = wrap(renderExpression(s.formula, &s.values, latex)) + times + count(each);
        return chain({ names, values, count(s.result) }, eq);
    }
    case DerivationStep::Kind::Shared: {
        const std::string target = latex ? latexLabel(s.formula) : s.formula;
        const std::string note = "weight shared with " + target + ", counted there";
        const std::string text = latex ? "\\text{" + note + "}" : note;
        return s.result == 0 ? text + eq + "0" : text + "; bias" + eq + count(s.result);
    }
    }
    return {};
}

// ---------------------------------------------------------------------------------------------
// Building a derivation

/// The names a leaf's shape rule is written in, and the rule: "nf*nx + nf" for Conv1D.
std::pair<std::vector<std::string>, std::string> tensorRule(const Module& m, bool tied)
{
    const auto names = argumentNames(m.kind);
    std::vector<std::string> args(names.begin(), names.end());
    auto product = [](const std::string& a, const std::string& b) { return a + "*" + b; };
    std::string weight, bias;
    switch (m.kind) {
    case ModuleKind::Embedding:
        weight = product("num", "dim");
        break;
    case ModuleKind::Linear:
        weight = product("in", "out");
        bias = m.bias ? "out" : "";
        break;
    case ModuleKind::Conv1D:
        weight = product("nf", "nx");
        bias = "nf";
        break;
    case ModuleKind::LayerNorm:
        weight = "dim";
        bias = m.bias ? "dim" : "";
        break;
    case ModuleKind::RMSNorm:
        weight = "dim";
        break;
    case ModuleKind::Conv2d:
        weight = "in*out*kernel^2";
        bias = m.bias ? "out" : "";
        break;
    case ModuleKind::Conv1d: // weight [out, in/groups, kernel]
        weight = "out*(in/groups)*kernel";
        bias = m.bias ? "out" : "";
        break;
    case ModuleKind::Parameter:
        args.clear();
        for (std::size_t i = 0; i < m.args.size(); ++i) {
            args.push_back("d" + std::to_string(i));
            weight += (weight.empty() ? "" : "*") + args.back();
        }
        if (weight.empty())
            weight = "1";
        break;
    case ModuleKind::Container:
        break;
    }
    if (tied)
        weight.clear();
    std::string rule = weight;
    if (!bias.empty())
        rule += (rule.empty() ? "" : " + ") + bias;
    return { args, rule.empty() ? "0" : rule };
}

/// The names of @p ascii that are hyperparameters, with their values.
std::map<std::string, Count> symbolValues(const CountedRef& c, const std::string& ascii)
{
    std::map<std::string, Count> out;
    for (const Token& t : tokenize(ascii))
        if (t.type == Token::Name)
            if (const int i = c.design.symbolIndex(t.text); i >= 0)
                out[t.text] = c.evaluation.symbols[static_cast<std::size_t>(i)];
    return out;
}

/// "12 × GPT2Block" for the title; shapeText writes "12 x GPT2Block" for the terminal tables.
std::string titleOf(const CountedRef& c, const Module& m)
{
    const NodeValue& v = c.evaluation.nodes[static_cast<std::size_t>(m.index)];
    if (!m.parent)
        return m.type;
    const std::string shape = m.isLeaf() ? shapeText(m, v)
        : m.isRepeated()                 ? std::to_string(v.repeat) + " × " + m.type
                                         : m.type;
    return labelText(m, v) + ": " + shape;
}

} // namespace

Result<ResolvedPath> resolvePath(const CountedRef& c, std::string_view path)
{
    const Module* node = c.design.root.get();
    ResolvedPath r { node, {}, {} };
    if (!node)
        return Error { std::string(path), "the design has no modules" };
    std::string_view rest = path;
    while (!rest.empty()) {
        const auto dot = rest.find('.');
        const std::string_view part = rest.substr(0, dot);
        rest = dot == std::string_view::npos ? std::string_view() : rest.substr(dot + 1);
        const Module* next = childNamed(c, *node, part);
        if (!next) {
            const std::string here = r.shown.empty() ? "the root (" + node->type + ")" : r.shown;
            std::string message = "no module \"" + std::string(part) + "\" in " + here;
            if (node->children.empty()) {
                message += ", which has no children; nearest existing: " + (r.shown.empty() ? node->type : r.shown);
                return Error { std::string(path), message };
            }
            // The closest child name, when it is close enough to be a typo.
            std::string best;
            std::size_t bestDistance = SIZE_MAX;
            for (const auto& child : node->children) {
                const std::string name = segmentOf(c, *child);
                const std::size_t d = editDistance(part, name);
                if (d < bestDistance) {
                    bestDistance = d;
                    best = name;
                }
            }
            if (isNumber(part))
                message += " (layers: " + childList(c, *node) + ")";
            else if (bestDistance <= std::max<std::size_t>(2, part.size() / 3))
                message += "; did you mean " + (r.shown.empty() ? best : r.shown + "." + best) + "?";
            message += "; nearest existing: " + (r.shown.empty() ? std::string("the root") : r.shown) + ", with "
                + childList(c, *node);
            return Error { std::string(path), message };
        }
        r.shown += (r.shown.empty() ? "" : ".") + std::string(part);
        node = next;
    }
    r.module = node;
    r.canonical = Design::path(*node);
    return r;
}

Derivation derive(const CountedRef& c, const Module& m, std::string path)
{
    const auto& nodes = c.evaluation.nodes;
    const NodeValue& v = nodes[static_cast<std::size_t>(m.index)];
    // Formulas and ties of another structure (or none yet) must not be read past their end.
    static const NodeFormula kNoFormula { {}, {}, {}, {}, {}, {}, false, "no formula" };
    const auto at = static_cast<std::size_t>(m.index);
    const NodeFormula& f = at < c.formulas.size() ? c.formulas[at] : kNoFormula;
    Derivation d;
    d.canonical = Design::path(m);
    d.path = path.empty() ? d.canonical : std::move(path);
    d.title = titleOf(c, m);
    d.module = m.type;
    d.shape = shapeText(m, v);
    d.count = v.count;
    d.total = c.evaluation.total;
    d.where = f.where;
    for (const Module* p = m.parent; p; p = p->parent)
        d.multiplicity
            = checkedMul(d.multiplicity, nodes[static_cast<std::size_t>(p->index)].repeat).value_or(INT64_MAX);
    d.overall = v.count == 0 ? 0 : checkedMul(v.count, d.multiplicity).value_or(INT64_MAX);

    const bool tied = at < c.design.ties().size() && c.design.ties()[at] >= 0;
    // One copy, by formula in the hyperparameters ("0" for a tied weight says less than the step below).
    if (f.ok && !(tied && v.each == 0)) {
        DerivationStep s;
        s.kind = DerivationStep::Kind::Formula;
        s.formula = f.eachAscii;
        s.values = symbolValues(c, s.formula);
        s.result = v.each;
        d.steps.push_back(std::move(s));
    } else {
        d.formulaError = f.error;
    }

    // One copy, from what it is made of: a leaf's tensor shape, a container's children.
    if (m.isLeaf()) {
        if (tied) {
            DerivationStep s;
            s.kind = DerivationStep::Kind::Shared;
            s.formula = m.tiedTo;
            s.result = v.each;
            d.steps.push_back(std::move(s));
        }
        auto [names, rule] = tensorRule(m, tied);
        if (rule == "0")
            return d;
        DerivationStep s;
        s.kind = DerivationStep::Kind::Tensor;
        s.formula = rule;
        for (std::size_t i = 0; i < names.size() && i < v.args.size(); ++i)
            s.values[names[i]] = v.args[i];
        s.result = v.each;
        d.steps.push_back(std::move(s));
    } else {
        DerivationStep s;
        s.kind = DerivationStep::Kind::Children;
        for (const auto& child : m.children) {
            const NodeValue& cv = nodes[static_cast<std::size_t>(child->index)];
            s.parts.push_back({ child->name.empty() ? labelText(*child, cv) : child->name, cv.count });
        }
        s.result = v.each;
        d.steps.push_back(std::move(s));
    }

    // All its copies.
    if (m.isRepeated()) {
        DerivationStep s;
        s.kind = DerivationStep::Kind::Copies;
        s.formula = m.repeat.text();
        s.values = symbolValues(c, s.formula);
        s.parts.push_back({ "", v.each });
        s.result = v.count;
        d.steps.push_back(std::move(s));
        if (!m.activeRepeat.isEmpty()) {
            DerivationStep a;
            a.kind = DerivationStep::Kind::Active;
            a.formula = m.activeRepeat.text();
            a.values = symbolValues(c, a.formula);
            a.parts.push_back({ "", v.repeat ? v.count / v.repeat : 0 });
            a.result = v.active;
            d.steps.push_back(std::move(a));
        }
    }
    return d;
}

Result<Derivation> derive(const CountedRef& c, std::string_view path)
{
    auto r = resolvePath(c, path);
    if (!r)
        return r.error();
    return derive(c, *r->module, r->shown);
}

std::optional<DerivationFormat> parseDerivationFormat(std::string_view name)
{
    if (name == "text")
        return DerivationFormat::Text;
    if (name == "markdown" || name == "md")
        return DerivationFormat::Markdown;
    if (name == "latex" || name == "tex")
        return DerivationFormat::Latex;
    if (name == "json")
        return DerivationFormat::Json;
    return std::nullopt;
}

std::string stepText(const DerivationStep& s)
{
    return renderStep(s, false);
}

std::string stepLatex(const DerivationStep& s)
{
    return renderStep(s, true);
}

std::string stepLabel(const DerivationStep& s)
{
    switch (s.kind) {
    case DerivationStep::Kind::Formula:
        return "formula";
    case DerivationStep::Kind::Tensor:
        return "shape";
    case DerivationStep::Kind::Children:
        return "children";
    case DerivationStep::Kind::Copies:
        return "copies";
    case DerivationStep::Kind::Active:
        return "per token";
    case DerivationStep::Kind::Shared:
        return "shared";
    }
    return {};
}

namespace {

std::string percentOf(Count part, Count whole)
{
    char buf[32];
    std::snprintf(
        buf, sizeof buf, "%.2f%%", whole ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0);
    return buf;
}

/// "22.78% of the total 124,439,808", with the copies of enclosing blocks where there are any.
std::string shareLine(const Derivation& d)
{
    std::string s;
    if (d.multiplicity != 1)
        s = groupDigits(d.count) + " in each of " + groupDigits(d.multiplicity) + " enclosing copies, "
            + groupDigits(d.overall) + " in all; ";
    return s + percentOf(d.overall, d.total) + " of the total " + groupDigits(d.total);
}

std::string text(const Derivation& d)
{
    std::ostringstream out;
    out << (d.path.empty() ? "(root)" : d.path) << " — " << d.title << "\n";
    std::size_t width = 0;
    for (const auto& s : d.steps)
        width = std::max(width, stepLabel(s).size());
    for (const auto& s : d.steps)
        out << "  " << stepLabel(s) << ":" << std::string(width - stepLabel(s).size() + 1, ' ') << stepText(s) << "\n";
    if (!d.formulaError.empty())
        out << "  (" << d.formulaError << ")\n";
    if (!d.where.empty())
        out << "  where " << d.where << "\n";
    out << "  " << shareLine(d) << "\n";
    return out.str();
}

std::string markdown(const Derivation& d)
{
    std::ostringstream out;
    out << "**`" << (d.path.empty() ? d.module : d.path) << "`** — " << d.title << "\n\n";
    for (const auto& s : d.steps)
        out << "- " << stepLabel(s) << ": `" << stepText(s) << "`\n";
    if (!d.formulaError.empty())
        out << "- (" << d.formulaError << ")\n";
    if (!d.where.empty())
        out << "- where `" << d.where << "`\n";
    out << "\n" << shareLine(d) << "\n";
    return out.str();
}

std::string latex(const Derivation& d)
{
    std::ostringstream out;
    out << "% " << (d.path.empty() ? d.module : d.path) << " — " << d.title << " (paramscope-cli explain)\n";
    out << "% needs \\usepackage{amsmath}\n\\begin{align*}\n";
    // The node's own label ("attn", "0-11"), as the tree shows it.
    const std::string name = d.title.substr(0, d.title.find(':'));
    bool first = true;
    for (const auto& s : d.steps) {
        out << (first ? latexLabel(name) + " &= " : "&= ") << stepLatex(s) << " && \\text{" << stepLabel(s) << "}";
        first = false;
        out << (&s == &d.steps.back() ? "\n" : " \\\\\n");
    }
    out << "\\end{align*}\n";
    if (!d.where.empty()) {
        std::string where;
        for (char ch : d.where)
            where += ch == '*' ? std::string(" \\cdot ") : std::string(1, ch);
        out << "where $" << where << "$.\n";
    }
    return out.str();
}

std::string json(const Derivation& d)
{
    nlohmann::ordered_json j;
    j["path"] = d.path;
    j["canonical_path"] = d.canonical;
    j["module"] = d.module;
    j["shape"] = d.shape;
    j["count"] = d.count;
    j["multiplicity"] = d.multiplicity;
    j["overall"] = d.overall;
    j["total"] = d.total;
    if (!d.where.empty())
        j["formula_where"] = d.where;
    if (!d.formulaError.empty())
        j["formula_error"] = d.formulaError;
    j["steps"] = nlohmann::ordered_json::array();
    for (const auto& s : d.steps) {
        nlohmann::ordered_json step;
        step["kind"] = stepLabel(s);
        step["text"] = stepText(s);
        step["latex"] = stepLatex(s);
        if (s.kind == DerivationStep::Kind::Children) {
            step["terms"] = nlohmann::ordered_json::array();
            for (const auto& [label, n] : s.parts)
                step["terms"].push_back({ { "name", label }, { "count", n } });
        } else {
            step["formula"] = s.formula;
            if (!s.values.empty()) {
                nlohmann::ordered_json values = nlohmann::ordered_json::object();
                for (const auto& [name, value] : s.values)
                    values[name] = value;
                step["values"] = values;
            }
            if (!s.parts.empty())
                step["each"] = s.parts.front().second;
        }
        step["result"] = s.result;
        j["steps"].push_back(std::move(step));
    }
    return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

} // namespace

std::string renderDerivation(const Derivation& d, DerivationFormat format)
{
    switch (format) {
    case DerivationFormat::Text:
        return text(d);
    case DerivationFormat::Markdown:
        return markdown(d);
    case DerivationFormat::Latex:
        return latex(d);
    case DerivationFormat::Json:
        return json(d);
    }
    return {};
}

} // namespace paramscope::core
