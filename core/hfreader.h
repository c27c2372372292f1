// SPDX-License-Identifier: MIT
#pragma once

#include "hfconfig.h"

namespace paramscope::core::hf {

/// Reads config fields, declaring hyperparameters as it goes, and keeps the first error so that a
/// builder can read everything and check once. After an error every read returns its fallback
/// (or 1), so the builder can carry on harmlessly and then return error().
class HfReader {
public:
    HfReader(HfConfig& config, Design& design)
        : m_config(config)
        , m_builder(design)
    {
    }

    /// An integer field (see HfConfig::integer).
    Count integer(const char* field, std::optional<Count> fallback = std::nullopt, Count minimum = 1)
    {
        if (m_error)
            return fallback.value_or(1);
        auto v = m_config.integer(field, fallback, minimum);
        if (!v) {
            m_error = v.error();
            return fallback.value_or(1);
        }
        return *v;
    }
    /// An integer field declared as hyperparameter @p name (set, with @p field recorded).
    Count symbol(const std::string& name, const char* field, std::optional<Count> fallback,
        const std::string& description, Count minimum = 1)
    {
        const Count v = integer(field, fallback, minimum);
        m_builder.set(name, v, field, description, minimum);
        return v;
    }
    bool flag(const char* field, bool fallback)
    {
        if (m_error)
            return fallback;
        auto v = m_config.boolean(field, fallback);
        if (!v)
            m_error = v.error();
        return v ? *v : fallback;
    }
    std::string text(const char* field, const std::string& fallback = {})
    {
        if (m_error)
            return fallback;
        auto v = m_config.string(field, fallback);
        if (!v)
            m_error = v.error();
        return v ? *v : fallback;
    }
    /// Present with an explicit null: in several configs that means "none" rather than the default.
    bool isNull(const char* field) const { return m_config.has(field) && m_config.json()[field].is_null(); }

    HfConfig& config() { return m_config; }
    DesignBuilder& builder() { return m_builder; }
    const std::optional<Error>& error() const { return m_error; }

private:
    HfConfig& m_config;
    DesignBuilder m_builder;
    std::optional<Error> m_error;
};

} // namespace paramscope::core::hf
