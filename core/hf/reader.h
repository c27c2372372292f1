// SPDX-License-Identifier: MIT
#pragma once

#include "config.h"

namespace paramscope::core::hf {

/// Reads config fields, declaring hyperparameters as it goes, and keeps the first error so that a
/// builder can read everything and check once. After an error no field is read and no symbol is
/// declared; every read returns its fallback (or 1), so the builder can carry on harmlessly and
/// then return error(). The one way the Hugging Face importers read config fields.
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
        return read(fallback.value_or(1), [&] { return m_config.integer(field, fallback, minimum); });
    }
    /// A list of whole numbers (see HfConfig::integers); missing, null or after an error: empty.
    std::vector<Count> integers(const char* field)
    {
        return read(std::vector<Count> {}, [&] { return m_config.integers(field); });
    }
    /// An integer field declared as the set hyperparameter @p name. The symbol's field is the
    /// config field's full name (HfConfig::name): "text_config.hidden_size" in a nested config.
    Count symbol(const std::string& name, const char* field, std::optional<Count> fallback,
        const std::string& description, Count minimum = 1)
    {
        const Count v = integer(field, fallback, minimum);
        if (!m_error)
            m_builder.set(name, v, m_config.name(field), description, minimum);
        return v;
    }
    bool flag(const char* field, bool fallback)
    {
        return read(fallback, [&] { return m_config.boolean(field, fallback); });
    }
    std::string text(const char* field, const std::string& fallback = {})
    {
        return read(fallback, [&] { return m_config.string(field, fallback); });
    }
    /// Present with an explicit null: in several configs that means "none" rather than the default.
    bool isNull(const char* field) const { return m_config.has(field) && m_config.json()[field].is_null(); }

    HfConfig& config() { return m_config; }
    DesignBuilder& builder() { return m_builder; }
    const std::optional<Error>& error() const { return m_error; }
    /// @p value, or the first error if a read failed.
    template <typename T> Result<T> result(T value) const
    {
        if (m_error)
            return *m_error;
        return value;
    }

private:
    /// What @p get reads, or @p fallback once a read (this one or an earlier one) has failed.
    template <typename T, typename Get> T read(T fallback, Get get)
    {
        if (m_error)
            return fallback;
        auto v = get();
        if (!v) {
            m_error = v.error();
            return fallback;
        }
        return std::move(*v);
    }

    HfConfig& m_config;
    DesignBuilder m_builder;
    std::optional<Error> m_error;
};

} // namespace paramscope::core::hf
