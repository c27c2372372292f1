// SPDX-License-Identifier: MIT
#include "report.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>

namespace paramscope::core {

std::string groupDigits(Count n)
{
    std::string digits = std::to_string(n < 0 ? -(n + 1) + 1ULL : static_cast<unsigned long long>(n));
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0)
            out += ',';
        out += digits[i];
    }
    return n < 0 ? "-" + out : out;
}

std::string compactCount(Count n)
{
    if (n < 10000 && n > -10000)
        return groupDigits(n);
    const double a = std::fabs(static_cast<double>(n));
    const char* sign = n < 0 ? "-" : "";
    static const struct {
        double scale;
        const char* unit;
    } units[] = { { 1e3, "K" }, { 1e6, "M" }, { 1e9, "B" }, { 1e12, "T" } };
    char buf[48];
    // Decided on the two decimals as printed: 999,995 prints as 1000.00K, which reads 1.00M instead.
    for (const auto& u : units)
        if (std::snprintf(buf, sizeof buf, "%.2f", a / u.scale); std::strtod(buf, nullptr) < 1000) {
            std::snprintf(buf, sizeof buf, "%s%.2f%s", sign, a / u.scale, u.unit);
            return buf;
        }
    // Beyond T, a power of ten reads better than "9153408.00T": 9.15 × 10¹⁸.
    int exponent = static_cast<int>(std::floor(std::log10(a)));
    double mantissa = a / std::pow(10.0, exponent);
    if (std::snprintf(buf, sizeof buf, "%.2f", mantissa); std::strtod(buf, nullptr) >= 10) {
        mantissa /= 10;
        ++exponent;
    }
    static const char* const superscripts[]
        = { "\u2070", "\u00b9", "\u00b2", "\u00b3", "\u2074", "\u2075", "\u2076", "\u2077", "\u2078", "\u2079" };
    std::string power;
    for (char c : std::to_string(exponent))
        power += superscripts[c - '0'];
    std::snprintf(buf, sizeof buf, "%s%.2f \u00d7 10", sign, mantissa);
    return buf + power;
}

Result<Counted> count(Design design)
{
    if (!design.isCompiled())
        if (auto st = design.compile(); !st)
            return st.error();
    auto e = evaluate(design);
    if (!e)
        return e.error();
    Counted c { std::move(design), std::move(*e), {} };
    c.formulas = computeFormulas(c.design);
    return c;
}

namespace {

std::string joinValues(const std::vector<Count>& a)
{
    std::string s;
    for (std::size_t i = 0; i < a.size(); ++i)
        s += (i ? ", " : "") + std::to_string(a[i]);
    return s;
}

std::string pyBool(bool b)
{
    return b ? "True" : "False";
}

} // namespace

std::string shapeText(const Module& m, const NodeValue& v)
{
    const auto& a = v.args;
    switch (m.kind) {
    case ModuleKind::Container:
        return m.isRepeated() ? std::to_string(v.repeat) + " x " + m.type : m.type;
    case ModuleKind::Embedding:
        return m.type + "(" + joinValues(a) + ")";
    case ModuleKind::Linear:
        return m.type + "(in_features=" + std::to_string(a[0]) + ", out_features=" + std::to_string(a[1])
            + ", bias=" + pyBool(m.bias) + ")";
    case ModuleKind::Conv1D:
        return m.type + "(nf=" + std::to_string(a[0]) + ", nx=" + std::to_string(a[1]) + ")";
    case ModuleKind::LayerNorm:
        return m.type + "((" + std::to_string(a[0]) + ",)" + (m.bias ? "" : ", bias=False") + ")";
    case ModuleKind::RMSNorm:
        return m.type + "((" + std::to_string(a[0]) + ",))";
    case ModuleKind::Conv2d:
        return m.type + "(" + std::to_string(a[0]) + ", " + std::to_string(a[1]) + ", kernel_size=("
            + std::to_string(a[2]) + ", " + std::to_string(a[2]) + "), bias=" + pyBool(m.bias) + ")";
    case ModuleKind::Parameter:
        return m.type + "([" + joinValues(a) + "])";
    case ModuleKind::Conv1d:
        return m.type + "(" + std::to_string(a[0]) + ", " + std::to_string(a[1]) + ", kernel_size=("
            + std::to_string(a[2]) + ",), stride=(1,)" + (a[3] != 1 ? ", groups=" + std::to_string(a[3]) : "")
            + (m.bias ? "" : ", bias=False") + ")";
    }
    return m.type;
}

