// SPDX-License-Identifier: MIT
#include "designio.h"

#include <nlohmann/json.hpp>

#include <unordered_set>

namespace paramscope::core {

using nlohmann::json;

namespace {

/// A linear SAX pass that checks what nlohmann's DOM parser does not: nesting depth and
/// duplicate keys (which it would silently resolve to the last). It runs before the DOM parse,
/// so that parse needs no callback: nlohmann 3.11.2's callback parser rescans the parent
/// container after every value, which made [{},{},…] quadratic (1 MB: 32 s).
class JsonChecker : public nlohmann::json_sax<json> {
public:
    std::optional<Error> error; ///< set when the pass stops
    std::size_t errorByte = 0; ///< for syntax errors (then `error` has no location yet)
    bool syntaxError = false;

    bool null() override { return value(); }
    bool boolean(bool) override { return value(); }
    bool number_integer(number_integer_t) override { return value(); }
    bool number_unsigned(number_unsigned_t) override { return value(); }
    bool number_float(number_float_t, const string_t&) override { return value(); }
    bool string(string_t&) override { return value(); }
    bool binary(binary_t&) override { return value(); }
    bool start_object(std::size_t) override { return open(false); }
    bool start_array(std::size_t) override { return open(true); }
    bool end_object() override { return close(); }
    bool end_array() override { return close(); }

    bool key(string_t& k) override
    {
        Frame& f = m_frames[m_depth - 1];
        if (!f.keys.insert(k).second) {
            error = Error { pointer(m_depth - 1), "duplicate key \"" + k + "\"" };
            return false;
        }
        f.key = k;
        return true;
    }

    bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) override
    {
        // "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error while
        // parsing value - …" or "[json.exception.out_of_range.406] number overflow parsing '1e400'".
        std::string what = e.what();
        if (auto p = what.find(": syntax error"); p != std::string::npos)
            what = what.substr(p + 2);
        else if (auto q = what.rfind("] "); q != std::string::npos)
            what = what.substr(q + 2);
        error = Error { "", "malformed JSON: " + what };
        errorByte = position;
        syntaxError = true;
        return false;
    }

private:
    struct Frame {
        bool array = false;
        std::size_t count = 0; ///< values seen in an array
        std::string key; ///< the last key of an object
        std::unordered_set<std::string> keys;
    };

    /// A value starts: it is the next element of an enclosing array.
    bool value()
    {
        if (m_depth > 0 && m_frames[m_depth - 1].array)
            ++m_frames[m_depth - 1].count;
        return true;
    }

    bool open(bool array)
    {
        value();
        if (m_depth == kMaxJsonDepth) {
            error = Error { "", "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels" };
            return false;
        }
        if (m_depth == m_frames.size())
            m_frames.emplace_back();
        Frame& f = m_frames[m_depth++]; // reused: no allocation per container
        f.array = array;
        f.count = 0;
        f.key.clear();
        f.keys.clear();
        return true;
    }

    bool close()
    {
        --m_depth;
        return true;
    }

    /// JSON pointer of the container at @p depth ("/tree/children/3").
    std::string pointer(std::size_t depth) const
    {
        std::string p;
        for (std::size_t i = 0; i < depth; ++i) {
            const Frame& f = m_frames[i];
            p += "/";
            if (f.array) {
                p += std::to_string(f.count - 1);
                continue;
            }
            for (char c : f.key)
                p += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
        }
        return p;
    }

