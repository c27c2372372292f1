// SPDX-License-Identifier: MIT
#include "sizing.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace paramscope::core {

namespace {

constexpr Count kMax = INT64_MAX;

struct NamedType {
    std::string_view name;
    Count milliBits;
};
constexpr NamedType kNamedTypes[] = {
    { "fp32", 32000 },
    { "float32", 32000 },
    { "bf16", 16000 },
    { "bfloat16", 16000 },
    { "fp16", 16000 },
    { "float16", 16000 },
    { "fp8", 8000 },
    { "int8", 8000 },
    { "int4", 4000 },
};

std::string lower(std::string_view s)
{
    std::string out(s);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

/// Copies of @p m in the model: its own repeat times those of every enclosing block.
Result<Count> copies(const Module& m, const Evaluation& e)
{
    Count n = 1;
    for (const Module* a = &m; a; a = a->parent) {
        auto v = checkedMul(n, e.nodes[static_cast<std::size_t>(a->index)].repeat);
        if (!v)
            return Error { Design::path(m), "copies overflow 64 bits" };
        n = *v;
    }
    return n;
}

/// The tensors of one copy of leaf @p m: weight elements (0 when tied: stored with its target) and
/// bias elements (0 without a bias).
Result<std::pair<Count, Count>> leafTensors(const Module& m, const NodeValue& v, bool tied)
{
    const auto& a = v.args;
    auto product = [&](std::size_t from, std::size_t to) -> std::optional<Count> {
        Count p = 1;
        for (std::size_t i = from; i < to && i < a.size(); ++i) {
            auto q = checkedMul(p, a[i]);
            if (!q)
                return std::nullopt;
            p = *q;
        }
        return p;
    };
    std::optional<Count> weight;
    Count bias = 0;
    switch (m.kind) {
    case ModuleKind::Embedding:
        weight = product(0, 2);
        break;
    case ModuleKind::Linear:
        weight = product(0, 2);
        bias = m.bias ? a[1] : 0;
        break;
    case ModuleKind::Conv1D:
        weight = product(0, 2);
        bias = a[0];
        break;
    case ModuleKind::LayerNorm:
        weight = a[0];
        bias = m.bias ? a[0] : 0;
        break;
    case ModuleKind::RMSNorm:
        weight = a[0];
        break;
    case ModuleKind::Conv2d: {
        weight = product(0, 3);
        if (weight)
            weight = checkedMul(*weight, a[2]);
        bias = m.bias ? a[1] : 0;
        break;
    }
    case ModuleKind::Parameter:
        weight = product(0, a.size());
        break;
    case ModuleKind::Conv1d: {
        if (a[3] <= 0 || a[0] % a[3] != 0)
            return Error { Design::path(m), "in is not divisible by groups" };
        weight = checkedMul(a[1], a[0] / a[3]);
        if (weight)
            weight = checkedMul(*weight, a[2]);
        bias = m.bias ? a[1] : 0;
        break;
    }
    case ModuleKind::Container:
        weight = 0;
        break;
    }
    if (!weight)
        return Error { Design::path(m), "the weight overflows 64 bits" };
    return std::pair { tied ? Count(0) : *weight, bias };
}

/// @p e (an expression of the design's symbols) at the evaluated values.
Result<Count> evaluateIn(const Design& design, const Evaluation& e, const Expr& expression, const std::string& where)
{
    Expr bound = expression;
    if (auto st = bound.bind([&](const std::string& n) { return design.symbolIndex(n); }); !st)
        return st.error().within(where);
    auto v = bound.evaluate(e.symbols);
    if (!v)
        return v.error().within(where);
    if (*v < 0)
        return Error { where, "is negative (" + std::to_string(*v) + ")" };
    return *v;
}

/// The first leaf named one of @p names in @p m's subtree (pre-order), or nullptr.
const Module* findLeaf(const Module& m, std::initializer_list<std::string_view> names)
{
    for (const auto& c : m.children) {
        if (c->isLeaf() && std::find(names.begin(), names.end(), c->name) != names.end())
            return c.get();
        if (!c->isLeaf())
            if (const Module* f = findLeaf(*c, names))
                return f;
    }
    return nullptr;
}

const std::vector<Count>& argsOf(const Module& m, const Evaluation& e)
{
    return e.nodes[static_cast<std::size_t>(m.index)].args;
}

/// A Linear's output width, or nullopt for anything else.
std::optional<Count> linearOut(const Module* m, const Evaluation& e)
{
    if (!m || m->kind != ModuleKind::Linear)
        return std::nullopt;
    return argsOf(*m, e)[1];
}

/// Two thirds of a fused q/k/v width (k and v of equal q, k, v parts), exactly.
Result<Count> twoThirds(Count width, const Module& m)
{
    if (width % 3 != 0)
        return Error { Design::path(m), "fused q/k/v width " + std::to_string(width) + " is not divisible by 3" };
    return width / 3 * 2;
}

/// Elements cached per token per layer by attention @p m, from its kv spec or its projections.
Result<Count> cacheOf(const Design& design, const Evaluation& e, const Module& m)
{
    const std::string where = Design::path(m);
    if (!m.kv.cache.isEmpty())
        return evaluateIn(design, e, m.kv.cache, where + ": kv cache");
    const Module* k = findLeaf(m, { "k_proj", "key" });
    const Module* v = findLeaf(m, { "v_proj", "value" });
    if (auto ko = linearOut(k, e), vo = linearOut(v, e); ko && vo) {
        auto sum = checkedAdd(*ko, *vo);
        if (!sum)
            return Error { where, "the KV width overflows 64 bits" };
        return *sum;
    }
    if (const Module* c = findLeaf(m, { "c_attn" }); c && c->kind == ModuleKind::Conv1D)
        return twoThirds(argsOf(*c, e)[0], *c); // GPT-2: Conv1D(nf = 3E, nx = E), q, k, v split equally
    if (auto qkv = linearOut(findLeaf(m, { "query_key_value" }), e))
        return twoThirds(*qkv, m);
    const Module* qkv = findLeaf(m, { "qkv_proj" });
    const Module* o = findLeaf(m, { "o_proj" });
    if (linearOut(qkv, e) && linearOut(o, e)) {
        // Phi-3: q (H·D, o_proj's input), then k and v.
        const Count rest = argsOf(*qkv, e)[1] - argsOf(*o, e)[0];
        if (rest < 0)
            return Error { where, "qkv_proj is narrower than o_proj's input" };
        return rest;
    }
    return Error { where,
        "cannot tell what this attention caches per token (no k_proj/v_proj, key/value, c_attn, query_key_value "
        "or qkv_proj); give it \"kv\": {\"cache\": …}" };
}

/// Kaplan's d_attn: the width the output projection takes in, else the query's.
Count attentionWidth(const Evaluation& e, const Module& m, Count cache)
{
    for (const auto& c : m.children) {
        if (c->kind == ModuleKind::Linear
            && (c->name == "o_proj" || c->name == "out_proj" || c->name == "dense" || c->name == "o"))
            return argsOf(*c, e)[0];
        if (c->kind == ModuleKind::Conv1D && c->name == "c_proj")
            return argsOf(*c, e)[1];
    }
    if (auto q = linearOut(findLeaf(m, { "q_proj", "query", "q" }), e))
        return *q;
    return cache / 2;
}

std::string decimals(Wide numerator, Wide denominator)
{
    // Two decimals, rounded half up, exactly (no floating point).
    const Wide hundredths = (numerator * 100 + denominator / 2) / denominator;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%lld.%02lld", static_cast<long long>(hundredths / 100),
        static_cast<long long>(hundredths % 100));
    return buf;
}

} // namespace

