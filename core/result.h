// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace paramscope::core {

/// An error as a value: where it happened and what is wrong, ready for one line of output.
/// `where` is a JSON pointer (`/tree/children/3/args/in`), a symbol (`E`), a node path
/// (`transformer.h.attn`) or a file name; empty when the message says it all.
struct Error {
    std::string where;
    std::string message;

    /// "where: message", or the message alone.
    std::string text() const { return where.empty() ? message : where + ": " + message; }

    /// The same error with @p outer in front of its location (e.g. a file name).
    Error within(const std::string& outer) const
    {
        if (outer.empty())
            return *this;
        return { where.empty() ? outer : outer + ": " + where, message };
    }
};

/// A value or an Error (std::expected is C++23; this is the small part of it we use).
template <typename T> class Result {
public:
    Result(T value)
        : m_data(std::move(value))
    {
    }
    Result(Error error)
        : m_data(std::move(error))
    {
    }

    bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<0>(m_data); }
    const T& value() const& { return std::get<0>(m_data); }
    T&& value() && { return std::get<0>(std::move(m_data)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const Error& error() const { return std::get<1>(m_data); }

private:
    std::variant<T, Error> m_data;
};

/// Result of an operation with no value.
struct Ok { };
using Status = Result<Ok>;

} // namespace paramscope::core