    std::vector<Frame> m_frames;
    std::size_t m_depth = 0;
};

std::string typeName(const json& j)
{
    return j.is_number_float() ? "a fraction" : j.is_number_integer() ? "an integer" : j.type_name();
}

Error wrongType(const std::string& where, const char* expected, const json& got)
{
    return { where, std::string("expected ") + expected + ", got " + typeName(got) };
}

/// Files written before tie notes were derived stored them as text ("lm_head shares its weight
/// with transformer.wte: counted once …"), and kept them after the head was untied. Such a note
/// begins with two module paths of the design; it is dropped on reading, as the tree says the
/// same thing when the tie is there (Design::allNotes) and it is false when it is not.
bool isStoredTieNote(const Design& d, const std::string& note)
{
    static const std::string kShares = " shares its weight with ";
    const auto at = note.find(kShares);
    if (at == std::string::npos || at == 0)
        return false;
    const std::string rest = note.substr(at + kShares.size());
    const std::string target = rest.substr(0, rest.find_first_of(" :;,("));
    return !target.empty() && d.find(note.substr(0, at)) && d.find(target);
}

/// Reads JSON fields one at a time with the JSON pointer of each, for error messages.
class Reader {
public:
    Result<Design> run(const json& j)
    {
        Design d;
        if (!j.is_object())
            return wrongType("", "an object", j);
        if (auto v = j.find("version"); v != j.end()) {
            if (!v->is_number_integer())
                return wrongType("/version", "an integer", *v);
            if (v->get<std::int64_t>() != kDesignVersion)
                return Error { "/version",
                    "version " + v->dump() + " is not supported (this build reads version "
                        + std::to_string(kDesignVersion) + ")" };
        }
        if (auto st = text(j, "", "name", d.name); !st)
            return st.error();
        if (auto st = text(j, "", "source", d.source); !st)
            return st.error();
        if (auto st = text(j, "", "class", d.className); !st)
            return st.error();
        if (auto v = j.find("published_total"); v != j.end() && !v->is_null()) {
            auto n = integer(*v, "/published_total", 1);
            if (!n)
                return n.error();
            d.publishedTotal = *n;
        }
        if (auto v = j.find("notes"); v != j.end()) {
            if (!v->is_array())
                return wrongType("/notes", "an array of strings", *v);
            for (std::size_t i = 0; i < v->size(); ++i) {
                if (!(*v)[i].is_string())
                    return wrongType("/notes/" + std::to_string(i), "a string", (*v)[i]);
                d.notes.push_back((*v)[i].get<std::string>());
            }
        }

        auto hp = j.find("hyperparameters");
        if (hp == j.end())
            return Error { "/hyperparameters", "missing" };
        if (!hp->is_array())
            return wrongType("/hyperparameters", "an array", *hp);
        for (std::size_t i = 0; i < hp->size(); ++i) {
            auto s = symbol((*hp)[i], "/hyperparameters/" + std::to_string(i));
            if (!s)
                return s.error();
            d.symbols.push_back(std::move(*s));
        }

        if (auto v = j.find("checks"); v != j.end()) {
            if (!v->is_array())
                return wrongType("/checks", "an array", *v);
            for (std::size_t i = 0; i < v->size(); ++i) {
                const std::string where = "/checks/" + std::to_string(i);
                const json& c = (*v)[i];
                if (!c.is_object())
                    return wrongType(where, "an object", c);
                Check check;
                auto e = expression(c, where, "expr", true);
                if (!e)
                    return e.error();
                check.expr = std::move(*e);
                if (auto st = text(c, where, "message", check.message); !st)
                    return st.error();
                d.checks.push_back(std::move(check));
            }
        }

        auto tree = j.find("tree");
        if (tree == j.end())
            return Error { "/tree", "missing" };
        auto root = module(*tree, "/tree", 0);
        if (!root)
            return root.error();
        d.root = std::move(*root);
        if (auto st = d.compile(); !st)
            return st.error();
        std::erase_if(d.notes, [&d](const std::string& n) { return isStoredTieNote(d, n); });
        return d;
    }

private:
    Status text(const json& obj, const std::string& where, const char* key, std::string& out)
    {
        auto v = obj.find(key);
        if (v == obj.end())
            return Ok {};
        if (!v->is_string())
            return wrongType(where + "/" + key, "a string", *v);
        out = v->get<std::string>();
        return Ok {};
    }

    Result<Count> integer(const json& v, const std::string& where, Count minimum)
    {
        if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
            return Error { where, "value " + v.dump() + " is too large for 64 bits" };
        if (!v.is_number_integer())
            return wrongType(where, "an integer", v);
        const Count n = v.get<Count>();
        if (n < minimum)
            return Error { where, "value " + std::to_string(n) + " must be at least " + std::to_string(minimum) };
        return n;
    }