Result<DataType> parseDataType(std::string_view text)
{
    const std::string t = lower(text);
    for (const auto& n : kNamedTypes)
        if (t == n.name)
            return DataType { std::string(n.name), n.milliBits };
    std::string number = t;
    if (number.ends_with("bpw"))
        number = number.substr(0, number.size() - 3);
    while (!number.empty() && number.back() == ' ')
        number.pop_back();
    const std::string accepted = "expected fp32, bf16, fp16, fp8, int8, int4 or bits per weight such as 4.5 "
                                 "(more than 0, at most 64, up to three decimals)";
    // Whole part, then up to three decimals: thousandths of a bit, exactly.
    Count milli = 0;
    int decimalsSeen = -1;
    if (number.empty())
        return Error { "", "'" + std::string(text) + "': " + accepted };
    for (char c : number) {
        if (c == '.' && decimalsSeen < 0) {
            decimalsSeen = 0;
            continue;
        }
        if (!std::isdigit(static_cast<unsigned char>(c)) || decimalsSeen >= 3 || milli > 64000)
            return Error { "", "'" + std::string(text) + "': " + accepted };
        milli = milli * 10 + (c - '0');
        if (decimalsSeen >= 0)
            ++decimalsSeen;
    }
    if (number == ".")
        return Error { "", "'" + std::string(text) + "': " + accepted };
    for (int i = std::max(decimalsSeen, 0); i < 3; ++i)
        milli *= 10;
    if (milli <= 0 || milli > 64000)
        return Error { "", "'" + std::string(text) + "': " + accepted };
    std::string name = number + " bpw";
    return DataType { name, milli };
}

