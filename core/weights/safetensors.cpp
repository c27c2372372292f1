// SPDX-License-Identifier: MIT
#include "weights/safetensors.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <unordered_map>

namespace paramscope::core {

namespace fs = std::filesystem;

namespace {

/// Bits per value of each safetensors dtype (safetensors 0.6, incl. the sub-byte float formats).
std::optional<int> dtypeBits(std::string_view dtype)
{
    static constexpr std::array<std::pair<std::string_view, int>, 20> kBits { {
        { "BOOL", 8 },
        { "F4", 4 },
        { "F6_E2M3", 6 },
        { "F6_E3M2", 6 },
        { "U8", 8 },
        { "I8", 8 },
        { "F8_E5M2", 8 },
        { "F8_E4M3", 8 },
        { "F8_E8M0", 8 },
        { "I16", 16 },
        { "U16", 16 },
        { "F16", 16 },
        { "BF16", 16 },
        { "I32", 32 },
        { "U32", 32 },
        { "F32", 32 },
        { "C64", 64 },
        { "F64", 64 },
        { "I64", 64 },
        { "U64", 64 },
    } };
    for (const auto& [name, bits] : kBits)
        if (name == dtype)
            return bits;
    return std::nullopt;
}

std::string quote(const std::string& s)
{
    // Names from the file go into one-line messages: keep them short and on one line.
    std::string out = "'";
    for (std::size_t i = 0; i < s.size() && i < 200; ++i)
        out += (s[i] == '\n' || s[i] == '\r') ? ' ' : s[i];
    return out + (s.size() > 200 ? "…'" : "'");
}

/// Everything a tensor entry of the header holds, as read.
struct Entry {
    std::string name;
    std::string dtype;
    bool hasDtype = false, hasShape = false, hasOffsets = false;
    std::vector<Count> shape;
    std::vector<Count> offsets;
};

/// Builds the tensor list straight from the JSON events: no document is held, so memory follows
/// the tensors, not the header's size, and nesting costs nothing.
class HeaderReader : public nlohmann::json_sax<nlohmann::json> {
public:
    std::optional<Error> error;
    std::vector<Entry> entries;
    std::map<std::string, std::string> metadata;

    bool null() override { return scalar("null"); }
    bool boolean(bool) override { return scalar("a boolean"); }
    bool number_integer(number_integer_t v) override { return integer(v < 0 ? -1 : v, v < 0); }
    bool number_unsigned(number_unsigned_t v) override
    {
        if (v > static_cast<number_unsigned_t>(INT64_MAX))
            return integer(-1, false);
        return integer(static_cast<Count>(v), false);
    }
    bool number_float(number_float_t, const string_t&) override
    {
        if (m_state == State::Shape || m_state == State::Offsets)
            return fail(field() + " holds a number that is not an integer");
        return scalar("a number");
    }
    bool string(string_t& s) override
    {
        if (m_skip > 0)
            return true;
        if (m_state == State::Tensor && m_field == "dtype") {
            m_entry.dtype = s;
            m_entry.hasDtype = true;
            return true;
        }
        if (m_state == State::Metadata) {
            metadata[m_field] = s;
            return true;
        }
        return scalar("a string");
    }
    bool binary(binary_t&) override { return scalar("binary data"); }