std::string labelText(const Module& m, const NodeValue& v)
{
    if (!m.name.empty())
        return m.name;
    if (v.repeat <= 1)
        return std::to_string(v.first);
    return std::to_string(v.first) + "-" + std::to_string(v.first + v.repeat - 1);
}

std::vector<Row> rows(const Counted& c)
{
    std::vector<Row> out;
    const auto& nodes = c.design.nodes();
    out.reserve(nodes.size());
    for (const Module* m : nodes) {
        const NodeValue& v = c.evaluation.nodes[static_cast<std::size_t>(m->index)];
        Row r;
        r.module = m;
        // The copies of enclosing blocks fit whenever the node counts something (count ×
        // copies is part of the total, which did not overflow) or a repeat is 0. Blocks of
        // nothing repeated 10^10 × 10^10 times do not: their multiplicity saturates.
        Count multiplicity = 1;
        bool saturated = false;
        for (const Module* p = m->parent; p; p = p->parent) {
            ++r.depth;
            const Count repeat = c.evaluation.nodes[static_cast<std::size_t>(p->index)].repeat;
            if (repeat == 0) {
                multiplicity = 0;
                saturated = false;
                for (p = p->parent; p; p = p->parent)
                    ++r.depth;
                break;
            }
            auto next = checkedMul(multiplicity, repeat);
            saturated = saturated || !next;
            multiplicity = next.value_or(INT64_MAX);
        }
        if (saturated)
            multiplicity = INT64_MAX;
        r.label = labelText(*m, v);
        r.shape = shapeText(*m, v);
        r.count = v.count;
        r.multiplicity = multiplicity;
        r.overall = v.count == 0 ? 0 : checkedMul(v.count, multiplicity).value_or(INT64_MAX);
        r.share = c.evaluation.total ? static_cast<double>(r.overall) / static_cast<double>(c.evaluation.total) : 0.0;
        out.push_back(std::move(r));
    }
    return out;
}

std::optional<Format> parseFormat(std::string_view name)
{
    if (name == "text")
        return Format::Text;
    if (name == "json")
        return Format::Json;
    if (name == "csv")
        return Format::Csv;
    if (name == "markdown" || name == "md")
        return Format::Markdown;
    if (name == "latex" || name == "tex")
        return Format::Latex;
    return std::nullopt;
}

namespace {

std::string percent(double share)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.2f%%", share * 100.0);
    return buf;
}

/// What a design's numbers say besides the tree: totals, defaults assumed, known differences.
std::vector<std::pair<std::string, std::string>> summary(const Counted& c)
{
    const Evaluation& e = c.evaluation;
    std::vector<std::pair<std::string, std::string>> s;
    s.push_back({ "total", groupDigits(e.total) + " (" + compactCount(e.total) + ")" });
    s.push_back({ "non-embedding", groupDigits(e.nonEmbedding) + " (" + compactCount(e.nonEmbedding) + ")" });
    if (e.sparse)
        s.push_back({ "active per token", groupDigits(e.active) + " (" + compactCount(e.active) + ")" });
    if (c.design.publishedTotal) {
        const Count p = *c.design.publishedTotal;
        s.push_back({ "published", groupDigits(p) + (p == e.total ? " (matches)" : " (differs, see notes)") });
    }
    return s;
}

std::string hyperparameterLine(const Counted& c)
{
    std::string s;
    for (std::size_t i = 0; i < c.design.symbols.size(); ++i) {
        const Symbol& sym = c.design.symbols[i];
        s += (s.empty() ? "" : "  ") + sym.name + "=" + std::to_string(c.evaluation.symbols[i]);
        if (sym.isDerived())
            s += " (" + sym.definition.text() + ")";
    }
    return s;
}

/// "V = 50257 · … · F = 3072 (4*E)": every symbol's value, derived ones with their expression.
std::string hyperparameterList(const Counted& c, const char* separator)
{
    std::string s;
    for (std::size_t i = 0; i < c.design.symbols.size(); ++i) {
        const Symbol& sym = c.design.symbols[i];
        s += (s.empty() ? "" : separator) + sym.name + " = " + std::to_string(c.evaluation.symbols[i]);
        if (sym.isDerived())
            s += " (" + sym.definition.text() + ")";
    }
    return s;
}