Result<Count> tensorBytes(Count elements, const DataType& t)
{
    const Wide bits = static_cast<Wide>(elements) * t.milliBits; // < 2^63 · 2^16: fits
    const Wide bytes = (bits + 7999) / 8000;
    if (bytes > kMax)
        return Error { "", "the bytes overflow 64 bits" };
    return static_cast<Count>(bytes);
}

Result<WeightMemory> weightMemory(const Design& design, const Evaluation& e, const DataType& dtype)
{
    WeightMemory w;
    w.dtype = dtype;
    const auto kinds = components(design);
    const auto& ties = design.ties();
    for (const Module* m : design.nodes()) {
        if (!m->isLeaf())
            continue;
        const auto i = static_cast<std::size_t>(m->index);
        const NodeValue& v = e.nodes[i];
        auto tensors = leafTensors(*m, v, i < ties.size() && ties[i] >= 0);
        if (!tensors)
            return tensors.error();
        // The count must be what evaluate() counted: a layout this code does not know is an error.
        if (tensors->first + tensors->second != v.each)
            return Error { Design::path(*m), "weight and bias sizes do not add up to its count" };
        auto n = copies(*m, e);
        if (!n)
            return n.error();
        Count bytes = 0;
        for (Count elements : { tensors->first, tensors->second }) {
            if (elements == 0)
                continue;
            auto b = tensorBytes(elements, dtype);
            auto all = b ? checkedMul(*b, *n) : std::nullopt;
            auto sum = all ? checkedAdd(bytes, *all) : std::nullopt;
            auto t = checkedAdd(w.tensors, *n);
            if (!sum || !t)
                return Error { Design::path(*m), "the weights' bytes overflow 64 bits" };
            bytes = *sum;
            w.tensors = *t;
        }
        Count& part = w.byComponent[static_cast<std::size_t>(kinds[i])];
        auto p = checkedAdd(part, bytes);
        auto total = checkedAdd(w.bytes, bytes);
        if (!p || !total)
            return Error { "weights", "the bytes overflow 64 bits" };
        part = *p;
        w.bytes = *total;
    }
    return w;
}

