// SPDX-License-Identifier: MIT
#include "weights/gguf.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <unordered_set>

namespace paramscope::core {

namespace fs = std::filesystem;

namespace {

// ggml.h's enum ggml_type with ggml.c's type traits (block size, bytes per block). Ids 4, 5 (Q4_2,
// Q4_3), 31–33 and 36–38 (the repacked Q4_0_x_y and IQ4_NL_x_y) were removed from the format.
struct TypeRow {
    std::uint32_t id;
    GgmlType type;
};
constexpr std::array<TypeRow, 36> kTypes { {
    { 0, { "F32", 1, 4 } }, { 1, { "F16", 1, 2 } }, { 2, { "Q4_0", 32, 18 } }, { 3, { "Q4_1", 32, 20 } },
    { 6, { "Q5_0", 32, 22 } }, { 7, { "Q5_1", 32, 24 } }, { 8, { "Q8_0", 32, 34 } }, { 9, { "Q8_1", 32, 36 } },
    { 10, { "Q2_K", 256, 84 } }, { 11, { "Q3_K", 256, 110 } }, { 12, { "Q4_K", 256, 144 } },
    { 13, { "Q5_K", 256, 176 } }, { 14, { "Q6_K", 256, 210 } }, { 15, { "Q8_K", 256, 292 } },
    { 16, { "IQ2_XXS", 256, 66 } }, { 17, { "IQ2_XS", 256, 74 } }, { 18, { "IQ3_XXS", 256, 98 } },
    { 19, { "IQ1_S", 256, 50 } }, { 20, { "IQ4_NL", 32, 18 } }, { 21, { "IQ3_S", 256, 110 } },
    { 22, { "IQ2_S", 256, 82 } }, { 23, { "IQ4_XS", 256, 136 } }, { 24, { "I8", 1, 1 } }, { 25, { "I16", 1, 2 } },
    { 26, { "I32", 1, 4 } }, { 27, { "I64", 1, 8 } }, { 28, { "F64", 1, 8 } }, { 29, { "IQ1_M", 256, 56 } },
    { 30, { "BF16", 1, 2 } }, { 34, { "TQ1_0", 256, 54 } }, { 35, { "TQ2_0", 256, 66 } }, { 39, { "MXFP4", 32, 17 } },
    { 40, { "NVFP4", 64, 36 } }, { 41, { "Q1_0", 128, 18 } }, { 42, { "Q2_0", 64, 18 } },
    { 0xFFFFFFFF, { "", 1, 1 } }, // sentinel, never matched
} };

constexpr std::uint32_t kMaxDims = 4; // GGML_MAX_DIMS
constexpr std::uint64_t kMaxKeyBytes = 1 << 16;
constexpr std::uint64_t kMaxNameBytes = 1 << 12;
constexpr std::uint64_t kMaxKeptString = 1 << 12; // longer strings are checked and skipped, not kept
constexpr std::uint64_t kShortArray = 16; // arrays this short keep their values in the metadata

/// Where the header's bytes come from: memory (fuzzing) or a file read in order.
class Source {
public:
    virtual ~Source() = default;
    /// Copies the next @p n bytes to @p out; false when the input ends first.
    virtual bool read(char* out, std::size_t n) = 0;
    /// Skips @p n bytes (the caller has checked they are in the file).
    virtual bool skip(std::uint64_t n) = 0;
    std::uint64_t pos = 0;
};

class MemorySource : public Source {
public:
    explicit MemorySource(std::string_view bytes)
        : m_bytes(bytes)
    {
    }
    bool read(char* out, std::size_t n) override
    {
        if (n > m_bytes.size() - pos)
            return false;
        std::memcpy(out, m_bytes.data() + pos, n);
        pos += n;
        return true;
    }
    bool skip(std::uint64_t n) override
    {
        if (n > m_bytes.size() - pos)
            return false;
        pos += n;
        return true;
    }

private:
    std::string_view m_bytes;
};

class FileSource : public Source {
public:
    explicit FileSource(const std::string& path)
        : m_in(path, std::ios::binary)
    {
        // The header is read in many small pieces: a large buffer keeps that to a few system calls.
        m_in.rdbuf()->pubsetbuf(m_buffer.get(), kBuffer);
    }
    bool ok() const { return static_cast<bool>(m_in); }
    bool read(char* out, std::size_t n) override
    {
        m_in.read(out, static_cast<std::streamsize>(n));
        if (static_cast<std::size_t>(m_in.gcount()) != n)
            return false;
        pos += n;
        return true;
    }
    bool skip(std::uint64_t n) override
    {
        m_in.seekg(static_cast<std::streamoff>(n), std::ios::cur);
        pos += n;
        return static_cast<bool>(m_in);
    }

private:
    static constexpr std::size_t kBuffer = 1 << 20;
    std::unique_ptr<char[]> m_buffer = std::make_unique<char[]>(kBuffer);
    std::ifstream m_in;
};

enum ValueType : std::uint32_t {
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
    F64 = 12,
};

const char* valueTypeName(std::uint32_t t)
{
    static constexpr std::array<const char*, 13> kNames { "uint8", "int8", "uint16", "int16", "uint32", "int32",
        "float32", "bool", "string", "array", "uint64", "int64", "float64" };
    return t < kNames.size() ? kNames[t] : "?";
}

/// Bytes of a fixed-size value type; 0 for string and array.
std::uint64_t fixedSize(std::uint32_t t)
{
    switch (t) {
    case U8:
    case I8:
    case Bool:
        return 1;
    case U16:
    case I16:
        return 2;
    case U32:
    case I32:
    case F32:
        return 4;
    case U64:
    case I64:
    case F64:
        return 8;
    default:
        return 0;
    }
}

std::string printable(std::string_view s)
{
    std::string out;
    for (std::size_t i = 0; i < s.size() && i < 200; ++i)
        out += (s[i] == '\n' || s[i] == '\r' || s[i] == '\0') ? ' ' : s[i];
    return out + (s.size() > 200 ? "…" : "");
}

class Parser {
public:
    Parser(Source& in, Count fileSize, const std::string& origin)
        : m_in(in)
        , m_size(static_cast<std::uint64_t>(fileSize))
        , m_origin(origin)
    {
    }

