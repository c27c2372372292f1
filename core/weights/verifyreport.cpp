// SPDX-License-Identifier: MIT
#include "weights/verifyreport.h"

#include "weights/gguf.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <map>

namespace paramscope::core {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;

std::string shapeText(const std::vector<Count>& shape)
{
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i)
        s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

std::string pad(std::string s, std::size_t width, bool right = false)
{
    // Width in characters, not bytes: the text holds ✓, × and –.
    std::size_t chars = 0;
    for (unsigned char c : s)
        chars += (c & 0xC0) != 0x80;
    if (chars >= width)
        return s;
    return right ? std::string(width - chars, ' ') + s : s + std::string(width - chars, ' ');
}

std::string bits(double b)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", b);
    return buf;
}

const char* kindName(Finding::Kind k)
{
    switch (k) {
    case Finding::Kind::Buffer:
        return "buffer";
    case Finding::Kind::TiedCopy:
        return "tied_copy";
    case Finding::Kind::NotBuilt:
        return "not_built";
    case Finding::Kind::QuantExtra:
        return "quantisation";
    case Finding::Kind::Missing:
        return "missing";
    case Finding::Kind::Unexpected:
        return "unexpected";
    case Finding::Kind::WrongShape:
        return "wrong_shape";
    }
    return "?";
}

std::string filesText(const Verification& v)
{
    if (v.files.size() == 1)
        return v.files.front();
    return std::to_string(v.files.size()) + " files (" + v.files.front() + " …)";
}

/// A tensor name with its layer indices as *, and the files' tensors grouped by it, in order.
struct Group {
    std::string pattern;
    std::string dtype; ///< "F32", or "mixed"
    std::vector<Count> shape; ///< of the first tensor
    bool sameShape = true;
    Count tensors = 0, values = 0, bytes = 0;
};

std::vector<Group> groups(const TensorList& list)
{
    std::vector<Group> out;
    std::map<std::string, std::size_t> index;
    for (const auto& t : list.tensors) {
        std::string p;
        std::size_t start = 0;
        for (;;) {
            const auto dot = t.name.find('.', start);
            const std::string part = t.name.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
            const bool digits = !part.empty() && part.find_first_not_of("0123456789") == std::string::npos;
            p += (start ? "." : "") + (digits ? std::string("*") : part);
            if (dot == std::string::npos)
                break;
            start = dot + 1;
        }
        auto [it, fresh] = index.emplace(p, out.size());
        if (fresh)
            out.push_back({ p, t.dtype, t.shape, true, 0, 0, 0 });
        Group& g = out[it->second];
        if (g.dtype != t.dtype)
            g.dtype = "mixed";
        g.sameShape = g.sameShape && g.shape == t.shape;
        g.tensors = checkedAdd(g.tensors, 1).value_or(INT64_MAX);
        g.values = checkedAdd(g.values, t.count).value_or(INT64_MAX);
        g.bytes = checkedAdd(g.bytes, t.bytes).value_or(INT64_MAX);
    }
    return out;
}

std::string dtypeLines(const std::vector<DtypeUse>& dtypes, bool gguf)
{
    std::string s;
    for (const auto& d : dtypes) {
        s += "  " + pad(d.dtype, 9) + pad(groupDigits(d.tensors), 7, true) + " tensors "
            + pad(groupDigits(d.values), 16, true) + " values " + pad(groupDigits(d.bytes), 18, true) + " bytes  "
            + bits(d.bitsPerWeight) + " bits per value";
        if (gguf)
            if (auto t = ggmlTypeByName(d.dtype); t && t->blockValues > 1)
                s += " (blocks of " + std::to_string(t->blockValues) + " values in " + std::to_string(t->blockBytes)
                    + " bytes)";
        if (!gguf && d.dtype == "MXFP4")
            s += " (blocks of 32 values in 16 bytes, plus a one-byte scale each)";
        s += "\n";
    }
    return s;
}

ordered_json dtypeJson(const std::vector<DtypeUse>& dtypes)
{
    ordered_json a = ordered_json::array();
    for (const auto& d : dtypes)
        a.push_back({ { "dtype", d.dtype }, { "tensors", d.tensors }, { "values", d.values }, { "bytes", d.bytes },
            { "bits_per_value", d.bitsPerWeight } });
    return a;
}

} // namespace