    /// An expression field: a string to parse or a non-negative integer.
    Result<Expr> expression(const json& obj, const std::string& where, const char* key, bool required)
    {
        const std::string at = where + "/" + key;
        auto v = obj.find(key);
        if (v == obj.end()) {
            if (required)
                return Error { at, "missing" };
            return Expr();
        }
        return expressionValue(*v, at);
    }

    Result<Expr> expressionValue(const json& v, const std::string& at)
    {
        if (v.is_number_integer()) {
            auto n = integer(v, at, 0);
            if (!n)
                return n.error();
            return Expr::constant(*n);
        }
        if (!v.is_string())
            return wrongType(at, "an expression (string) or integer", v);
        auto e = Expr::parse(v.get<std::string>());
        if (!e)
            return e.error().within(at);
        return e;
    }

    Result<Symbol> symbol(const json& j, const std::string& where)
    {
        if (!j.is_object())
            return wrongType(where, "an object", j);
        Symbol s;
        if (j.find("name") == j.end())
            return Error { where + "/name", "missing" };
        for (auto [key, out] :
            { std::pair { "name", &s.name }, { "description", &s.description }, { "field", &s.field } })
            if (auto st = text(j, where, key, *out); !st)
                return st.error();
        if (auto m = j.find("min"); m != j.end()) {
            auto n = integer(*m, where + "/min", 0);
            if (!n)
                return n.error();
            s.minimum = *n;
        }
        const bool hasValue = j.contains("value"), hasExpr = j.contains("expr");
        if (hasValue == hasExpr)
            return Error { where, "needs exactly one of \"value\" (set) or \"expr\" (derived)" };
        if (hasValue) {
            auto n = integer(j["value"], where + "/value", s.minimum);
            if (!n)
                return n.error();
            s.value = *n;
        } else {
            auto e = expression(j, where, "expr", true);
            if (!e)
                return e.error();
            s.definition = std::move(*e);
        }
        return s;
    }