Result<std::vector<AttentionGroup>> attentionGroups(const Design& design, const Evaluation& e)
{
    std::vector<AttentionGroup> groups;
    const auto kinds = components(design);
    auto kindOf = [&](const Module& m) { return kinds[static_cast<std::size_t>(m.index)]; };
    auto add = [&](AttentionGroup g) -> Status {
        if (g.layers == 0)
            return Ok {};
        for (auto& o : groups) {
            if (o.path == g.path && o.cache == g.cache && o.uncompressed == g.uncompressed && o.window == g.window
                && o.dAttn == g.dAttn) {
                auto sum = checkedAdd(o.layers, g.layers);
                if (!sum)
                    return Error { g.path, "layers overflow 64 bits" };
                o.layers = *sum;
                return Ok {};
            }
        }
        groups.push_back(std::move(g));
        return Ok {};
    };
    for (const Module* m : design.nodes()) {
        if (m->isLeaf() || kindOf(*m) != Component::Attention)
            continue;
        if (m->parent && kindOf(*m->parent) == Component::Attention)
            continue; // inside an attention module already counted
        if (m->name == "crossattention")
            continue; // caches the encoder's states, whose length is not the context
        const std::string where = Design::path(*m);
        auto cache = cacheOf(design, e, *m);
        if (!cache)
            return cache.error();
        AttentionGroup g;
        g.path = where;
        g.cache = *cache;
        g.uncompressed = *cache;
        if (!m->kv.uncompressed.isEmpty()) {
            auto u = evaluateIn(design, e, m->kv.uncompressed, where + ": kv uncompressed");
            if (!u)
                return u.error();
            g.uncompressed = *u;
        }
        g.dAttn = attentionWidth(e, *m, *cache);
        auto n = copies(*m, e);
        if (!n)
            return n.error();
        if (m->kv.window.isEmpty()) {
            g.layers = *n;
            if (auto st = add(g); !st)
                return st.error();
            continue;
        }
        auto window = evaluateIn(design, e, m->kv.window, where + ": kv window");
        if (!window)
            return window.error();
        g.window = *window;
        if (g.window == 0)
            return Error { where + ": kv window", "is 0 (a window holds at least one token)" };
        if (m->kv.fullEvery.isEmpty()) {
            g.layers = *n;
            if (auto st = add(g); !st)
                return st.error();
            continue;
        }
        auto every = evaluateIn(design, e, m->kv.fullEvery, where + ": kv full_every");
        if (!every)
            return every.error();
        if (*every == 0)
            return Error { where + ": kv full_every", "is 0" };
        // Layer l of the list (the nearest repeated block: its copies are layers first, first + 1, …)
        // attends fully when (l + 1) % every == 0: floor((first + n) / every) − floor(first / every)
        // of its n copies; copies of blocks further out multiply both kinds.
        const Module* list = m;
        while (list && !list->isRepeated())
            list = list->parent;
        Count first = 0, run = 1, outer = *n;
        if (list) {
            const NodeValue& lv = e.nodes[static_cast<std::size_t>(list->index)];
            first = lv.first;
            run = lv.repeat;
            outer = *n / run; // n is a multiple of the run (its copies times those above)
        }
        const Count full = (first + run) / *every - first / *every; // first + run <= L: no overflow
        AttentionGroup windowed = g;
        windowed.layers = (run - full) * outer; // at most n
        g.window = 0;
        g.layers = full * outer;
        if (auto st = add(windowed); !st)
            return st.error();
        if (auto st = add(g); !st)
            return st.error();
    }
    return groups;
}