    bool start_object(std::size_t) override
    {
        if (m_skip > 0) {
            ++m_skip;
            return true;
        }
        switch (m_state) {
        case State::Start:
            m_state = State::Top;
            return true;
        case State::Top:
            if (m_key == "__metadata__") {
                m_state = State::Metadata;
                return true;
            }
            m_entry = Entry {};
            m_entry.name = m_key;
            m_state = State::Tensor;
            return true;
        case State::Tensor:
            if (isKnownField())
                return fail(field() + " is an object");
            m_skip = 1; // an unknown field: its value is skipped whole
            return true;
        default:
            return fail(where() + "is an object where a value was expected");
        }
    }
    bool key(string_t& k) override
    {
        if (m_skip > 0)
            return true;
        if (m_state == State::Top) {
            m_key = k;
        } else {
            m_field = k;
            if (m_state == State::Tensor && isKnownField() && seen(k))
                return fail(field() + " is given twice");
        }
        return true;
    }
    bool end_object() override
    {
        if (m_skip > 0) {
            --m_skip;
            return true;
        }
        if (m_state == State::Tensor) {
            if (!m_entry.hasDtype)
                return fail("tensor " + quote(m_entry.name) + " has no dtype");
            if (!m_entry.hasShape)
                return fail("tensor " + quote(m_entry.name) + " has no shape");
            if (!m_entry.hasOffsets)
                return fail("tensor " + quote(m_entry.name) + " has no data_offsets");
            entries.push_back(std::move(m_entry));
            m_entry = Entry {};
            m_fieldsSeen.clear();
        }
        m_state = m_state == State::Top ? State::Done : State::Top;
        return true;
    }
    bool start_array(std::size_t) override
    {
        if (m_skip > 0) {
            ++m_skip;
            return true;
        }
        if (m_state == State::Tensor && m_field == "shape") {
            m_state = State::Shape;
            m_entry.hasShape = true;
            return true;
        }
        if (m_state == State::Tensor && m_field == "data_offsets") {
            m_state = State::Offsets;
            m_entry.hasOffsets = true;
            return true;
        }
        if (m_state == State::Tensor && !isKnownField()) {
            m_skip = 1;
            return true;
        }
        return scalar("an array");
    }
    bool end_array() override
    {
        if (m_skip > 0) {
            --m_skip;
            return true;
        }
        if (m_state == State::Offsets && m_entry.offsets.size() != 2)
            return fail(field() + " must hold two offsets [begin, end], not " + std::to_string(m_entry.offsets.size()));
        m_state = State::Tensor;
        return true;
    }
    bool parse_error(std::size_t byte, const std::string&, const nlohmann::detail::exception& e) override
    {
        if (!error) {
            std::string what = e.what();
            // "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error …"
            if (auto colon = what.find(": "); colon != std::string::npos)
                what = what.substr(colon + 2);
            error = Error { "", "the header is not valid JSON (byte " + std::to_string(byte) + "): " + what };
        }
        return false;
    }

private:
    enum class State { Start, Top, Tensor, Shape, Offsets, Metadata, Done };

    bool isKnownField() const { return m_field == "dtype" || m_field == "shape" || m_field == "data_offsets"; }
    bool seen(const std::string& k)
    {
        if (std::find(m_fieldsSeen.begin(), m_fieldsSeen.end(), k) != m_fieldsSeen.end())
            return true;
        m_fieldsSeen.push_back(k);
        return false;
    }
    std::string where() const
    {
        if (m_state == State::Start)
            return "the header ";
        if (m_state == State::Top)
            return "tensor " + quote(m_key) + " ";
        if (m_state == State::Metadata)
            return "__metadata__ " + quote(m_field) + " ";
        return field() + " ";
    }
    std::string field() const { return "tensor " + quote(m_entry.name) + ": " + m_field; }

    bool fail(const std::string& message)
    {
        if (!error)
            error = Error { "", message };
        return false;
    }
    bool scalar(const std::string& what)
    {
        if (m_skip > 0)
            return true;
        switch (m_state) {
        case State::Start:
            return fail("the header is not a JSON object (it is " + what + ")");
        case State::Top:
            return fail(
                "tensor " + quote(m_key) + " is " + what + ", not an object with dtype, shape and data_offsets");
        case State::Tensor:
            if (isKnownField())
                return fail(field() + " is " + what);
            return true; // an unknown field: ignored, as the reference reader does
        case State::Metadata:
            return fail("__metadata__ " + quote(m_field) + " is " + what + ", not a string");
        default:
            return fail(field() + " holds " + what + ", not an integer");
        }
    }
    bool integer(Count v, bool negative)
    {
        if (m_skip > 0)
            return true;
        if (m_state != State::Shape && m_state != State::Offsets)
            return scalar("a number");
        auto& list = m_state == State::Shape ? m_entry.shape : m_entry.offsets;
        const auto at = [&] { return field() + "[" + std::to_string(list.size()) + "]"; }; // for messages only
        if (negative)
            return fail(at() + " is negative");
        if (v < 0)
            return fail(at() + " is too large (over 2^63 − 1)");
        if (m_state == State::Offsets && list.size() == 2)
            return fail(field() + " must hold two offsets [begin, end]");
        // A shape has a handful of dimensions; a long one is no tensor (and is not kept).
        if (m_state == State::Shape && list.size() == 64)
            return fail(field() + " has more than 64 dimensions");
        list.push_back(v);
        return true;
    }