std::string verifySummary(const Verification& v)
{
    Count explained = 0;
    for (const auto& f : v.findings)
        if (!f.isProblem())
            explained = checkedAdd(explained, f.values).value_or(INT64_MAX);
    if (v.ok())
        return "✓ all " + groupDigits(v.formulaTotal) + " parameters of the class are in the file"
            + (explained > 0 ? "; its other " + groupDigits(explained)
                        + (explained == 1 ? " value is explained" : " values are explained")
                             : "");
    return "✗ " + groupDigits(v.matched) + " of " + groupDigits(v.formulaTotal) + " parameters matched; "
        + groupDigits(v.problemCount()) + (v.problemCount() == 1 ? " tensor" : " tensors")
        + " missing, unexpected or of the wrong shape";
}

std::string verifyText(const Counted& counted, const Verification& v)
{
    const Design& d = counted.design;
    std::string s = "Verify " + (d.name.empty() ? std::string("design") : d.name)
        + (d.className.empty() ? "" : " (" + d.className + ")") + " against " + filesText(v) + "\n";
    s += formatName(v.format) + std::string(": ") + groupDigits(v.fileTensors) + " tensors, "
        + groupDigits(v.fileValues) + " values, " + groupDigits(v.fileBytes) + " bytes\n\n";
    s += "  parameters of the class  " + pad(groupDigits(v.formulaTotal), 16, true) + "\n";
    s += "  matched in the file      " + pad(groupDigits(v.matched), 16, true) + "\n";
    Count explained = 0;
    for (const auto& f : v.findings)
        if (!f.isProblem())
            explained = checkedAdd(explained, f.values).value_or(INT64_MAX);
    s += "  explained other values   " + pad(groupDigits(explained), 16, true) + "\n";
    s += "  values in the file       " + pad(groupDigits(v.fileValues), 16, true) + "\n\n";

    bool any = false;
    for (const auto& f : v.findings) {
        if (f.isProblem())
            continue;
        if (!any)
            s += "Explained:\n";
        any = true;
        s += "  " + groupDigits(f.tensors) + " × " + f.name + " (" + groupDigits(f.values)
            + (f.values == 1 ? " value): " : " values): ") + f.text + "\n";
    }
    any = false;
    for (const auto& f : v.findings) {
        if (!f.isProblem())
            continue;
        if (!any)
            s += (s.ends_with("\n\n") ? "" : "\n") + std::string("Problems:\n");
        any = true;
        s += "  " + std::string(kindName(f.kind)) + ": " + f.name;
        if (f.tensors > 1)
            s += " (" + groupDigits(f.tensors) + " tensors)";
        s += " — " + f.text + "\n";
    }
    if (!s.ends_with("\n\n"))
        s += "\n";

    s += pad("module (all copies)", 58) + pad("formula", 16, true) + pad("stored", 17, true) + "\n";
    for (const Row& r : rows(counted)) {
        const NodeCheck& c = v.nodes[static_cast<std::size_t>(r.module->index)];
        std::string label = std::string(static_cast<std::size_t>(r.depth) * 2, ' ')
            + (r.depth == 0 ? (d.className.empty() ? std::string("model") : d.className) : r.label);
        if (label.size() > 54)
            label = label.substr(0, 53) + "…";
        s += (c.ok() ? "✓ " : "✗ ") + pad(label, 56) + pad(groupDigits(c.formula), 16, true)
            + pad(groupDigits(c.stored), 17, true) + "\n";
    }
    s += "\nBytes per dtype:\n" + dtypeLines(v.dtypes, v.format == TensorList::Format::Gguf);
    s += "\n" + verifySummary(v) + "\n";
    return s;
}

