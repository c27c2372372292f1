// SPDX-License-Identifier: MIT
#pragma once

// Helpers shared by the core tests: load a source (preset, design file or config.json), apply
// settings, count, look nodes up by path and read error text. A helper that cannot do its job
// stops the test with qFatal, naming the problem, so a test body only states expectations.

#include "evaluate.h"
#include "overrides.h"
#include "report.h"
#include "source.h"

#include <nlohmann/json.hpp>

#include <QString>
#include <QtGlobal>

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace paramscope::test {

using core::Count;
using core::Counted;
using core::Design;
using core::Evaluation;
using core::Module;
using core::NodeFormula;
using core::NodeValue;

/// Settings as `--set` takes them: symbol or config field name, and value.
using Settings = std::vector<std::pair<std::string, Count>>;

/// @p file (e.g. "hf-configs/gpt2.json") inside tests/data.
inline std::string dataPath(const std::string& file)
{
    return std::string(PARAMSCOPE_TEST_DATA "/") + file;
}

/// Loads @p source (preset name or file) as class @p className (empty: the source's default).
inline Design load(const std::string& source, const std::string& className = {})
{
    auto d = core::loadSource(source, { className });
    if (!d)
        qFatal("%s", d.error().text().c_str());
    return std::move(*d);
}

/// Applies each of @p settings to @p design in order.
inline Design applied(Design design, const Settings& settings)
{
    for (const auto& [k, v] : settings)
        if (auto st = core::applySetting(design, k, v); !st)
            qFatal("%s", st.error().text().c_str());
    return design;
}

inline Counted counted(Design design)
{
    auto c = core::count(std::move(design));
    if (!c)
        qFatal("%s", c.error().text().c_str());
    return std::move(*c);
}

/// Loads @p source, applies @p settings and counts it, as `paramscope-cli count SOURCE --set …` does.
inline Counted countSource(const std::string& source, const Settings& settings = {})
{
    return counted(applied(load(source), settings));
}

inline Evaluation evaluated(const Design& design)
{
    auto e = core::evaluate(design);
    if (!e)
        qFatal("%s", e.error().text().c_str());
    return std::move(*e);
}

/// The value of the node at @p path (e.g. "transformer.h.*.attn").
inline const NodeValue& at(const Counted& c, const char* path)
{
    const Module* m = c.design.find(path);
    if (!m)
        qFatal("no node %s", path);
    return c.evaluation.nodes[static_cast<std::size_t>(m->index)];
}

/// The formula of the node at @p path.
inline const NodeFormula& formulaAt(const Counted& c, const char* path)
{
    const Module* m = c.design.find(path);
    if (!m)
        qFatal("no node %s", path);
    return c.formulas[static_cast<std::size_t>(m->index)];
}

/// Whether some note of @p design (derived or kept) contains @p text.
inline bool hasNote(const Design& design, const QString& text)
{
    for (const auto& n : design.allNotes())
        if (QString::fromStdString(n.text).contains(text))
            return true;
    return false;
}

/// The layer stack under @p path as built (runs and periods expanded with their evaluated repeats),
/// one letter per layer of type @p layerType: @p kind(layer) says which, e.g. 'M' for MoE, 'd' dense.
template <typename Kind>
std::string expandedLayers(
    const Design& d, const Evaluation& e, const char* path, const std::string& layerType, Kind kind)
{
    std::string built;
    std::function<void(const Module&)> expand = [&](const Module& m) {
        for (Count c = 0; c < e.nodes[static_cast<std::size_t>(m.index)].repeat; ++c) {
            if (m.type == layerType) {
                built += kind(m);
                continue;
            }
            for (const auto& child : m.children)
                expand(*child);
        }
    };
    for (const auto& entry : d.find(path)->children)
        expand(*entry);
    return built;
}

/// A config written in the test, loaded as if from a file.
inline core::Result<Design> inlineConfig(const nlohmann::json& j, const std::string& className = {})
{
    return core::loadText(j.dump(), "inline.json", { className });
}

/// The error of importing and evaluating @p j (empty when both succeed).
inline QString failure(const nlohmann::json& j, const std::string& className = {})
{
    auto d = inlineConfig(j, className);
    if (!d)
        return QString::fromStdString(d.error().text());
    auto e = core::evaluate(*d);
    return e ? QString() : QString::fromStdString(e.error().text());
}

} // namespace paramscope::test