std::string text(const Counted& c)
{
    const auto all = rows(c);
    std::vector<std::string> labels;
    std::size_t width = 0;
    for (const Row& r : all) {
        std::string l = std::string(static_cast<std::size_t>(r.depth) * 2, ' ');
        l += r.depth == 0 ? r.shape : "(" + r.label + "): " + r.shape;
        width = std::max(width, l.size());
        labels.push_back(std::move(l));
    }
    std::ostringstream out;
    out << c.design.name << (c.design.className.empty() ? "" : " — class " + c.design.className) << "\n";
    out << hyperparameterLine(c) << "\n\n";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%15s %8s  ", "parameters", "share");
    out << std::string(width, ' ') << "  " << buf << "formula\n";
    for (std::size_t i = 0; i < all.size(); ++i) {
        const Row& r = all[i];
        const NodeFormula& f = c.formulas[static_cast<std::size_t>(r.module->index)];
        std::snprintf(buf, sizeof buf, "%15s %8s  ", groupDigits(r.count).c_str(), percent(r.share).c_str());
        out << labels[i] << std::string(width - labels[i].size(), ' ') << "  " << buf;
        out << (f.ok ? f.total : "(" + f.error + ")");
        if (r.module->isRepeated())
            out << "  [" << groupDigits(c.evaluation.nodes[static_cast<std::size_t>(r.module->index)].each) << " each]";
        if (!r.module->tiedTo.empty())
            out << "  [weight shared with " << r.module->tiedTo << "]";
        out << "\n";
    }
    out << "\n";
    for (const auto& [k, v] : summary(c))
        out << k << ": " << v << "\n";
    if (!c.formulas.empty() && !c.formulas[0].where.empty())
        out << "formulas substitute " << c.formulas[0].where << "\n";
    for (const Note& n : c.design.allNotes())
        out << "note: " << n.text << "\n";
    return out.str();
}

nlohmann::ordered_json treeJson(const Counted& c, const Module& m)
{
    const NodeValue& v = c.evaluation.nodes[static_cast<std::size_t>(m.index)];
    const NodeFormula& f = c.formulas[static_cast<std::size_t>(m.index)];
    nlohmann::ordered_json j;
    j["name"] = labelText(m, v);
    j["module"] = m.type;
    j["kind"] = kindName(m.kind);
    j["shape"] = shapeText(m, v);
    j["count"] = v.count;
    j["formula"] = f.ok ? nlohmann::ordered_json(f.total) : nlohmann::ordered_json(nullptr);
    j["formula_ascii"] = f.ok ? nlohmann::ordered_json(f.totalAscii) : nlohmann::ordered_json(nullptr);
    if (!f.where.empty())
        j["formula_where"] = f.where;
    if (m.isRepeated()) {
        j["repeat"] = v.repeat;
        j["count_each"] = v.each;
        j["formula_each"] = f.ok ? nlohmann::ordered_json(f.each) : nlohmann::ordered_json(nullptr);
    }
    if (v.active != v.count)
        j["active"] = v.active;
    if (!m.tiedTo.empty())
        j["tied_to"] = m.tiedTo;
    j["children"] = nlohmann::ordered_json::array();
    for (const auto& child : m.children)
        j["children"].push_back(treeJson(c, *child));
    return j;
}