std::string verifyJson(const Counted& counted, const Verification& v)
{
    ordered_json j;
    j["ok"] = v.ok();
    j["name"] = counted.design.name;
    j["class"] = counted.design.className;
    j["format"] = formatName(v.format);
    j["files"] = v.files;
    j["parameters"] = v.formulaTotal;
    j["matched"] = v.matched;
    Count explained = 0;
    for (const auto& f : v.findings)
        if (!f.isProblem())
            explained = checkedAdd(explained, f.values).value_or(INT64_MAX);
    j["explained_values"] = explained;
    j["file_values"] = v.fileValues;
    j["file_tensors"] = v.fileTensors;
    j["file_bytes"] = v.fileBytes;
    ordered_json ex = ordered_json::array(), pr = ordered_json::array();
    for (const auto& f : v.findings) {
        ordered_json e { { "kind", kindName(f.kind) }, { "name", f.name }, { "tensors", f.tensors },
            { "values", f.values }, { "text", f.text } };
        if (f.node >= 0)
            e["module"] = Design::path(*counted.design.nodes()[static_cast<std::size_t>(f.node)]);
        (f.isProblem() ? pr : ex).push_back(std::move(e));
    }
    j["explained"] = std::move(ex);
    j["problems"] = std::move(pr);
    ordered_json modules = ordered_json::array();
    for (const Module* m : counted.design.nodes()) {
        const NodeCheck& c = v.nodes[static_cast<std::size_t>(m->index)];
        modules.push_back({ { "path", Design::path(*m) }, { "formula", c.formula }, { "stored", c.stored },
            { "explained", c.extra }, { "copies", c.copies }, { "ok", c.ok() } });
    }
    j["modules"] = std::move(modules);
    j["dtypes"] = dtypeJson(v.dtypes);
    j["summary"] = verifySummary(v);
    return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string inspectText(const TensorList& tensors)
{
    std::string s = std::string(formatName(tensors.format)) + ": ";
    s += tensors.files.size() == 1 ? tensors.files.front() : std::to_string(tensors.files.size()) + " files";
    s += "\n" + groupDigits(static_cast<Count>(tensors.tensors.size())) + " tensors, "
        + groupDigits(tensors.totalValues()) + " values, " + groupDigits(tensors.fileBytes) + " bytes\n";
    for (const char* key : { "general.architecture", "general.name", "format" })
        if (auto it = tensors.metadata.find(key); it != tensors.metadata.end())
            s += std::string(key) + ": " + it->second + "\n";
    // GGUF: the architecture's hyperparameters (llama.embedding_length, llama.block_count …).
    if (auto arch = tensors.metadata.find("general.architecture"); arch != tensors.metadata.end()) {
        const std::string prefix = arch->second + ".";
        for (auto it = tensors.metadata.lower_bound(prefix);
             it != tensors.metadata.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it)
            s += it->first + ": " + it->second + "\n";
    }
    s += "\n" + pad("tensor", 52) + pad("dtype", 9) + pad("shape", 22) + pad("values", 16, true) + "\n";
    for (const Group& g : groups(tensors)) {
        std::string name = g.pattern + (g.tensors > 1 ? " ×" + groupDigits(g.tensors) : "");
        s += pad(name, 52) + pad(g.dtype, 9) + pad(g.sameShape ? shapeText(g.shape) : "(shapes vary)", 22)
            + pad(groupDigits(g.values), 16, true) + "\n";
    }
    const auto dtypes = dtypeUse(tensors);
    s += "\nBytes per dtype:\n" + dtypeLines(dtypes, tensors.format == TensorList::Format::Gguf);
    s += "total: " + groupDigits(tensors.totalValues()) + " values";
    // The MXFP4 row counts its blocks' values, two per byte: the total counts their bytes.
    for (const auto& d : dtypes)
        if (d.dtype == "MXFP4" && tensors.format != TensorList::Format::Gguf)
            s += " (" + groupDigits(checkedAdd(tensors.totalValues(), d.values / 2).value_or(INT64_MAX))
                + " with the MXFP4 blocks' two values per byte)";
    s += "\n";
    return s;
}

std::string inspectJson(const TensorList& tensors)
{
    ordered_json j;
    j["format"] = formatName(tensors.format);
    j["files"] = tensors.files;
    j["tensor_count"] = tensors.tensors.size();
    j["total_values"] = tensors.totalValues();
    j["file_bytes"] = tensors.fileBytes;
    ordered_json meta = ordered_json::object();
    for (const auto& [k, v] : tensors.metadata)
        meta[k] = v;
    j["metadata"] = std::move(meta);
    ordered_json gs = ordered_json::array();
    for (const Group& g : groups(tensors)) {
        ordered_json e { { "name", g.pattern }, { "dtype", g.dtype }, { "tensors", g.tensors }, { "values", g.values },
            { "bytes", g.bytes } };
        if (g.sameShape)
            e["shape"] = g.shape;
        gs.push_back(std::move(e));
    }
    j["groups"] = std::move(gs);
    ordered_json ts = ordered_json::array();
    for (const auto& t : tensors.tensors)
        ts.push_back({ { "name", t.name }, { "dtype", t.dtype }, { "shape", t.shape }, { "values", t.count },
            { "bytes", t.bytes }, { "file", t.file } });
    j["tensors"] = std::move(ts);
    j["dtypes"] = dtypeJson(dtypeUse(tensors));
    return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

} // namespace paramscope::core