    Result<TensorList> run()
    {
        char magic[4];
        if (!m_in.read(magic, 4))
            return fail("truncated: " + std::to_string(m_size) + " bytes, too short for the GGUF magic");
        if (std::memcmp(magic, "GGUF", 4) != 0)
            return fail("bad magic: not a GGUF file (it does not start with \"GGUF\")");
        std::uint32_t version = 0;
        if (!u32(version, "the version"))
            return *m_error;
        if (version == 0x02000000 || version == 0x03000000)
            return fail("a big-endian GGUF (version bytes reversed): not supported");
        if (version == 1)
            return fail("GGUF version 1 (32-bit counts, 2023) is not supported: convert the model again");
        if (version != 2 && version != 3)
            return fail("unknown GGUF version " + std::to_string(version) + " (versions 2 and 3 are read)");
        std::uint64_t tensors = 0, kvs = 0;
        if (!u64(tensors, "the tensor count") || !u64(kvs, "the key/value count"))
            return *m_error;
        // The smallest key/value takes 14 bytes and the smallest tensor info 33: a count that
        // could not fit in what is left of the file is refused before anything is allocated.
        if (kvs > remaining() / 14)
            return fail("absurd key/value count " + std::to_string(kvs) + " for a file of " + std::to_string(m_size)
                + " bytes");
        if (tensors > remaining() / 33)
            return fail("absurd tensor count " + std::to_string(tensors) + " for a file of " + std::to_string(m_size)
                + " bytes");

        TensorList list;
        list.format = TensorList::Format::Gguf;
        list.files.push_back(m_origin);
        list.fileBytes = static_cast<Count>(m_size);
        list.metadata["GGUF.version"] = std::to_string(version);
        std::uint64_t alignment = 32;
        std::unordered_set<std::string> keys;
        for (std::uint64_t i = 0; i < kvs; ++i) {
            const std::string where = "key/value " + std::to_string(i);
            std::string key;
            if (!string(key, where + ": the key", kMaxKeyBytes, true))
                return *m_error;
            if (key.empty())
                return fail(where + ": an empty key");
            if (!keys.insert(key).second)
                return fail("key '" + printable(key) + "' is given twice");
            std::uint32_t type = 0;
            if (!u32(type, "key '" + printable(key) + "': the value type"))
                return *m_error;
            std::string text;
            std::uint64_t number = 0;
            if (!value(type, "key '" + printable(key) + "'", text, number))
                return *m_error;
            if (key == "general.alignment") {
                if (type != U32)
                    return fail("general.alignment is a " + std::string(valueTypeName(type)) + ", not a uint32");
                if (number == 0 || (number & (number - 1)) != 0)
                    return fail("general.alignment " + std::to_string(number) + " is not a power of two");
                alignment = number;
            }
            list.metadata[key] = std::move(text);
        }

        struct Info {
            std::uint64_t offset, bytes;
            std::size_t tensor;
        };
        std::vector<Info> infos;
        infos.reserve(static_cast<std::size_t>(tensors));
        list.tensors.reserve(static_cast<std::size_t>(tensors));
        std::unordered_set<std::string> names;
        Count total = 0;
        for (std::uint64_t i = 0; i < tensors; ++i) {
            StoredTensor t;
            if (!string(t.name, "tensor info " + std::to_string(i) + ": the name", kMaxNameBytes, true))
                return *m_error;
            const std::string tn = "tensor '" + printable(t.name) + "'";
            if (t.name.empty())
                return fail("tensor info " + std::to_string(i) + ": an empty name");
            if (!names.insert(t.name).second)
                return fail(tn + " is given twice");
            std::uint32_t dims = 0;
            if (!u32(dims, tn + ": n_dims"))
                return *m_error;
            if (dims == 0 || dims > kMaxDims)
                return fail(tn + ": n_dims " + std::to_string(dims) + " (1 to " + std::to_string(kMaxDims) + ")");
            std::vector<Count> ne(dims);
            Count count = 1;
            for (std::uint32_t d = 0; d < dims; ++d) {
                std::uint64_t v = 0;
                if (!u64(v, tn + ": dimension " + std::to_string(d)))
                    return *m_error;
                if (v > static_cast<std::uint64_t>(INT64_MAX))
                    return fail(tn + ": dimension " + std::to_string(d) + " = " + std::to_string(v)
                        + " is negative as a signed 64-bit number");
                ne[d] = static_cast<Count>(v);
                auto c = checkedMul(count, ne[d]);
                if (!c)
                    return fail(tn + ": the shape's product overflows 64 bits");
                count = *c;
            }
            std::uint32_t typeId = 0;
            if (!u32(typeId, tn + ": the type"))
                return *m_error;
            const auto type = ggmlType(typeId);
            if (!type)
                return fail(tn + ": unknown ggml type " + std::to_string(typeId));
            if (ne[0] % type->blockValues != 0)
                return fail(tn + ": the innermost dimension " + std::to_string(ne[0]) + " is not a multiple of "
                    + std::string(type->name) + "'s block of " + std::to_string(type->blockValues));
            std::uint64_t offset = 0;
            if (!u64(offset, tn + ": the offset"))
                return *m_error;
            if (offset % alignment != 0)
                return fail(tn + ": offset " + std::to_string(offset) + " is not a multiple of the alignment "
                    + std::to_string(alignment));
            // count is a multiple of the block (ne[0] is): the bytes are exact.
            const auto bytes = checkedMul(count / type->blockValues, type->blockBytes);
            if (!bytes)
                return fail(tn + ": its size in bytes overflows 64 bits");
            auto sum = checkedAdd(total, count);
            if (!sum)
                return fail(tn + ": the values of the file overflow 64 bits");
            total = *sum;
            t.dtype = std::string(type->name);
            t.shape.assign(ne.rbegin(), ne.rend()); // outermost first, as PyTorch prints it
            t.count = count;
            t.bytes = *bytes;
            infos.push_back({ offset, static_cast<std::uint64_t>(*bytes), list.tensors.size() });
            list.tensors.push_back(std::move(t));
        }

        // The data section starts at the next multiple of the alignment.
        const std::uint64_t pad = (alignment - m_in.pos % alignment) % alignment;
        const std::uint64_t dataStart = m_in.pos + pad;
        const std::uint64_t data = dataStart <= m_size ? m_size - dataStart : 0;
        std::sort(infos.begin(), infos.end(), [](const Info& a, const Info& b) { return a.offset < b.offset; });
        for (std::size_t i = 0; i < infos.size(); ++i) {
            const Info& f = infos[i];
            const std::string tn = "tensor '" + printable(list.tensors[f.tensor].name) + "'";
            if (f.offset > data || f.bytes > data - f.offset)
                return fail(tn + ": its data (offset " + std::to_string(f.offset) + ", " + std::to_string(f.bytes)
                    + " bytes) lies outside the data section (" + std::to_string(data) + " bytes)");
            if (i > 0 && f.bytes > 0 && infos[i - 1].bytes > 0 && f.offset < infos[i - 1].offset + infos[i - 1].bytes)
                return fail(tn + " overlaps tensor '" + printable(list.tensors[infos[i - 1].tensor].name)
                    + "' in the data section");
        }
        list.metadata["GGUF.alignment"] = std::to_string(alignment);
        return list;
    }

private:
    std::uint64_t remaining() const { return m_in.pos <= m_size ? m_size - m_in.pos : 0; }