    State m_state = State::Start;
    int m_skip = 0;
    std::string m_key, m_field;
    std::vector<std::string> m_fieldsSeen;
    Entry m_entry;
};

std::uint64_t readLength(std::string_view bytes)
{
    std::uint64_t n = 0;
    for (int i = 7; i >= 0; --i)
        n = (n << 8) | static_cast<unsigned char>(bytes[static_cast<std::size_t>(i)]);
    return n;
}

Result<TensorList> fromEntries(HeaderReader& r, Count dataBytes, const std::string& origin)
{
    TensorList list;
    list.files.push_back(origin);
    list.metadata = std::move(r.metadata);
    list.tensors.reserve(r.entries.size());
    std::unordered_map<std::string, std::size_t> names;
    struct Span {
        Count begin, end;
        std::size_t tensor;
    };
    std::vector<Span> spans;
    Count total = 0;
    for (auto& e : r.entries) {
        // Built only for a message: most tensors never need it.
        const auto t = [&e] { return "tensor " + quote(e.name); };
        if (e.name.empty())
            return Error { origin, "a tensor has an empty name" };
        if (!names.emplace(e.name, list.tensors.size()).second)
            return Error { origin, t() + " is given twice" };
        const auto bits = dtypeBits(e.dtype);
        if (!bits)
            return Error { origin, t() + ": unknown dtype " + quote(e.dtype) };
        std::optional<Count> count = 1;
        for (Count d : e.shape)
            count = count ? checkedMul(*count, d) : std::nullopt;
        if (!count)
            return Error { origin, t() + ": the shape's product overflows 64 bits" };
        const auto nbits = checkedMul(*count, *bits);
        if (!nbits || *nbits % 8 != 0)
            return Error { origin,
                t() + ": " + std::to_string(*count) + " values of " + e.dtype + " do not fill whole bytes" };
        const Count begin = e.offsets[0], end = e.offsets[1];
        if (begin > end)
            return Error { origin,
                t() + ": data_offsets [" + std::to_string(begin) + ", " + std::to_string(end)
                    + "] end before they begin" };
        if (end > dataBytes)
            return Error { origin,
                t() + ": data_offsets [" + std::to_string(begin) + ", " + std::to_string(end)
                    + "] lie outside the data section (" + std::to_string(dataBytes) + " bytes)" };
        if (end - begin != *nbits / 8)
            return Error { origin,
                t() + ": data_offsets [" + std::to_string(begin) + ", " + std::to_string(end) + "] hold "
                    + std::to_string(end - begin) + " bytes, but " + e.dtype + " of this shape takes "
                    + std::to_string(*nbits / 8) };
        auto sum = checkedAdd(total, *count);
        if (!sum)
            return Error { origin, t() + ": the values of the file overflow 64 bits" };
        total = *sum;
        if (end > begin)
            spans.push_back({ begin, end, list.tensors.size() });
        list.tensors.push_back({ std::move(e.name), std::move(e.dtype), std::move(e.shape), *count, end - begin, 0 });
    }
    std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.begin < b.begin; });
    for (std::size_t i = 1; i < spans.size(); ++i)
        if (spans[i].begin < spans[i - 1].end)
            return Error { origin,
                "tensors " + quote(list.tensors[spans[i - 1].tensor].name) + " and "
                    + quote(list.tensors[spans[i].tensor].name) + " overlap in the data section" };
    return list;
}

} // namespace

Result<TensorList> parseSafetensors(std::string_view bytes, Count fileSize, const std::string& origin)
{
    if (fileSize < 8 || bytes.size() < 8)
        return Error { origin,
            "truncated: " + std::to_string(fileSize) + " bytes, too short for the 8-byte header length" };
    const std::uint64_t n = readLength(bytes);
    if (n > static_cast<std::uint64_t>(kMaxSafetensorsHeader))
        return Error { origin,
            "header length " + std::to_string(n) + " is over the 100 MB limit (not a safetensors file?)" };
    if (n + 8 > static_cast<std::uint64_t>(fileSize) || n + 8 > bytes.size())
        return Error { origin,
            "truncated: the header length " + std::to_string(n) + " goes beyond the end of the file ("
                + std::to_string(fileSize) + " bytes)" };
    const std::string_view header = bytes.substr(8, n);
    if (header.empty() || header.front() != '{')
        return Error { origin, "the header is not a JSON object (it does not start with '{')" };
    HeaderReader reader;
    const bool parsed = nlohmann::json::sax_parse(header, &reader);
    if (!parsed || reader.error)
        return reader.error.value_or(Error { "", "the header is not valid JSON" }).within(origin);
    auto list = fromEntries(reader, fileSize - 8 - static_cast<Count>(n), origin);
    if (list)
        list->fileBytes = fileSize;
    return list;
}

Result<TensorList> readSafetensors(const std::string& path)
{
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        return Error { path, fs::exists(path, ec) ? "not a regular file" : "no such file" };
    const auto size = fs::file_size(path, ec);
    if (ec || size > static_cast<std::uintmax_t>(INT64_MAX))
        return Error { path, "cannot read its size" };
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return Error { path, "cannot open for reading" };
    std::string bytes(std::min<std::uintmax_t>(size, 8), '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (bytes.size() == 8) {
        // Read the header only once its length is known to fit the file.
        const std::uint64_t n = readLength(bytes);
        if (n <= static_cast<std::uint64_t>(kMaxSafetensorsHeader) && n + 8 <= size) {
            bytes.resize(8 + n);
            in.read(bytes.data() + 8, static_cast<std::streamsize>(n));
            if (static_cast<std::uint64_t>(in.gcount()) != n)
                return Error { path, "could not read the header" };
        }
    }
    return parseSafetensors(bytes, static_cast<Count>(size), path);
}