Result<std::vector<AttentionGroup>> crossAttentionGroups(const Design& design, const Evaluation& e)
{
    std::vector<AttentionGroup> groups;
    const auto kinds = components(design);
    auto kindOf = [&](const Module& m) { return kinds[static_cast<std::size_t>(m.index)]; };
    for (const Module* m : design.nodes()) {
        if (m->isLeaf() || kindOf(*m) != Component::CrossAttention)
            continue;
        if (m->parent && kindOf(*m->parent) == Component::CrossAttention)
            continue; // inside a cross-attention module already counted
        auto cache = cacheOf(design, e, *m);
        if (!cache)
            return cache.error();
        auto n = copies(*m, e);
        if (!n)
            return n.error();
        if (*n == 0)
            continue;
        AttentionGroup g;
        g.path = Design::path(*m);
        g.layers = *n;
        g.cache = g.uncompressed = *cache;
        g.dAttn = attentionWidth(e, *m, *cache);
        // Runs of one stack (T5's first layer, then the others) are one group.
        auto same = std::find_if(groups.begin(), groups.end(),
            [&](const AttentionGroup& o) { return o.path == g.path && o.cache == g.cache && o.dAttn == g.dAttn; });
        if (same == groups.end()) {
            groups.push_back(std::move(g));
            continue;
        }
        auto sum = checkedAdd(same->layers, g.layers);
        if (!sum)
            return Error { g.path, "layers overflow 64 bits" };
        same->layers = *sum;
    }
    return groups;
}

Result<std::vector<StateGroup>> stateGroups(const Design& design, const Evaluation& e)
{
    std::vector<StateGroup> groups;
    for (const Module* m : design.nodes()) {
        if (m->isLeaf() || m->kv.state.isEmpty())
            continue;
        const std::string where = Design::path(*m);
        auto elements = evaluateIn(design, e, m->kv.state, where + ": kv state");
        if (!elements)
            return elements.error();
        auto n = copies(*m, e);
        if (!n)
            return n.error();
        if (*n > 0)
            groups.push_back({ where, *n, *elements });
    }
    return groups;
}

Result<Count> stateBytes(const std::vector<StateGroup>& groups, Count batch, const DataType& t)
{
    std::vector<AttentionGroup> asCache;
    for (const auto& g : groups) {
        AttentionGroup a;
        a.layers = g.layers;
        a.cache = a.uncompressed = g.elements;
        asCache.push_back(a);
    }
    // One "token" of a whole-context cache: layers × elements × batch, the same sum and rounding.
    auto bytes = kvCacheBytes(asCache, 1, batch, t);
    if (!bytes)
        return Error { "", "the SSM state's bytes overflow 64 bits" };
    return bytes;
}

Result<Count> kvCacheBytes(
    const std::vector<AttentionGroup>& groups, Count context, Count batch, const DataType& t, bool uncompressed)
{
    const Error overflow { "", "the KV cache's bytes overflow 64 bits" };
    Wide bits = 0;
    for (const auto& g : groups) {
        const Count tokens = g.window > 0 ? std::min(context, g.window) : context;
        auto values = checkedMul(g.layers, uncompressed ? g.uncompressed : g.cache);
        values = values ? checkedMul(*values, tokens) : std::nullopt;
        values = values ? checkedMul(*values, batch) : std::nullopt;
        if (!values)
            return overflow;
        bits += static_cast<Wide>(*values) * t.milliBits; // each term < 2^79; a few of them
        if (bits > static_cast<Wide>(kMax) * 8000)
            return overflow;
    }
    return static_cast<Count>((bits + 7999) / 8000);
}

Result<TrainingMemory> trainingMemory(Count parameters, int zeroStage, Count devices)
{
    if (zeroStage < 0 || zeroStage > 3)
        return Error { "--zero", "ZeRO stage must be 0, 1, 2 or 3" };
    if (devices < 1)
        return Error { "--devices", "must be at least 1" };
    TrainingMemory t;
    t.parameters = parameters;
    t.zeroStage = zeroStage;
    t.devices = devices;
    auto total = checkedMul(parameters, 16);
    if (!total)
        return Error { "training", "16 bytes per parameter overflow 64 bits" };
    t.total = *total;
    // Ceiling division written so that it cannot overflow: bytes + devices - 1 did, for the huge
    // device counts trainingDevices() tries (found by fuzz_design).
    auto shard
        = [&](Count bytes, bool sharded) { return sharded ? bytes / devices + (bytes % devices != 0 ? 1 : 0) : bytes; };
    // 16P fits, so 2P and 12P do too.
    t.weights = shard(2 * parameters, zeroStage >= 3);
    t.gradients = shard(2 * parameters, zeroStage >= 2);
    t.optimizer = shard(12 * parameters, zeroStage >= 1);
    t.perDevice = t.weights + t.gradients + t.optimizer;
    return t;
}

