// SPDX-License-Identifier: MIT
#pragma once

// Checkpoint files written by the tests: safetensors and GGUF headers for tensor lists given by
// name, dtype and shape. The data section is given its real size with QFile::resize, which makes
// a sparse file: a 500 MB GPT-2 takes a few kilobytes of disk and no time to write.

#include <nlohmann/json.hpp>

#include <QByteArray>
#include <QFile>
#include <QString>
#include <QtEndian>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace paramscope::test {

struct TensorSpec {
    std::string name;
    std::string dtype; ///< safetensors dtype ("F32"), or a GGUF type name ("Q4_K")
    std::vector<std::int64_t> shape; ///< outermost first, as PyTorch prints it
};

inline std::int64_t elements(const TensorSpec& t)
{
    std::int64_t n = 1;
    for (auto d : t.shape)
        n *= d;
    return n;
}

inline int safetensorsBytes(const std::string& dtype)
{
    if (dtype == "F64" || dtype == "I64")
        return 8;
    if (dtype == "F32" || dtype == "I32")
        return 4;
    if (dtype == "F16" || dtype == "BF16" || dtype == "I16")
        return 2;
    return 1;
}

/// The header bytes of a safetensors file holding @p tensors in order (8-byte length, JSON
/// padded with spaces to a multiple of 8), and the size of its data section.
inline std::pair<QByteArray, std::int64_t> safetensorsHeader(
    const std::vector<TensorSpec>& tensors, const nlohmann::json& metadata = {})
{
    nlohmann::ordered_json h;
    if (!metadata.is_null())
        h["__metadata__"] = metadata;
    std::int64_t offset = 0;
    for (const auto& t : tensors) {
        const std::int64_t bytes = elements(t) * safetensorsBytes(t.dtype);
        h[t.name] = { { "dtype", t.dtype }, { "shape", t.shape }, { "data_offsets", { offset, offset + bytes } } };
        offset += bytes;
    }
    std::string json = h.dump();
    while (json.size() % 8 != 0)
        json += ' ';
    QByteArray out(8, '\0');
    qToLittleEndian<quint64>(json.size(), out.data());
    out += QByteArray::fromStdString(json);
    return { out, offset };
}

/// Writes @p header then makes the file @p dataBytes longer (sparse). False on an I/O error.
inline bool writeSparse(const QString& path, const QByteArray& header, std::int64_t dataBytes)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(header) != header.size())
        return false;
    f.close();
    return f.resize(header.size() + dataBytes);
}

inline bool writeSafetensors(
    const QString& path, const std::vector<TensorSpec>& tensors, const nlohmann::json& metadata = {})
{
    const auto [header, data] = safetensorsHeader(tensors, metadata);
    return writeSparse(path, header, data);
}

/// GGUF's metadata value types (gguf.h in ggml).
enum class GgufValue : quint32 {
    U8 = 0,
    I8 = 1,
    U16 = 2,
    I16 = 3,
    U32 = 4,
    I32 = 5,
    F32 = 6,
    Bool = 7,
    String = 8,
    Array = 9,
    U64 = 10,
    I64 = 11,
    F64 = 12
};

/// Builds a GGUF header in the order the format has it.
class GgufWriter {
public:
    explicit GgufWriter(quint32 version = 3, quint32 alignment = 32)
        : m_version(version)
        , m_alignment(alignment)
    {
    }
    void u32(QByteArray& b, quint32 v) { b.append(reinterpret_cast<const char*>(&v), 4); }
    void u64(QByteArray& b, quint64 v) { b.append(reinterpret_cast<const char*>(&v), 8); }
    void str(QByteArray& b, const std::string& s)
    {
        u64(b, s.size());
        b.append(s.data(), static_cast<qsizetype>(s.size()));
    }
    /// A key with a raw value of @p type (the bytes as the format writes them).
    void kv(const std::string& key, GgufValue type, const QByteArray& value)
    {
        str(m_kvs, key);
        u32(m_kvs, static_cast<quint32>(type));
        m_kvs += value;
        ++m_kvCount;
    }
    void kvU32(const std::string& key, quint32 v)
    {
        QByteArray b;
        u32(b, v);
        kv(key, GgufValue::U32, b);
    }
    void kvString(const std::string& key, const std::string& v)
    {
        QByteArray b;
        str(b, v);
        kv(key, GgufValue::String, b);
    }
    void kvStrings(const std::string& key, const std::vector<std::string>& v)
    {
        QByteArray b;
        u32(b, static_cast<quint32>(GgufValue::String));
        u64(b, v.size());
        for (const auto& s : v)
            str(b, s);
        kv(key, GgufValue::Array, b);
    }
    /// A tensor of ggml type @p type (id) with PyTorch-order @p shape and @p bytes of data.
    void tensor(const std::string& name, const std::vector<std::int64_t>& shape, quint32 type, std::int64_t bytes)
    {
        str(m_infos, name);
        u32(m_infos, static_cast<quint32>(shape.size()));
        for (auto it = shape.rbegin(); it != shape.rend(); ++it)
            u64(m_infos, static_cast<quint64>(*it)); // innermost first
        u32(m_infos, type);
        u64(m_infos, static_cast<quint64>(m_data));
        m_data += (bytes + m_alignment - 1) / m_alignment * m_alignment;
        ++m_tensorCount;
    }
    QByteArray header()
    {
        QByteArray b("GGUF");
        u32(b, m_version);
        u64(b, m_tensorCount);
        u64(b, m_kvCount);
        b += m_kvs;
        b += m_infos;
        while (b.size() % m_alignment != 0)
            b.append('\0');
        return b;
    }
    std::int64_t dataBytes() const { return m_data; }
    bool write(const QString& path) { return writeSparse(path, header(), m_data); }

private:
    quint32 m_version, m_alignment;
    QByteArray m_kvs, m_infos;
    quint64 m_kvCount = 0, m_tensorCount = 0;
    std::int64_t m_data = 0;
};

} // namespace paramscope::test