    Error fail(const std::string& message)
    {
        m_error = Error { m_origin, message };
        return *m_error;
    }
    bool truncated(const std::string& what)
    {
        fail("truncated: the file ends in " + what + " (at byte " + std::to_string(m_in.pos) + " of "
            + std::to_string(m_size) + ")");
        return false;
    }
    bool bytes(char* out, std::size_t n, const std::string& what)
    {
        if (n > remaining() || !m_in.read(out, n))
            return truncated(what);
        return true;
    }
    bool u32(std::uint32_t& v, const std::string& what)
    {
        unsigned char b[4];
        if (!bytes(reinterpret_cast<char*>(b), 4, what))
            return false;
        v = b[0] | (b[1] << 8) | (b[2] << 16) | (static_cast<std::uint32_t>(b[3]) << 24);
        return true;
    }
    bool u64(std::uint64_t& v, const std::string& what)
    {
        unsigned char b[8];
        if (!bytes(reinterpret_cast<char*>(b), 8, what))
            return false;
        v = 0;
        for (int i = 7; i >= 0; --i)
            v = (v << 8) | b[i];
        return true;
    }
    /// A length-prefixed string, whose length must fit what is left of the file. Over @p limit bytes
    /// it is an error when @p keep (names, keys), else skipped and described (values).
    bool string(std::string& out, const std::string& what, std::uint64_t limit, bool keep)
    {
        std::uint64_t n = 0;
        if (!u64(n, what))
            return false;
        if (n > remaining()) {
            fail(what + ": a string of " + std::to_string(n) + " bytes, longer than the rest of the file ("
                + std::to_string(remaining()) + " bytes)");
            return false;
        }
        if (keep && n > limit) {
            fail(what + ": a string of " + std::to_string(n) + " bytes (at most " + std::to_string(limit) + ")");
            return false;
        }
        if (n > limit) {
            out = "(" + std::to_string(n) + "-byte string)";
            return m_in.skip(n) || truncated(what);
        }
        out.resize(static_cast<std::size_t>(n));
        return bytes(out.data(), static_cast<std::size_t>(n), what);
    }
    /// One value of @p type as text (and, for integers, @p number).
    bool scalar(std::uint32_t type, const std::string& what, std::string& text, std::uint64_t& number)
    {
        unsigned char b[8] = {};
        const std::uint64_t n = fixedSize(type);
        if (!bytes(reinterpret_cast<char*>(b), static_cast<std::size_t>(n), what))
            return false;
        std::uint64_t u = 0;
        for (int i = static_cast<int>(n) - 1; i >= 0; --i)
            u = (u << 8) | b[i];
        number = u;
        switch (type) {
        case U8:
        case U16:
        case U32:
        case U64:
            text = std::to_string(u);
            break;
        case I8:
            text = std::to_string(static_cast<std::int8_t>(u));
            break;
        case I16:
            text = std::to_string(static_cast<std::int16_t>(u));
            break;
        case I32:
            text = std::to_string(static_cast<std::int32_t>(u));
            break;
        case I64:
            text = std::to_string(static_cast<std::int64_t>(u));
            break;
        case Bool:
            if (u > 1) {
                fail(what + ": a bool of value " + std::to_string(u));
                return false;
            }
            text = u ? "true" : "false";
            break;
        case F32: {
            float f;
            const auto bits = static_cast<std::uint32_t>(u);
            std::memcpy(&f, &bits, 4);
            text = std::to_string(f);
            break;
        }
        default: {
            double d;
            std::memcpy(&d, &u, 8);
            text = std::to_string(d);
        }
        }
        return true;
    }
    bool value(std::uint32_t type, const std::string& what, std::string& text, std::uint64_t& number)
    {
        if (type == String)
            return string(text, what, kMaxKeptString, false);
        if (type != Array) {
            if (fixedSize(type) == 0) {
                fail(what + ": unknown value type " + std::to_string(type));
                return false;
            }
            return scalar(type, what, text, number);
        }
        std::uint32_t element = 0;
        std::uint64_t count = 0;
        if (!u32(element, what + ": the array's element type") || !u64(count, what + ": the array's length"))
            return false;
        if (element == Array) {
            fail(what + ": an array of arrays (not supported)");
            return false;
        }
        if (element != String && fixedSize(element) == 0) {
            fail(what + ": an array of unknown value type " + std::to_string(element));
            return false;
        }
        const std::uint64_t least = element == String ? 8 : fixedSize(element);
        if (count > remaining() / least) {
            fail(what + ": an array of " + std::to_string(count) + " " + valueTypeName(element)
                + " values, longer than the rest of the file (" + std::to_string(remaining()) + " bytes)");
            return false;
        }
        text = "[";
        for (std::uint64_t i = 0; i < count; ++i) {
            std::string item;
            std::uint64_t ignored = 0;
            // The element's index goes into a message only when there is one: tokenizer arrays hold
            // hundreds of thousands of strings.
            if (element == String ? !string(item, what, kMaxKeptString, false)
                                  : !scalar(element, what, item, ignored)) {
                m_error->message += " (element " + std::to_string(i) + ")";
                return false;
            }
            if (count <= kShortArray)
                text += (i ? ", " : "") + item;
        }
        text = count <= kShortArray ? text + "]" : "[" + std::to_string(count) + " × " + valueTypeName(element) + "]";
        return true;
    }

