// SPDX-License-Identifier: MIT
#include "config.h"

namespace paramscope::core {

namespace {

std::string typeName(const nlohmann::json& j)
{
    return j.is_number_float() ? "a fraction" : j.is_number_integer() ? "an integer" : j.type_name();
}

} // namespace

HfConfig::HfConfig(const nlohmann::json& j, std::string prefix)
    : HfConfig(j, std::move(prefix), std::make_shared<std::vector<std::string>>())
{
}

HfConfig::HfConfig(const nlohmann::json& j, std::string prefix, std::shared_ptr<std::vector<std::string>> assumed)
    : m_json(j.is_object() ? j : nlohmann::json::object())
    , m_prefix(std::move(prefix))
    , m_assumed(std::move(assumed))
{
}

std::string HfConfig::name(const char* field) const
{
    return m_prefix.empty() ? std::string(field) : m_prefix + "." + field;
}

bool HfConfig::has(const char* field) const
{
    return m_json.contains(field);
}

bool HfConfig::hasValue(const char* field) const
{
    return m_json.contains(field) && !m_json[field].is_null();
}

void HfConfig::assume(const char* field, const std::string& value)
{
    m_assumed->push_back(name(field) + " = " + value);
}

Result<Count> HfConfig::integer(const char* field, std::optional<Count> fallback, Count minimum)
{
    if (!hasValue(field)) {
        if (!fallback)
            return Error { name(field), "missing (no default for this model type)" };
        assume(field, std::to_string(*fallback));
        return *fallback;
    }
    const auto& v = m_json[field];
    if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
        return Error { name(field), v.dump() + " is too large for 64 bits" };
    if (!v.is_number_integer())
        return Error { name(field), "expected an integer, got " + typeName(v) + " " + v.dump() };
    const Count n = v.get<Count>();
    if (n < minimum)
        return Error { name(field),
            std::to_string(n) + (minimum == 1 ? " must be positive" : " is below " + std::to_string(minimum)) };
    return n;
}

Result<bool> HfConfig::boolean(const char* field, bool fallback)
{
    if (!hasValue(field)) {
        assume(field, fallback ? "true" : "false");
        return fallback;
    }
    const auto& v = m_json[field];
    if (!v.is_boolean())
        return Error { name(field), "expected true or false, got " + typeName(v) + " " + v.dump() };
    return v.get<bool>();
}

Result<std::string> HfConfig::string(const char* field, const std::string& fallback)
{
    if (!hasValue(field))
        return fallback;
    const auto& v = m_json[field];
    if (!v.is_string())
        return Error { name(field), "expected a string, got " + typeName(v) };
    return v.get<std::string>();
}

Result<std::vector<Count>> HfConfig::integers(const char* field)
{
    std::vector<Count> out;
    if (!hasValue(field))
        return out;
    const auto& v = m_json[field];
    if (!v.is_array())
        return Error { name(field), "expected a list of integers, got " + typeName(v) };
    if (v.size() > kMaxListEntries)
        return Error { name(field),
            "has " + std::to_string(v.size()) + " entries; the limit is " + std::to_string(kMaxListEntries) };
    out.reserve(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (!v[i].is_number_integer())
            return Error { name(field) + "[" + std::to_string(i) + "]", "expected an integer, got " + typeName(v[i]) };
        out.push_back(v[i].get<Count>());
    }
    return out;
}

Result<HfConfig> HfConfig::sub(const char* field) const
{
    if (hasValue(field) && !m_json[field].is_object())
        return Error { name(field), "expected an object, got " + typeName(m_json[field]) };
    return HfConfig(hasValue(field) ? m_json[field] : nlohmann::json::object(), name(field), m_assumed);
}

Result<HfConfig> HfConfig::sub(const char* field, const nlohmann::json& fallback, const std::string& what) const
{
    if (hasValue(field))
        return sub(field);
    m_assumed->push_back(name(field) + " = " + what);
    return HfConfig(fallback, name(field), m_assumed);
}

void DesignBuilder::set(
    const std::string& name, Count value, const std::string& field, const std::string& description, Count minimum)
{
    Symbol s;
    s.name = name;
    s.value = value;
    s.field = field;
    s.description = description;
    s.minimum = minimum;
    m_design.symbols.push_back(std::move(s));
}

void DesignBuilder::derive(
    const std::string& name, const std::string& expression, const std::string& field, const std::string& description)
{
    Symbol s;
    s.name = name;
    s.definition = expr(expression);
    s.field = field;
    s.description = description;
    m_design.symbols.push_back(std::move(s));
}

void DesignBuilder::check(const std::string& expression, const std::string& message)
{
    m_design.checks.push_back({ expr(expression), message });
}

} // namespace paramscope::core
