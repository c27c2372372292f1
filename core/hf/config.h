// SPDX-License-Identifier: MIT
#pragma once

#include "design.h"

#include <nlohmann/json.hpp>

namespace paramscope::core {

/// Reads a Hugging Face config.json the way its config class does: a missing field takes the
/// class default, and every default taken is remembered so the output can list them.
/// Errors name the field ("text_config.hidden_size: expected an integer, got string").
class HfConfig {
public:
    /// @p prefix names a nested config in messages ("text_config").
    explicit HfConfig(const nlohmann::json& j, std::string prefix = {});

    bool has(const char* field) const;
    /// Present and not null.
    bool hasValue(const char* field) const;

    /// A whole number ≥ @p minimum. Missing or null: @p fallback if given (recorded as assumed),
    /// else an error. Fractions, strings and booleans are errors.
    Result<Count> integer(const char* field, std::optional<Count> fallback = std::nullopt, Count minimum = 1);
    Result<bool> boolean(const char* field, bool fallback);
    Result<std::string> string(const char* field, const std::string& fallback);
    /// The longest list integers() reads (a 16 MiB file could hold eight million entries).
    static constexpr std::size_t kMaxListEntries = 1000000;
    /// A list of whole numbers (e.g. mlp_only_layers); missing or null gives an empty list. Longer
    /// than kMaxListEntries: an error naming the field.
    Result<std::vector<Count>> integers(const char* field);
    /// A nested config ("text_config"); missing or null gives an empty one, whose fields all default.
    Result<HfConfig> sub(const char* field) const;
    /// A nested config whose absence means a whole default object (LlavaConfig's CLIP tower): missing
    /// or null gives @p fallback, recorded as assumed under the name @p what.
    Result<HfConfig> sub(const char* field, const nlohmann::json& fallback, const std::string& what) const;

    /// "field = value" for every default taken, nested configs included (shared with sub()).
    const std::vector<std::string>& assumed() const { return *m_assumed; }
    /// The field's full name in messages ("text_config.head_dim").
    std::string name(const char* field) const;
    const nlohmann::json& json() const { return m_json; }
    /// Records that @p field was absent and the class default @p value was taken (for defaults
    /// that are not single integers, such as a list whose length shapes the model).
    void assume(const char* field, const std::string& value);

private:
    HfConfig(const nlohmann::json& j, std::string prefix, std::shared_ptr<std::vector<std::string>> assumed);

    nlohmann::json m_json;
    std::string m_prefix;
    std::shared_ptr<std::vector<std::string>> m_assumed;
};

/// Small helpers for building a design from a config.
class DesignBuilder {
public:
    explicit DesignBuilder(Design& design)
        : m_design(design)
    {
    }

    /// Adds a set hyperparameter, e.g. set("E", 768, "hidden_size", "width").
    void set(const std::string& name, Count value, const std::string& field, const std::string& description,
        Count minimum = 1);
    /// Adds a derived hyperparameter, e.g. derive("D", "E/H", "head_dim", "head dimension").
    void derive(const std::string& name, const std::string& expression, const std::string& field,
        const std::string& description);
    /// Adds a check, e.g. check("H/K", "num_key_value_heads must divide num_attention_heads").
    void check(const std::string& expression, const std::string& message);

private:
    Design& m_design;
};

} // namespace paramscope::core