    Result<std::unique_ptr<Module>> module(const json& j, const std::string& where, int depth)
    {
        if (depth > 64)
            return Error { where, "modules nested deeper than 64" };
        if (!j.is_object())
            return wrongType(where, "an object", j);
        auto m = std::make_unique<Module>();
        if (auto st = text(j, where, "name", m->name); !st)
            return st.error();
        // tied_to paths join names with '.' and write an unnamed entry as '*'.
        if (m->name.find_first_of(".*") != std::string::npos)
            return Error { where + "/name",
                "'" + m->name + "' cannot hold '.' or '*' (they separate names in tied_to paths)" };
        if (auto st = text(j, where, "module", m->type); !st)
            return st.error();
        std::string kind;
        if (auto st = text(j, where, "kind", kind); !st)
            return st.error();
        if (kind.empty())
            kind = parseModuleKind(m->type) ? m->type : "Container";
        auto k = parseModuleKind(kind);
        if (!k)
            return Error { where + "/kind",
                "unknown kind '" + kind
                    + "' (Container, Embedding, Linear, Conv1D, LayerNorm, RMSNorm, Conv2d, Conv1d, Parameter)" };
        m->kind = *k;
        if (m->type.empty())
            m->type = kind;

        if (m->isLeaf()) {
            auto args = j.find("args");
            if (args == j.end())
                return Error { where + "/args", "missing" };
            if (!args->is_object())
                return wrongType(where + "/args", "an object", *args);
            if (m->kind == ModuleKind::Parameter) {
                auto shape = args->find("shape");
                if (shape == args->end() || !shape->is_array())
                    return Error { where + "/args/shape", "expected an array of dimensions" };
                for (std::size_t i = 0; i < shape->size(); ++i) {
                    auto e = expressionValue((*shape)[i], where + "/args/shape/" + std::to_string(i));
                    if (!e)
                        return e.error();
                    m->args.push_back(std::move(*e));
                }
            } else {
                for (auto name : argumentNames(m->kind)) {
                    // Conv1d's groups is optional, 1 as in torch.nn.Conv1d.
                    const bool optional = m->kind == ModuleKind::Conv1d && name == "groups";
                    auto e = expression(*args, where + "/args", std::string(name).c_str(), !optional);
                    if (!e)
                        return e.error();
                    m->args.push_back(e->isEmpty() ? Expr::constant(1) : std::move(*e));
                }
            }
            if (auto b = args->find("bias"); b != args->end()) {
                if (!hasBiasSwitch(m->kind))
                    return Error { where + "/args/bias", std::string(kindName(m->kind)) + " has no bias switch" };
                if (!b->is_boolean())
                    return wrongType(where + "/args/bias", "true or false", *b);
                m->bias = b->get<bool>();
            } else if (m->kind == ModuleKind::LayerNorm) {
                m->bias = true; // as torch.nn.LayerNorm
            }
        }

        auto repeat = expression(j, where, "repeat", false);
        if (!repeat)
            return repeat.error();
        m->repeat = std::move(*repeat);
        auto active = expression(j, where, "active_repeat", false);
        if (!active)
            return active.error();
        m->activeRepeat = std::move(*active);
        if (auto st = text(j, where, "tied_to", m->tiedTo); !st)
            return st.error();
        if (auto st = text(j, where, "role", m->role); !st)
            return st.error();
        if (auto kv = j.find("kv"); kv != j.end()) {
            const std::string at = where + "/kv";
            if (!kv->is_object())
                return wrongType(at, "an object", *kv);
            if (m->isLeaf())
                return Error { at,
                    std::string(kindName(m->kind)) + " is a leaf: only an attention container has a KV cache" };
            for (auto& [key, value] : kv->items())
                if (key != "cache" && key != "uncompressed" && key != "window" && key != "full_every" && key != "state")
                    return Error { at + "/" + key, "unknown key (cache, uncompressed, window, full_every, state)" };
            for (auto [key, out] : { std::pair { "cache", &m->kv.cache }, { "uncompressed", &m->kv.uncompressed },
                     { "window", &m->kv.window }, { "full_every", &m->kv.fullEvery }, { "state", &m->kv.state } }) {
                auto e = expression(*kv, at, key, false);
                if (!e)
                    return e.error();
                *out = std::move(*e);
            }
            if (!m->kv.fullEvery.isEmpty() && m->kv.window.isEmpty())
                return Error { at + "/full_every", "needs a window (the other layers' sliding window)" };
            if (!m->kv.state.isEmpty() && !(m->kv.cache.isEmpty() && m->kv.window.isEmpty()))
                return Error { at + "/state", "a state-space mixer's state goes without a per-token cache or window" };
        }

        if (auto c = j.find("children"); c != j.end()) {
            if (!c->is_array())
                return wrongType(where + "/children", "an array", *c);
            if (m->isLeaf() && !c->empty())
                return Error { where + "/children",
                    std::string(kindName(m->kind)) + " is a leaf and cannot hold modules" };
            for (std::size_t i = 0; i < c->size(); ++i) {
                auto child = module((*c)[i], where + "/children/" + std::to_string(i), depth + 1);
                if (!child)
                    return child.error();
                m->add(std::move(*child));
            }
        }
        return m;
    }
};

nlohmann::ordered_json exprJson(const Expr& e)
{
    if (auto c = e.constantValue())
        return *c;
    return e.text();
}

nlohmann::ordered_json moduleJson(const Module& m)
{
    nlohmann::ordered_json j;
    if (!m.name.empty())
        j["name"] = m.name;
    j["module"] = m.type;
    if (m.isLeaf() && m.type != kindName(m.kind))
        j["kind"] = kindName(m.kind);
    if (!m.isLeaf() && parseModuleKind(m.type))
        j["kind"] = "Container";
    if (m.isLeaf()) {
        nlohmann::ordered_json args = nlohmann::ordered_json::object();
        if (m.kind == ModuleKind::Parameter) {
            for (const auto& a : m.args)
                args["shape"].push_back(exprJson(a));
        } else {
            const auto names = argumentNames(m.kind);
            for (std::size_t i = 0; i < names.size() && i < m.args.size(); ++i)
                args[std::string(names[i])] = exprJson(m.args[i]);
        }
        if (hasBiasSwitch(m.kind))
            args["bias"] = m.bias;
        j["args"] = args;
    }
    if (!m.repeat.isEmpty())
        j["repeat"] = exprJson(m.repeat);
    if (!m.activeRepeat.isEmpty())
        j["active_repeat"] = exprJson(m.activeRepeat);
    if (!m.tiedTo.empty())
        j["tied_to"] = m.tiedTo;
    if (!m.role.empty())
        j["role"] = m.role;
    if (!m.kv.isEmpty()) {
        nlohmann::ordered_json kv = nlohmann::ordered_json::object();
        for (auto [key, e] : { std::pair { "cache", &m.kv.cache }, { "uncompressed", &m.kv.uncompressed },
                 { "window", &m.kv.window }, { "full_every", &m.kv.fullEvery }, { "state", &m.kv.state } })
            if (!e->isEmpty())
                kv[key] = exprJson(*e);
        j["kv"] = kv;
    }
    if (!m.children.empty()) {
        for (const auto& c : m.children)
            j["children"].push_back(moduleJson(*c));
    }
    return j;
}

} // namespace