std::optional<Count> trainingDevices(Count parameters, int zeroStage, Count deviceBytes)
{
    auto perDevice = [&](Count n) -> std::optional<Count> {
        auto t = trainingMemory(parameters, zeroStage, n);
        return t ? std::optional<Count>(t->perDevice) : std::nullopt;
    };
    const auto one = perDevice(1);
    if (!one)
        return std::nullopt;
    if (*one <= deviceBytes)
        return 1;
    if (zeroStage == 0)
        return std::nullopt;
    // Per-device bytes only fall as devices are added, down to the unsharded states.
    const Count cap = Count(1) << 62;
    const auto atCap = perDevice(cap);
    if (!atCap || *atCap > deviceBytes)
        return std::nullopt;
    Count lo = 1, hi = cap; // fits(hi), !fits(lo)
    while (hi - lo > 1) {
        const Count mid = lo + (hi - lo) / 2;
        const auto b = perDevice(mid);
        if (b && *b <= deviceBytes)
            hi = mid;
        else
            lo = mid;
    }
    return hi;
}

Count largestFitting(Count cap, const std::function<bool(Count)>& fits)
{
    if (cap < 1 || !fits(1))
        return 0;
    if (fits(cap))
        return cap;
    Count lo = 1, hi = cap; // fits(lo), !fits(hi)
    while (hi - lo > 1) {
        const Count mid = lo + (hi - lo) / 2;
        (fits(mid) ? lo : hi) = mid;
    }
    return lo;
}

std::string gibText(Count bytes)
{
    return decimals(bytes, Wide(1) << 30) + " GiB";
}

std::string gbText(Count bytes)
{
    return decimals(bytes, 1000000000) + " GB";
}

std::string binaryBytesText(Count bytes)
{
    if (bytes >= Count(1) << 30)
        return gibText(bytes);
    if (bytes >= Count(1) << 20)
        return decimals(bytes, Wide(1) << 20) + " MiB";
    if (bytes >= Count(1) << 10)
        return decimals(bytes, Wide(1) << 10) + " KiB";
    return std::to_string(bytes) + " B";
}

std::string decimalBytesText(Count bytes)
{
    if (bytes >= 1000000000)
        return gbText(bytes);
    if (bytes >= 1000000)
        return decimals(bytes, 1000000) + " MB";
    if (bytes >= 1000)
        return decimals(bytes, 1000) + " kB";
    return std::to_string(bytes) + " B";
}

Result<Count> parseMemorySize(std::string_view text)
{
    std::string t = lower(text);
    t.erase(std::remove(t.begin(), t.end(), ' '), t.end());
    Count unit = 1;
    for (auto [suffix, factor] : { std::pair { "gib", Count(1) << 30 }, { "tib", Count(1) << 40 },
             { "mib", Count(1) << 20 }, { "gb", Count(1000000000) }, { "tb", Count(1000000000000) },
             { "mb", Count(1000000) }, { "b", Count(1) } }) {
        if (t.ends_with(suffix)) {
            t = t.substr(0, t.size() - std::string_view(suffix).size());
            unit = factor;
            break;
        }
    }
    const Error bad { "", "'" + std::string(text) + "' is not a memory size such as 24GB, 80GB or 24GiB" };
    if (t.empty() || t.size() > 18
        || !std::all_of(t.begin(), t.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
        return bad;
    const auto bytes = checkedMul(std::stoll(t), unit);
    if (!bytes)
        return Error { "", "'" + std::string(text) + "' overflows 64 bits" };
    if (*bytes <= 0)
        return Error { "", "'" + std::string(text) + "' is not positive" };
    return *bytes;
}

} // namespace paramscope::core