std::string json(const Counted& c)
{
    const Evaluation& e = c.evaluation;
    nlohmann::ordered_json j;
    j["name"] = c.design.name;
    j["class"] = c.design.className;
    if (!c.design.source.empty())
        j["source"] = c.design.source;
    j["total"] = e.total;
    j["non_embedding"] = e.nonEmbedding;
    if (e.sparse)
        j["active"] = e.active;
    if (c.design.publishedTotal)
        j["published_total"] = *c.design.publishedTotal;
    nlohmann::ordered_json hp = nlohmann::ordered_json::object();
    for (std::size_t i = 0; i < c.design.symbols.size(); ++i)
        hp[c.design.symbols[i].name] = e.symbols[i];
    j["hyperparameters"] = hp;
    nlohmann::ordered_json derived = nlohmann::ordered_json::object();
    for (const Symbol& s : c.design.symbols)
        if (s.isDerived())
            derived[s.name] = s.definition.text();
    j["derived"] = derived;
    // "notes" stays an array of every note's text; "note_details" types them.
    const auto notes = c.design.allNotes();
    j["notes"] = nlohmann::ordered_json::array();
    j["note_details"] = nlohmann::ordered_json::array();
    for (const Note& n : notes) {
        j["notes"].push_back(n.text);
        nlohmann::ordered_json d;
        d["kind"] = n.kind == Note::Kind::Tie ? "tie" : "kept";
        d["text"] = n.text;
        if (n.kind == Note::Kind::Tie) {
            d["node"] = n.node;
            d["tied_to"] = n.target;
        }
        j["note_details"].push_back(std::move(d));
    }
    j["tree"] = treeJson(c, *c.design.root);
    // Names from file and folder names, or --name, need not be UTF-8: never throw for them.
    return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

std::string csvField(const std::string& s)
{
    if (s.find_first_of(",\"\n") == std::string::npos)
        return s;
    std::string q = "\"";
    for (char ch : s)
        q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return q + "\"";
}

std::string pathOf(const Row& r, const std::vector<Row>& all, std::vector<std::string>& stack)
{
    (void)all;
    stack.resize(static_cast<std::size_t>(r.depth));
    std::string p;
    for (const auto& s : stack)
        if (!s.empty())
            p += (p.empty() ? "" : ".") + s;
    stack.push_back(r.depth == 0 ? "" : r.label);
    return r.depth == 0 ? "" : (p.empty() ? r.label : p + "." + r.label);
}

std::string csv(const Counted& c)
{
    const auto all = rows(c);
    std::ostringstream out;
    out << "path,depth,module,shape,parameters,overall,share,formula\n";
    std::vector<std::string> stack;
    for (const Row& r : all) {
        const NodeFormula& f = c.formulas[static_cast<std::size_t>(r.module->index)];
        char share[32];
        std::snprintf(share, sizeof share, "%.6f", r.share);
        out << csvField(pathOf(r, all, stack)) << ',' << r.depth << ',' << csvField(r.module->type) << ','
            << csvField(r.shape) << ',' << r.count << ',' << r.overall << ',' << share << ','
            << csvField(f.ok ? f.totalAscii : "") << "\n";
    }
    // After the rows, so that the header stays the first line: comment lines a reader can skip
    // (pandas: comment='#').
    out << "# " << c.design.name << (c.design.className.empty() ? "" : " — class " + c.design.className) << "\n";
    out << "# hyperparameters: " << hyperparameterLine(c) << "\n";
    for (const auto& [k, v] : summary(c))
        out << "# " << k << ": " << v << "\n";
    for (const Note& n : c.design.allNotes())
        out << "# note: " << n.text << "\n";
    return out.str();
}

std::string markdownCell(std::string s)
{
    std::string out;
    for (char ch : s)
        out += ch == '|' ? std::string("\\|") : std::string(1, ch);
    return out;
}

/// Prose in Markdown: '*' would start emphasis ("4*E … 2*E"), '|' a table cell.
std::string markdownText(const std::string& s)
{
    std::string out;
    for (char ch : s) {
        if (ch == '*' || ch == '|' || ch == '\\')
            out += '\\';
        out += ch;
    }
    return out;
}

std::string markdown(const Counted& c)
{
    const auto all = rows(c);
    std::ostringstream out;
    out << "### " << markdownCell(c.design.name) << (c.design.className.empty() ? "" : " (" + c.design.className + ")")
        << "\n\n";
    out << "Hyperparameters: " << markdownText(hyperparameterList(c, " · ")) << "\n\n";
    out << "| Module | Shape | Parameters | Share | Formula |\n|---|---|--:|--:|---|\n";
    for (const Row& r : all) {
        const NodeFormula& f = c.formulas[static_cast<std::size_t>(r.module->index)];
        std::string indent;
        for (int i = 0; i < r.depth; ++i)
            indent += "&nbsp;&nbsp;";
        out << "| " << indent << markdownCell(r.depth == 0 ? c.design.className : r.label) << " | `"
            << markdownCell(r.shape) << "` | " << groupDigits(r.count) << " | " << percent(r.share) << " | "
            << (f.ok ? markdownCell(f.total) : "") << " |\n";
    }
    out << "\n";
    for (const auto& [k, v] : summary(c))
        out << "- **" << k << "**: " << v << "\n";
    if (const auto notes = c.design.allNotes(); !notes.empty()) {
        out << "\nNotes:\n\n";
        for (const Note& n : notes)
            out << "- " << markdownText(n.text) << "\n";
    }
    return out.str();
}

std::string latexEscape(const std::string& s)
{
    std::string out;
    for (char ch : s) {
        switch (ch) {
        case '_':
        case '%':
        case '&':
        case '#':
        case '$':
        case '{':
        case '}':
            out += '\\';
            out += ch;
            break;
        case '\\':
            out += "\\textbackslash{}";
            break;
        case '~':
            out += "\\textasciitilde{}";
            break;
        case '^':
            out += "\\textasciicircum{}";
            break;
        default:
            out += ch;
        }
    }
    // Characters of the notes that pdfLaTeX's default UTF-8 setup does not know.
    static const std::pair<const char*, const char*> unicode[] = { { "−", "$-$" }, { "×", "$\\times$" },
        { "·", "$\\cdot$" }, { "²", "$^2$" }, { "…", "\\ldots{}" }, { "≈", "$\\approx$" }, { "→", "$\\to$" } };
    for (const auto& [from, to] : unicode)
        for (auto at = out.find(from); at != std::string::npos; at = out.find(from, at + std::strlen(to)))
            out.replace(at, std::strlen(from), to);
    return out;
}

/// "12*E^2 + 13*E" as math: "12E^{2} + 13E".
std::string latexFormula(const std::string& ascii)
{
    std::string out;
    for (std::size_t i = 0; i < ascii.size(); ++i) {
        const char ch = ascii[i];
        if (ch == '*')
            continue;
        if (ch == '^') {
            std::string e;
            while (i + 1 < ascii.size() && std::isdigit(static_cast<unsigned char>(ascii[i + 1])))
                e += ascii[++i];
            out += "^{" + e + "}";
            continue;
        }
        if (ch == '_')
            out += "\\_";
        else
            out += ch;
    }
    return "$" + out + "$";
}

std::string latex(const Counted& c)
{
    const auto all = rows(c);
    std::ostringstream out;
    out << "% " << c.design.name << ": generated by paramscope-cli; needs \\usepackage{booktabs}\n";
    out << "\\begin{tabular}{llrrl}\n\\toprule\nModule & Shape & Parameters & Share & Formula \\\\\n\\midrule\n";
    for (const Row& r : all) {
        const NodeFormula& f = c.formulas[static_cast<std::size_t>(r.module->index)];
        out << "\\hspace{" << r.depth << "em}" << latexEscape(r.depth == 0 ? c.design.className : r.label) << " & "
            << "\\texttt{" << latexEscape(r.shape) << "} & " << groupDigits(r.count) << " & "
            << latexEscape(percent(r.share)) << " & " << (f.ok ? latexFormula(f.totalAscii) : "") << " \\\\\n";
    }
    out << "\\midrule\n\\multicolumn{2}{l}{Total} & " << groupDigits(c.evaluation.total) << " & 100\\% & \\\\\n";
    out << "\\bottomrule\n\\end{tabular}\n";
    // Below the table, not in it: notes are sentences, too wide for a column.
    out << "\\par\\smallskip\n{\\footnotesize\n"
        << latexEscape(c.design.name) << ". Hyperparameters: " << latexEscape(hyperparameterList(c, ", "))
        << ".\\par\n";
    for (const Note& n : c.design.allNotes())
        out << "Note: " << latexEscape(n.text) << "\\par\n";
    out << "}\n";
    return out.str();
}

} // namespace

std::string report(const Counted& c, Format format)
{
    switch (format) {
    case Format::Text:
        return text(c);
    case Format::Json:
        return json(c);
    case Format::Csv:
        return csv(c);
    case Format::Markdown:
        return markdown(c);
    case Format::Latex:
        return latex(c);
    }
    return {};
}

} // namespace paramscope::core