Result<TensorList> mergeTensorLists(std::vector<TensorList>&& parts)
{
    TensorList all;
    if (parts.empty())
        return all;
    all.format = parts.front().format;
    std::size_t count = 0;
    for (const auto& p : parts)
        count += p.tensors.size();
    all.tensors.reserve(count);
    std::unordered_map<std::string_view, int> names; // name -> file; views into all.tensors' strings
    names.reserve(count);
    Count total = 0;
    for (auto& part : parts) {
        const int offset = static_cast<int>(all.files.size());
        for (auto& f : part.files)
            all.files.push_back(std::move(f));
        for (auto& [k, v] : part.metadata)
            all.metadata.emplace(k, v);
        all.fileBytes = checkedAdd(all.fileBytes, part.fileBytes).value_or(INT64_MAX);
        for (auto& t : part.tensors) {
            t.file += offset;
            const auto sum = checkedAdd(total, t.count);
            if (!sum)
                return Error { all.files[static_cast<std::size_t>(t.file)],
                    "the values of the checkpoint overflow 64 bits (at tensor " + quote(t.name) + ")" };
            total = *sum;
            all.tensors.push_back(std::move(t));
            // reserve() above keeps the strings where they are: the views stay valid.
            const StoredTensor& kept = all.tensors.back();
            if (auto [it, fresh] = names.emplace(kept.name, kept.file); !fresh)
                return Error { all.files[static_cast<std::size_t>(kept.file)],
                    "tensor " + quote(kept.name) + " is also stored in "
                        + all.files[static_cast<std::size_t>(it->second)] };
        }
    }
    return all;
}

Result<TensorList> readSafetensorsIndex(const std::string& path)
{
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec)
        return Error { path, fs::exists(path, ec) ? "cannot read its size" : "no such file" };
    if (size > static_cast<std::uintmax_t>(kMaxSafetensorsHeader))
        return Error { path, "is " + std::to_string(size) + " bytes; an index is at most 100 MB" };
    std::ifstream in(path, std::ios::binary);
    std::string text(size, '\0');
    in.read(text.data(), static_cast<std::streamsize>(size));
    if (!in && !in.eof())
        return Error { path, "cannot read" };
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text);
    } catch (const std::exception& e) {
        return Error { path, std::string("not valid JSON: ") + e.what() };
    }
    if (!j.is_object() || !j.contains("weight_map") || !j["weight_map"].is_object())
        return Error { path, "has no \"weight_map\" object (not a safetensors index)" };
    std::vector<std::string> shards; // in order of first mention
    std::unordered_map<std::string, std::string> where;
    for (const auto& [name, shard] : j["weight_map"].items()) {
        if (!shard.is_string())
            return Error { path, "weight_map " + quote(name) + " is not a file name" };
        const std::string s = shard.get<std::string>();
        if (s.empty() || s.find('/') != std::string::npos || s.find('\\') != std::string::npos || s == "." || s == "..")
            return Error { path, "weight_map " + quote(name) + " names " + quote(s) + ", not a file beside the index" };
        if (std::find(shards.begin(), shards.end(), s) == shards.end())
            shards.push_back(s);
        where.emplace(name, s);
    }
    const fs::path folder = fs::path(path).parent_path();
    std::vector<TensorList> parts;
    parts.reserve(shards.size());
    for (const auto& s : shards) {
        auto shard = readSafetensors((folder / s).string());
        if (!shard)
            return shard.error();
        for (const auto& t : shard->tensors) {
            auto it = where.find(t.name);
            if (it == where.end())
                return Error { (folder / s).string(),
                    "holds tensor " + quote(t.name) + ", which the index does not list" };
            if (it->second != s)
                return Error { (folder / s).string(),
                    "holds tensor " + quote(t.name) + ", which the index puts in " + it->second };
        }
        parts.push_back(std::move(*shard));
    }
    auto merged = mergeTensorLists(std::move(parts));
    if (!merged)
        return merged.error();
    TensorList& all = *merged;
    if (all.tensors.size() != where.size()) {
        std::set<std::string_view> stored;
        for (const auto& t : all.tensors)
            stored.insert(t.name);
        for (const auto& [name, s] : where)
            if (!stored.count(name))
                return Error { path, "lists tensor " + quote(name) + " in " + s + ", which does not hold it" };
    }
    if (j.contains("metadata") && j["metadata"].is_object())
        for (const auto& [k, v] : j["metadata"].items())
            all.metadata.emplace(k, v.is_string() ? v.get<std::string>() : v.dump());
    return merged;
}

} // namespace paramscope::core
