// SPDX-License-Identifier: MIT
#include "compare.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstring>
#include <map>
#include <sstream>

namespace paramscope::core {

std::optional<double> ComparedCount::ratio() const
{
    if (!a || *a == 0 || !b)
        return std::nullopt;
    return static_cast<double>(*b) / static_cast<double>(*a);
}

std::string signedCount(Count n)
{
    if (n == 0)
        return "0";
    return (n > 0 ? "+" : "−") + groupDigits(n > 0 ? n : -n);
}

std::string ratioText(const std::optional<double>& r)
{
    if (!r)
        return "—";
    char buf[32];
    std::snprintf(buf, sizeof buf, *r >= 100 ? "%.0f×" : "%.2f×", *r);
    return buf;
}

namespace {

struct Keyed {
    std::string key;
    std::string label;
    int depth = 0;
    const Module* module = nullptr;
    Count count = 0;
    Count overall = 0;
};

/// Every node of @p c with its key: the path, where a second unnamed run under one list reads
/// "*#2" (DeepSeek's dense and MoE layers) so that runs match in order.
std::vector<Keyed> keyed(const Counted& c)
{
    std::vector<Keyed> out;
    std::map<const Module*, std::string> keys;
    for (const Row& r : rows(c)) {
        const Module* m = r.module;
        std::string key;
        if (m->parent) {
            std::string segment = m->name;
            if (segment.empty()) {
                int run = 0;
                for (const auto& sibling : m->parent->children) {
                    if (sibling->name.empty())
                        ++run;
                    if (sibling.get() == m)
                        break;
                }
                segment = run == 1 ? "*" : "*#" + std::to_string(run);
            }
            const std::string& above = keys[m->parent];
            key = above.empty() ? segment : above + "." + segment;
        }
        keys[m] = key;
        out.push_back({ key, r.depth == 0 ? c.design.className : r.label, r.depth, m, r.count, r.overall });
    }
    return out;
}

} // namespace

Result<Comparison> compare(const Counted& a, const Counted& b)
{
    Comparison out;
    out.nameA = a.design.name;
    out.nameB = b.design.name;
    out.total = { a.evaluation.total, b.evaluation.total };
    out.nonEmbedding = { a.evaluation.nonEmbedding, b.evaluation.nonEmbedding };
    if (a.evaluation.sparse || b.evaluation.sparse)
        out.active = ComparedCount { a.evaluation.active, b.evaluation.active };

    // Hyperparameters, by name.
    for (std::size_t i = 0; i < a.design.symbols.size(); ++i) {
        const Symbol& s = a.design.symbols[i];
        const int j = b.design.symbolIndex(s.name);
        std::optional<Count> vb;
        if (j >= 0)
            vb = b.evaluation.symbols[static_cast<std::size_t>(j)];
        if (vb != a.evaluation.symbols[i])
            out.hyperparameters.push_back({ s.name, a.evaluation.symbols[i], vb, s.description });
    }
    for (std::size_t j = 0; j < b.design.symbols.size(); ++j)
        if (a.design.symbolIndex(b.design.symbols[j].name) < 0)
            out.hyperparameters.push_back(
                { b.design.symbols[j].name, std::nullopt, b.evaluation.symbols[j], b.design.symbols[j].description });

    // Components, by role.
    auto ba = breakdown(a.design, components(a.design), a.evaluation);
    if (!ba)
        return ba.error().within(a.design.name);
    auto bb = breakdown(b.design, components(b.design), b.evaluation);
    if (!bb)
        return bb.error().within(b.design.name);
    for (std::size_t k = 0; k < kComponentCount; ++k) {
        if ((*ba)[k] == 0 && (*bb)[k] == 0)
            continue;
        out.components.push_back({ static_cast<Component>(k), { (*ba)[k], (*bb)[k] } });
    }

    // Modules, by path: A's order, each module only B has placed after the last one before it
    // in B's order that is already listed.
    const auto ka = keyed(a), kb = keyed(b);
    std::map<std::string, std::size_t> inB;
    for (std::size_t j = 0; j < kb.size(); ++j)
        inB.emplace(kb[j].key, j);
    std::map<std::string, std::size_t> listed;
    for (const Keyed& k : ka) {
        ComparedModule m { k.key, k.label, k.depth, k.module->type, {}, { k.count, std::nullopt },
            { k.overall, std::nullopt } };
        if (auto it = inB.find(k.key); it != inB.end()) {
            const Keyed& o = kb[it->second];
            m.moduleB = o.module->type;
            m.count.b = o.count;
            m.overall.b = o.overall;
            // "0-11" against "0-23": the label says both.
            if (o.label != k.label)
                m.label = k.label + " | " + o.label;
        }
        listed.emplace(k.key, out.modules.size());
        out.modules.push_back(std::move(m));
    }
    std::size_t after = 0; // position after the last listed module of B seen so far
    for (const Keyed& k : kb) {
        if (auto it = listed.find(k.key); it != listed.end()) {
            after = it->second + 1;
            continue;
        }
        ComparedModule m { k.key, k.label, k.depth, {}, k.module->type, { std::nullopt, k.count },
            { std::nullopt, k.overall } };
        // Later entries move up by one: shift the positions held.
        for (auto& [key, pos] : listed)
            if (pos >= after)
                ++pos;
        listed.emplace(k.key, after);
        out.modules.insert(out.modules.begin() + static_cast<std::ptrdiff_t>(after), std::move(m));
        ++after;
    }
    return out;
}

namespace {

std::string cell(const std::optional<Count>& n)
{
    return n ? groupDigits(*n) : "—";
}

std::string valueCell(const std::optional<Count>& n)
{
    return n ? std::to_string(*n) : "—";
}

struct Line {
    std::string label;
    ComparedCount count;
};

std::vector<Line> totals(const Comparison& c)
{
    std::vector<Line> out { { "total", c.total }, { "non-embedding", c.nonEmbedding } };
    if (c.active)
        out.push_back({ "active per token", *c.active });
    return out;
}

std::string hyperparameterSummary(const Comparison& c, const char* arrow)
{
    if (c.hyperparameters.empty())
        return "none";
    std::string s;
    for (const auto& h : c.hyperparameters)
        s += (s.empty() ? "" : ", ") + h.name + " " + valueCell(h.a) + arrow + valueCell(h.b);
    return s;
}

std::string pad(const std::string& s, std::size_t width, bool right)
{
    // Width in characters, not bytes: "—" and "×" are one each.
    std::size_t chars = 0;
    for (unsigned char ch : s)
        chars += (ch & 0xC0) != 0x80;
    const std::string fill(width > chars ? width - chars : 0, ' ');
    return right ? fill + s : s + fill;
}

std::size_t charCount(const std::string& s)
{
    std::size_t chars = 0;
    for (unsigned char ch : s)
        chars += (ch & 0xC0) != 0x80;
    return chars;
}

std::string text(const Comparison& c)
{
    // Label column, then A, B, difference, ratio.
    struct Printed {
        std::string label;
        ComparedCount count;
    };
    std::vector<std::vector<Printed>> sections(3);
    for (const auto& l : totals(c))
        sections[0].push_back({ l.label, l.count });
    for (const auto& k : c.components)
        sections[1].push_back({ std::string(componentLabel(k.component)), k.count });
    for (const auto& m : c.modules)
        sections[2].push_back({ std::string(static_cast<std::size_t>(m.depth) * 2, ' ') + m.label, m.overall });
    std::size_t width = 0, wa = charCount(c.nameA), wb = charCount(c.nameB);
    for (const auto& s : sections)
        for (const auto& p : s) {
            width = std::max(width, charCount(p.label));
            wa = std::max(wa, charCount(cell(p.count.a)));
            wb = std::max(wb, charCount(cell(p.count.b)));
        }
    std::size_t wd = 10;
    for (const auto& s : sections)
        for (const auto& p : s)
            wd = std::max(wd, charCount(signedCount(p.count.difference())));
    std::ostringstream out;
    out << c.nameA << " vs " << c.nameB << "\n";
    out << "hyperparameters that differ: " << hyperparameterSummary(c, " → ") << "\n";
    const char* titles[] = { "", "by component (matched by role)", "by module (matched by path; all copies)" };
    for (std::size_t i = 0; i < sections.size(); ++i) {
        out << "\n";
        out << pad(titles[i], width, false) << "  " << pad(c.nameA, wa, true) << "  " << pad(c.nameB, wb, true) << "  "
            << pad("difference", wd, true) << "  " << pad("ratio", 8, true) << "\n";
        for (const auto& p : sections[i])
            out << pad(p.label, width, false) << "  " << pad(cell(p.count.a), wa, true) << "  "
                << pad(cell(p.count.b), wb, true) << "  " << pad(signedCount(p.count.difference()), wd, true) << "  "
                << pad(ratioText(p.count.ratio()), 8, true) << "\n";
    }
    return out.str();
}

nlohmann::ordered_json countJson(const ComparedCount& n)
{
    nlohmann::ordered_json j;
    j["a"] = n.a ? nlohmann::ordered_json(*n.a) : nlohmann::ordered_json(nullptr);
    j["b"] = n.b ? nlohmann::ordered_json(*n.b) : nlohmann::ordered_json(nullptr);
    j["difference"] = n.difference();
    const auto r = n.ratio();
    j["ratio"] = r ? nlohmann::ordered_json(*r) : nlohmann::ordered_json(nullptr);
    return j;
}

std::string json(const Comparison& c)
{
    nlohmann::ordered_json j;
    j["a"] = c.nameA;
    j["b"] = c.nameB;
    j["total"] = countJson(c.total);
    j["non_embedding"] = countJson(c.nonEmbedding);
    if (c.active)
        j["active"] = countJson(*c.active);
    j["hyperparameters"] = nlohmann::ordered_json::array();
    for (const auto& h : c.hyperparameters) {
        nlohmann::ordered_json s;
        s["name"] = h.name;
        s["a"] = h.a ? nlohmann::ordered_json(*h.a) : nlohmann::ordered_json(nullptr);
        s["b"] = h.b ? nlohmann::ordered_json(*h.b) : nlohmann::ordered_json(nullptr);
        j["hyperparameters"].push_back(std::move(s));
    }
    j["components"] = nlohmann::ordered_json::array();
    for (const auto& k : c.components) {
        auto s = countJson(k.count);
        s["component"] = componentName(k.component);
        j["components"].push_back(std::move(s));
    }
    j["modules"] = nlohmann::ordered_json::array();
    for (const auto& m : c.modules) {
        nlohmann::ordered_json s;
        s["path"] = m.key;
        s["depth"] = m.depth;
        s["module_a"] = m.moduleA.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(m.moduleA);
        s["module_b"] = m.moduleB.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(m.moduleB);
        s["count"] = countJson(m.count);
        s["overall"] = countJson(m.overall);
        j["modules"].push_back(std::move(s));
    }
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

std::string csv(const Comparison& c)
{
    std::ostringstream out;
    out << "section,name,a,b,difference,ratio\n";
    auto row = [&](const char* section, const std::string& name, const ComparedCount& n) {
        const auto r = n.ratio();
        char ratio[32] = "";
        if (r)
            std::snprintf(ratio, sizeof ratio, "%.6f", *r);
        out << section << ',' << csvField(name) << ',' << (n.a ? std::to_string(*n.a) : "") << ','
            << (n.b ? std::to_string(*n.b) : "") << ',' << n.difference() << ',' << ratio << "\n";
    };
    for (const auto& l : totals(c))
        row("total", l.label, l.count);
    for (const auto& h : c.hyperparameters)
        row("hyperparameter", h.name, { h.a, h.b });
    for (const auto& k : c.components)
        row("component", std::string(componentName(k.component)), k.count);
    for (const auto& m : c.modules)
        row("module", m.key.empty() ? m.label : m.key, m.overall);
    out << "# a: " << c.nameA << "\n# b: " << c.nameB << "\n";
    return out.str();
}

std::string markdownCell(const std::string& s)
{
    std::string out;
    for (char ch : s)
        out += ch == '|' ? std::string("\\|") : std::string(1, ch);
    return out;
}

std::string markdown(const Comparison& c)
{
    std::ostringstream out;
    out << "### " << markdownCell(c.nameA) << " vs " << markdownCell(c.nameB) << "\n\n";
    out << "Hyperparameters that differ: " << markdownCell(hyperparameterSummary(c, " → ")) << "\n\n";
    auto table = [&](const std::string& first, auto&& rowsOf) {
        out << "| " << first << " | " << markdownCell(c.nameA) << " | " << markdownCell(c.nameB)
            << " | Difference | Ratio |\n|---|--:|--:|--:|--:|\n";
        rowsOf([&](const std::string& label, const ComparedCount& n) {
            out << "| " << markdownCell(label) << " | " << cell(n.a) << " | " << cell(n.b) << " | "
                << signedCount(n.difference()) << " | " << ratioText(n.ratio()) << " |\n";
        });
        out << "\n";
    };
    table("", [&](auto&& row) {
        for (const auto& l : totals(c))
            row("**" + l.label + "**", l.count);
    });
    table("Component", [&](auto&& row) {
        for (const auto& k : c.components)
            row(std::string(componentLabel(k.component)), k.count);
    });
    table("Module (all copies)", [&](auto&& row) {
        for (const auto& m : c.modules) {
            std::string indent;
            for (int i = 0; i < m.depth; ++i)
                indent += "&nbsp;&nbsp;";
            row(indent + m.label, m.overall);
        }
    });
    return out.str();
}

std::string latexText(const std::string& s)
{
    std::string out;
    for (char ch : s) {
        if (ch == '_' || ch == '&' || ch == '%' || ch == '#' || ch == '$' || ch == '{' || ch == '}')
            out += '\\';
        out += ch;
    }
    static const std::pair<const char*, const char*> unicode[]
        = { { "−", "$-$" }, { "×", "$\\times$" }, { "—", "---" }, { "→", "$\\to$" } };
    for (const auto& [from, to] : unicode)
        for (auto at = out.find(from); at != std::string::npos; at = out.find(from, at + std::strlen(to)))
            out.replace(at, std::strlen(from), to);
    return out;
}

std::string latex(const Comparison& c)
{
    std::ostringstream out;
    out << "% " << c.nameA << " vs " << c.nameB << ": generated by paramscope-cli diff; needs \\usepackage{booktabs}\n";
    out << "\\begin{tabular}{lrrrr}\n\\toprule\n & " << latexText(c.nameA) << " & " << latexText(c.nameB)
        << " & Difference & Ratio \\\\\n\\midrule\n";
    auto row = [&](const std::string& label, const ComparedCount& n) {
        out << latexText(label) << " & " << latexText(cell(n.a)) << " & " << latexText(cell(n.b)) << " & "
            << latexText(signedCount(n.difference())) << " & " << latexText(ratioText(n.ratio())) << " \\\\\n";
    };
    for (const auto& l : totals(c))
        row(l.label, l.count);
    out << "\\midrule\n";
    for (const auto& k : c.components)
        row(std::string(componentLabel(k.component)), k.count);
    out << "\\midrule\n";
    for (const auto& m : c.modules) {
        out << "\\hspace{" << m.depth << "em}";
        row(m.label, m.overall);
    }
    out << "\\bottomrule\n\\end{tabular}\n";
    out << "\\par\\smallskip{\\footnotesize Hyperparameters that differ: " << latexText(hyperparameterSummary(c, " → "))
        << ".}\n";
    return out.str();
}

} // namespace

std::string compareReport(const Comparison& c, Format format)
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