    Source& m_in;
    std::uint64_t m_size;
    std::string m_origin;
    std::optional<Error> m_error;
};

} // namespace

std::optional<GgmlType> ggmlType(std::uint32_t id)
{
    for (const auto& row : kTypes)
        if (row.id == id && !row.type.name.empty())
            return row.type;
    return std::nullopt;
}

std::optional<GgmlType> ggmlTypeByName(std::string_view name)
{
    for (const auto& row : kTypes)
        if (row.type.name == name && !name.empty())
            return row.type;
    return std::nullopt;
}

bool isGguf(std::string_view bytes)
{
    return bytes.size() >= 4 && bytes.substr(0, 4) == "GGUF";
}

Result<TensorList> parseGguf(std::string_view bytes, Count fileSize, const std::string& origin)
{
    MemorySource in(bytes);
    return Parser(in, fileSize, origin).run();
}

Result<TensorList> readGguf(const std::string& path)
{
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        return Error { path, fs::exists(path, ec) ? "not a regular file" : "no such file" };
    const auto size = fs::file_size(path, ec);
    if (ec || size > static_cast<std::uintmax_t>(INT64_MAX))
        return Error { path, "cannot read its size" };
    FileSource in(path);
    if (!in.ok())
        return Error { path, "cannot open for reading" };
    return Parser(in, static_cast<Count>(size), path).run();
}

} // namespace paramscope::core