Result<json> parseJson(std::string_view text)
{
    if (text.size() > kMaxInputBytes)
        return Error { "",
            "input is " + std::to_string(text.size()) + " bytes; the limit is " + std::to_string(kMaxInputBytes) };
    JsonChecker checker;
    if (!json::sax_parse(text, &checker)) {
        Error e = checker.error.value_or(Error { "", "malformed JSON" });
        if (!checker.syntaxError)
            return e;
        // Count lines ourselves: nlohmann's message gives line and column too, but not tidily.
        std::size_t line = 1, column = 1;
        for (std::size_t i = 0; i + 1 < checker.errorByte && i < text.size(); ++i) {
            if (text[i] == '\n') {
                ++line;
                column = 1;
            } else {
                ++column;
            }
        }
        return Error { "line " + std::to_string(line) + ", column " + std::to_string(column), e.message };
    }
    // The text is valid and within the limits: this cannot fail but for memory. Nothing
    // thrown leaves the core.
    try {
        return json::parse(text);
    } catch (const std::exception& e) {
        return Error { "", std::string("cannot read JSON: ") + e.what() };
    }
}

bool isDesignJson(const json& j)
{
    return j.is_object() && j.contains("format") && j["format"] == kDesignFormat;
}

Result<Design> designFromJson(const json& j)
{
    return Reader().run(j);
}

std::string designToJson(const Design& design)
{
    nlohmann::ordered_json j;
    j["format"] = kDesignFormat;
    j["version"] = kDesignVersion;
    j["name"] = design.name;
    if (!design.source.empty())
        j["source"] = design.source;
    if (!design.className.empty())
        j["class"] = design.className;
    if (design.publishedTotal)
        j["published_total"] = *design.publishedTotal;
    if (!design.notes.empty()) // kept notes only: derived ones (ties) are never written
        j["notes"] = design.notes;
    j["hyperparameters"] = nlohmann::ordered_json::array();
    for (const Symbol& s : design.symbols) {
        nlohmann::ordered_json h;
        h["name"] = s.name;
        if (s.isDerived())
            h["expr"] = s.definition.text();
        else
            h["value"] = s.value;
        if (!s.description.empty())
            h["description"] = s.description;
        if (!s.field.empty())
            h["field"] = s.field;
        if (s.minimum != 1)
            h["min"] = s.minimum;
        j["hyperparameters"].push_back(h);
    }
    for (const Check& c : design.checks)
        j["checks"].push_back({ { "expr", c.expr.text() }, { "message", c.message } });
    j["tree"] = moduleJson(*design.root);
    // Names from file and folder names need not be UTF-8: never throw for them.
    return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

} // namespace paramscope::core
