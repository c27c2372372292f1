// SPDX-License-Identifier: MIT
#include "blocks.h"

#include "checked.h"
#include "overrides.h"
#include "reader.h"

#include <algorithm>
#include <numeric>

namespace paramscope::core::hf {

Result<DecoderSymbols> declareDecoderSymbols(Design& design, HfConfig& config, const DecoderDefaults& defaults)
{
    HfReader r(config, design);
    DesignBuilder& b = r.builder();
    DecoderSymbols s;
    s.V = r.symbol("V", "vocab_size", defaults.vocab, "vocabulary size");
    // Rotary positions have no parameters, but the context length is part of the design a reader
    // sizes (and a slider the app always shows), so it is declared when the config gives it.
    if (config.hasValue("max_position_embeddings") || defaults.positions)
        s.P = r.symbol("P", "max_position_embeddings", defaults.positions, "context length (rotary)");
    s.E = r.symbol("E", "hidden_size", defaults.hidden, "width (hidden size)");
    s.H = r.symbol("H", "num_attention_heads", defaults.heads, "attention heads");
    s.L = r.symbol("L", "num_hidden_layers", defaults.layers, "layers");

    // num_key_value_heads: absent takes the class default (when it has one); null means H.
    const bool kvNull = r.isNull("num_key_value_heads");
    if (kvNull || (!config.has("num_key_value_heads") && !defaults.kvHeads)) {
        b.derive("K", "H", config.name("num_key_value_heads"), "key/value heads");
        design.notes.push_back(config.name("num_key_value_heads") + (kvNull ? " is null" : " is absent")
            + ": K = H (one key/value head per query head), as the config class sets it");
        s.K = s.H;
    } else {
        s.K = r.symbol("K", "num_key_value_heads", defaults.kvHeads, "key/value heads");
    }

    // head_dim: absent takes the class default (when it has one); null or 0 means E/H, which the
    // modeling code computes as `config.head_dim or hidden_size // num_attention_heads`.
    bool derivedHeadDim = false;
    if (config.hasValue("head_dim")) {
        // Read with minimum 0 (0 is allowed and means E/H), declared with the usual minimum 1.
        s.D = r.integer("head_dim", std::nullopt, 0);
        if (s.D > 0)
            b.set("D", s.D, config.name("head_dim"), "head dimension");
        else
            derivedHeadDim = true;
    } else if (!config.has("head_dim") && defaults.headDim) {
        s.D = r.symbol("D", "head_dim", defaults.headDim, "head dimension");
    } else {
        derivedHeadDim = true;
    }
    if (derivedHeadDim) {
        b.derive("D", "E/H", config.name("head_dim"), "head dimension");
        b.check("E/H", config.name("num_attention_heads") + " must divide " + config.name("hidden_size"));
        design.notes.push_back(config.name("head_dim") + (config.has("head_dim") ? " is null or 0" : " is absent")
            + ": D = E/H (hidden_size / num_attention_heads), as the modeling code computes it");
        s.D = s.E / s.H; // H >= 1 even after an error: a failed read gives its fallback or 1
    }

    if (defaults.intermediateField)
        s.F = r.symbol("F", "intermediate_size", defaults.intermediate, "MLP width (intermediate size)");
    b.check("H/K", config.name("num_key_value_heads") + " must divide " + config.name("num_attention_heads"));
    return r.result(s);
}

Module* baseModel(Design& design, const std::string& className, bool wrapped, std::string name, std::string modelClass)
{
    design.root = container("", className);
    return wrapped ? design.root->add(container(std::move(name), std::move(modelClass))) : design.root.get();
}

std::unique_ptr<Module> linear(std::string name, const std::string& in, const std::string& out, bool bias)
{
    return leaf(ModuleKind::Linear, std::move(name), { in, out }, bias);
}

std::unique_ptr<Module> rmsNorm(std::string name, std::string type, const std::string& dim)
{
    auto m = leaf(ModuleKind::RMSNorm, std::move(name), { dim });
    m->type = std::move(type);
    return m;
}

std::unique_ptr<Module> layerNorm(std::string name, const std::string& dim, bool bias, std::string type)
{
    auto m = leaf(ModuleKind::LayerNorm, std::move(name), { dim }, bias);
    m->type = std::move(type);
    return m;
}

std::unique_ptr<Module> moduleList(std::string name)
{
    return container(std::move(name), "ModuleList");
}

std::unique_ptr<Module> repeated(std::unique_ptr<Module> m, const std::string& repeat, const std::string& active)
{
    m->name.clear();
    m->repeat = expr(repeat);
    if (!active.empty())
        m->activeRepeat = expr(active);
    return m;
}

std::unique_ptr<Module> llamaAttention(std::string name, const AttentionSpec& spec)
{
    auto a = container(std::move(name), spec.type);
    a->role = "attention";
    a->add(linear("q_proj", "E", "H*D", spec.qkvBias));
    a->add(linear("k_proj", "E", "K*D", spec.qkvBias));
    a->add(linear("v_proj", "E", "K*D", spec.qkvBias));
    a->add(linear(spec.outName, "H*D", "E", spec.outBias));
    if (!spec.qkNormType.empty()) {
        a->add(rmsNorm("q_norm", spec.qkNormType, "D"));
        a->add(rmsNorm("k_norm", spec.qkNormType, "D"));
    }
    return a;
}

std::unique_ptr<Module> gatedMlp(
    std::string name, std::string type, const std::string& in, const std::string& hidden, bool bias)
{
    auto m = container(std::move(name), std::move(type));
    m->role = "mlp";
    m->add(linear("gate_proj", in, hidden, bias));
    m->add(linear("up_proj", in, hidden, bias));
    m->add(linear("down_proj", hidden, in, bias));
    return m;
}

std::unique_ptr<Module> plainMlp(std::string name, std::string type, const std::string& in, const std::string& hidden,
    bool bias, std::string fc1, std::string fc2)
{
    auto m = container(std::move(name), std::move(type));
    m->role = "mlp";
    m->add(linear(std::move(fc1), in, hidden, bias));
    m->add(linear(std::move(fc2), hidden, in, bias));
    return m;
}

void addLmHead(Design& /*design*/, Module& parent, bool tied, const std::string& embeddingPath)
{
    auto head = linear("lm_head", "E", "V", false);
    if (tied)
        head->tiedTo = embeddingPath; // the note follows from the tie: Design::allNotes()
    parent.add(std::move(head));
}

void LayerPattern::append(int kind, Count count)
{
    if (count <= 0)
        return;
    if (!m_runs.empty() && m_runs.back().group.size() == 1 && m_runs.back().group[0].first == kind) {
        m_runs.back().group[0].second += count; // counts stay below L, which fits
        return;
    }
    m_runs.push_back({ { { kind, count } }, 1 });
}

void LayerPattern::appendPeriod(const std::vector<std::pair<int, Count>>& group, Count times)
{
    if (times <= 0)
        return;
    if (times == 1 || group.size() == 1) {
        for (const auto& [kind, count] : group)
            append(kind, count * times); // one kind: times × count layers, at most L
        return;
    }
    m_runs.push_back({ group, times });
}

void LayerPattern::appendRule(Count from, Count to, Count period, Count residue, int special, int base)
{
    if (from >= to)
        return;
    if (period == 1) {
        append(special, to - from);
        return;
    }
    // The first special layer at or after from; from there the pattern repeats every period layers.
    // (Both terms lie in [0, period), so neither the difference nor the sum overflows.)
    Count offset = residue - from % period;
    if (offset < 0)
        offset += period;
    if (offset >= to - from) {
        append(base, to - from);
        return;
    }
    const Count first = from + offset;
    append(base, offset);
    appendPeriod({ { special, 1 }, { base, period - 1 } }, (to - first) / period);
    if (const Count tail = (to - first) % period; tail > 0) {
        append(special, 1);
        append(base, tail - 1);
    }
}

std::vector<std::pair<int, Count>> LayerPattern::plainRuns() const
{
    std::vector<std::pair<int, Count>> out;
    for (const auto& r : m_runs) {
        if (r.group.size() != 1)
            return {};
        out.push_back(r.group[0]);
    }
    return out;
}

bool LayerPattern::contains(int kind) const
{
    for (const auto& r : m_runs)
        for (const auto& [k, n] : r.group)
            if (k == kind)
                return true;
    return false;
}

std::vector<LayerRun> LayerPattern::runs() const
{
    std::vector<LayerRun> out;
    for (const auto& r : m_runs) {
        if (r.group.size() == 1) {
            out.push_back({ r.group[0].first, std::to_string(r.group[0].second), {} });
            continue;
        }
        LayerRun p { 0, std::to_string(r.times), {} };
        for (const auto& [kind, count] : r.group)
            p.period.push_back({ kind, std::to_string(count), {} });
        out.push_back(std::move(p));
    }
    return out;
}

void addLayerRuns(
    Module& list, const std::vector<LayerRun>& runs, const std::function<std::unique_ptr<Module>(int)>& make)
{
    for (const auto& run : runs) {
        if (run.period.empty()) {
            list.add(repeated(make(run.kind), run.repeat));
            continue;
        }
        // Not a class of the model: shown as what it is, "2 x period of 3 layers".
        Count layers = 0; // a period's runs are literal and together shorter than the stack
        for (const auto& r : run.period) {
            auto e = Expr::parse(r.repeat);
            const auto n = e ? e->constantValue() : std::nullopt;
            layers = n && layers >= 0 ? layers + *n : -1;
        }
        auto group = container("", layers > 0 ? "period of " + std::to_string(layers) + " layers" : "period");
        addLayerRuns(*group, run.period, make);
        list.add(repeated(std::move(group), run.repeat));
    }
}

LayerCycle::LayerCycle(int kind)
    : LayerCycle(std::vector<std::pair<int, Count>> { { kind, 1 } })
{
}

LayerCycle::LayerCycle(const std::vector<std::pair<int, Count>>& runs)
{
    m_starts.push_back(0);
    for (const auto& [kind, count] : runs) {
        if (count <= 0)
            continue;
        if (!m_runs.empty() && m_runs.back().first == kind) {
            m_runs.back().second += count; // a period's runs sum to at most the stack's length
        } else {
            m_runs.emplace_back(kind, count);
            m_starts.push_back(m_starts.back());
        }
        m_starts.back() += count;
    }
    if (m_runs.size() <= 1) { // one kind (or none given): a period of one layer, never walked layer by layer
        const int kind = m_runs.empty() ? 0 : m_runs[0].first;
        m_runs = { { kind, 1 } };
        m_starts = { 0, 1 };
    }
}

LayerCycle LayerCycle::every(Count n, int base, int special)
{
    return LayerCycle(std::vector<std::pair<int, Count>> { { base, n - 1 }, { special, 1 } });
}

std::size_t LayerCycle::runAt(Count offset) const
{
    // The last run starting at or before offset (m_starts[0] = 0 <= offset < period()).
    const auto it = std::upper_bound(m_starts.begin(), m_starts.end() - 1, offset);
    return static_cast<std::size_t>(it - m_starts.begin()) - 1;
}

int LayerCycle::kindAt(Count layer) const
{
    return m_runs[runAt(layer % period())].first;
}

void LayerCycle::appendSlice(LayerPattern& pattern, Count from, Count to) const
{
    for (std::size_t i = runAt(from); i < m_runs.size() && m_starts[i] < to; ++i)
        pattern.append(m_runs[i].first, std::min(to, m_starts[i + 1]) - std::max(from, m_starts[i]));
}

void LayerCycle::appendTo(LayerPattern& pattern, Count from, Count to) const
{
    if (from >= to)
        return;
    const Count p = period();
    if (const Count offset = from % p; offset != 0 || to - from < p) {
        // The partial period at the start (the differences below stay within [0, L]).
        const Count end = to - from >= p - offset ? p : offset + (to - from);
        appendSlice(pattern, offset, end);
        from += end - offset;
    }
    const Count whole = (to - from) / p;
    pattern.appendPeriod(m_runs, whole);
    from += whole * p; // at most to
    if (from < to)
        appendSlice(pattern, 0, to - from);
}

std::optional<LayerCycle> LayerCycle::product(
    const LayerCycle& a, const LayerCycle& b, Count length, std::size_t maxRuns)
{
    // Walks both cycles boundary by boundary. Adjacent runs of a cycle differ in kind, so (nearly)
    // every boundary starts a new run of the product: the walk stops soon after maxRuns. A cycle of
    // one kind has no boundary at all (else a period of one layer would be walked layer by layer).
    std::vector<std::pair<int, Count>> out;
    std::size_t i = 0, j = 0;
    Count leftA = a.m_runs.size() == 1 ? length : a.m_runs[0].second;
    Count leftB = b.m_runs.size() == 1 ? length : b.m_runs[0].second;
    for (Count at = 0; at < length;) {
        const Count n = std::min({ leftA, leftB, length - at });
        const int kind = 2 * a.m_runs[i].first + b.m_runs[j].first;
        if (!out.empty() && out.back().first == kind)
            out.back().second += n;
        else
            out.emplace_back(kind, n);
        if (out.size() > maxRuns)
            return std::nullopt;
        at += n;
        if ((leftA -= n) == 0) {
            i = (i + 1) % a.m_runs.size();
            leftA = a.m_runs[i].second;
        }
        if ((leftB -= n) == 0) {
            j = (j + 1) % b.m_runs.size();
            leftB = b.m_runs[j].second;
        }
    }
    return LayerCycle(out);
}

Result<std::vector<LayerRun>> layerRuns(DesignBuilder& b, const HfConfig& config, const LayerRule& rule, Count layers)
{
    const LayerCycle& cycle = rule.cycle;
    const Count q = cycle.period();
    if (!rule.literal) {
        if (q == 1)
            return std::vector<LayerRun> { { cycle.kindAt(0), "L", {} } };
        // Whole cycles as periods in L, then the first L mod q layers of one: expressed in L for
        // every L with this remainder, which a check requires.
        const Count rest = layers % q;
        const std::string n = std::to_string(q), rs = std::to_string(rest);
        const std::string periods = rest == 0 ? "L/" + n : "(L - " + rs + ")/" + n;
        LayerRun period { 0, periods, {} };
        for (const auto& [kind, count] : cycle.runs())
            period.period.push_back({ kind, std::to_string(count), {} });
        std::vector<LayerRun> runs { std::move(period) };
        LayerPattern tail;
        cycle.appendTo(tail, 0, rest);
        for (auto& run : tail.runs())
            runs.push_back(std::move(run));
        const std::string layersField = config.name("num_hidden_layers");
        const std::string divisor = rule.together ? n : rule.names;
        const std::string why = rule.together ? rule.names + " repeat together every " + n + " layers"
                                              : "the layer pattern repeats every " + n + " layers";
        b.check(periods,
            rest == 0 ? layersField + " must be a multiple of " + divisor + ": " + why
                    + " (import the config again for another layer count)"
                      : layersField + " must leave the remainder " + rs + " when divided by " + divisor + ": " + why
                    + " and this import ends with " + rs + " of them (import the config again for another remainder)");
        return runs;
    }
    // Literal: the cycle up to each listed dense layer, that layer, and so on, built per run.
    const auto& listed = rule.dense;
    const auto dense = [&](Count l) { return cycle.kindAt(l) - cycle.kindAt(l) % 2; };
    LayerPattern pattern;
    Count from = 0;
    for (std::size_t i = 0; i < listed.size();) {
        cycle.appendTo(pattern, from, listed[i]);
        pattern.append(dense(listed[i]), 1);
        from = listed[i] + 1;
        // Listed layers an equal gap apart, with the same layers between each two (the gap a
        // multiple of the cycle), make one period repeated: list(range(0, 100000, 2)) is two runs.
        std::size_t j = i + 1;
        if (j < listed.size()) {
            const Count gap = listed[j] - listed[i];
            while (j + 1 < listed.size() && listed[j + 1] - listed[j] == gap)
                ++j;
            LayerPattern between;
            cycle.appendTo(between, from, from + gap - 1);
            auto group = between.plainRuns();
            if (j > i + 1 && gap % q == 0 && (gap == 1 || !group.empty())) {
                group.emplace_back(dense(listed[i]), 1); // the same kind for each: gap % q == 0
                pattern.appendPeriod(group, static_cast<Count>(j - i));
                from = listed[j] + 1;
                ++j;
            } else {
                j = i + 1;
            }
        }
        i = j;
        if (pattern.size() > kMaxLayerRuns)
            return Error { rule.denseField,
                "makes more than " + std::to_string(kMaxLayerRuns) + " runs of dense and routed layers (the limit)" };
    }
    cycle.appendTo(pattern, from, layers);
    return pattern.runs();
}

Result<SparseLayers> declareSparseLayers(Design& d, HfConfig& config, Count layers, const SparseDefaults& defaults,
    bool literal, const std::optional<OtherKinds>& other)
{
    HfReader r(config, d);
    SparseLayers e;
    // Transformers v5 renames num_experts to num_local_experts (attribute_map): read either.
    const char* expertsField
        = !config.hasValue("num_experts") && config.hasValue("num_local_experts") ? "num_local_experts" : "num_experts";
    const Count experts = r.symbol("X", expertsField, defaults.experts, "experts per layer", 0);
    r.symbol("Xk", "num_experts_per_tok", defaults.perToken, "experts per token");
    r.symbol("Fx", "moe_intermediate_size", defaults.width, "expert MLP width");
    const Count step = r.integer("decoder_sparse_step", 1);
    std::vector<Count> listed = r.integers("mlp_only_layers");
    if (r.error())
        return *r.error();
    // Qwen3MoeDecoderLayer (and Qwen3NextDecoderLayer): experts unless listed in mlp_only_layers or
    // off the sparse step, i.e. layer l is routed when (l + 1) % step == 0. X = 0: every layer dense,
    // whatever the pattern. Negative indices never match a layer; those beyond the stack do once
    // it grows, so any list pins the layer count.
    e.any = experts > 0;
    std::erase_if(listed, [](Count l) { return l < 0; });
    if (!e.any)
        listed.clear();
    const bool byList = !listed.empty();
    LayerRule rule;
    rule.literal = literal || byList;
    const LayerCycle mlp = e.any ? LayerCycle::every(step, SparseLayers::kDense, SparseLayers::kRouted)
                                 : LayerCycle(SparseLayers::kDense);
    const LayerCycle mixed = other ? other->cycle : LayerCycle(0);
    const std::string stepNames = config.name("decoder_sparse_step") + " = " + std::to_string(step);
    if (other && mixed.period() > 1 && mlp.period() > 1) {
        rule.names = other->names + " and " + stepNames;
        rule.together = true;
    } else {
        rule.names = other && mixed.period() > 1 ? other->names : stepNames;
    }
    // The two patterns repeat together every lcm of their periods; a literal stack needs no more
    // than its own length.
    const Count g = std::gcd(mixed.period(), mlp.period());
    const auto lcm = checkedMul(mixed.period() / g, mlp.period());
    Count length = lcm.value_or(-1);
    if (rule.literal && (!lcm || *lcm > layers))
        length = layers;
    const std::string tooMany = "makes more than " + std::to_string(kMaxLayerRuns) + " runs of layers in one period ("
        + (lcm ? std::to_string(*lcm) + " layers" : "beyond 2^63 layers") + "; the limit)";
    if (length < 0)
        return Error { config.name("decoder_sparse_step"), "with " + rule.names + " " + tooMany };
    auto cycle = LayerCycle::product(mixed, mlp, length, kMaxLayerRuns);
    if (!cycle)
        return Error { config.name("decoder_sparse_step"), "with " + rule.names + " " + tooMany };
    rule.cycle = std::move(*cycle);
    std::erase_if(listed, [&](Count l) { return l >= layers; });
    std::sort(listed.begin(), listed.end());
    listed.erase(std::unique(listed.begin(), listed.end()), listed.end());
    rule.dense = std::move(listed);
    rule.denseField = config.name("mlp_only_layers");
    auto runs = layerRuns(r.builder(), config, rule, layers);
    if (!runs)
        return runs.error();
    e.runs = std::move(*runs);
    e.fixLayers = rule.literal;
    if (byList) // else literal at the caller's request, which says why
        e.why = config.name("mlp_only_layers") + " lists dense layers by index, so the dense/routed pattern holds "
            + "for this layer count only (import the config again to change it)";
    return e;
}

namespace {

/// transformers' layer_type_validation: a layer_types list has one entry per layer.
Status checkListLength(const std::string& field, std::size_t size, Count layers)
{
    if (static_cast<Count>(size) != layers)
        return Error { field,
            "lists " + std::to_string(size) + " layers; num_hidden_layers is " + std::to_string(layers) };
    return Ok {};
}

} // namespace

Result<std::optional<LayerPattern>> readLayerTypes(
    HfConfig& config, Count layers, const std::vector<std::string>& kinds)
{
    if (!config.hasValue("layer_types"))
        return std::optional<LayerPattern> {};
    const std::string field = config.name("layer_types");
    const auto& list = config.json()["layer_types"];
    std::string known;
    for (const auto& k : kinds)
        known += (known.empty() ? "" : ", ") + k;
    if (!list.is_array())
        return Error { field, "expected a list of layer types (" + known + ")" };
    // The length first: a list cannot be longer than the file, so the loop below is bounded by it.
    if (auto st = checkListLength(field, list.size(), layers); !st)
        return st.error();
    LayerPattern pattern;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const auto k = std::find(kinds.begin(), kinds.end(), list[i].is_string() ? list[i].get<std::string>() : "");
        if (k == kinds.end())
            return Error { field + "/" + std::to_string(i),
                "unknown layer type " + list[i].dump() + " (" + known + ")" };
        pattern.append(static_cast<int>(k - kinds.begin()), 1);
        if (pattern.size() > kMaxLayerRuns)
            return Error { field, "makes more than " + std::to_string(kMaxLayerRuns) + " runs of layers (the limit)" };
    }
    return std::optional<LayerPattern>(std::move(pattern));
}

std::string listedLayersWhy(const HfConfig& config)
{
    return config.name("layer_types")
        + " lists every layer, so it holds for this layer count only (import the config again to change it)";
}

Result<SlidingWindows> readSlidingWindows(
    HfConfig& config, std::optional<Count> windowDefault, Count layers, const char* patternField, Count patternDefault)
{
    SlidingWindows w;
    const nlohmann::json& j = config.json();
    // The list first, whatever the window: transformers validates it in any case, and a list of
    // another length is refused even when it repeats a period (the rule it gives would fit any L).
    std::vector<int> kinds;
    if (config.hasValue("layer_types")) {
        const std::string field = config.name("layer_types");
        const auto& list = j["layer_types"];
        if (!list.is_array())
            return Error { field, "expected a list of \"sliding_attention\" / \"full_attention\"" };
        if (auto st = checkListLength(field, list.size(), layers); !st)
            return st.error();
        for (std::size_t i = 0; i < list.size(); ++i) {
            const auto& t = list[i];
            if (t == "sliding_attention")
                kinds.push_back(SlidingWindows::kSliding);
            else if (t == "full_attention")
                kinds.push_back(SlidingWindows::kFull);
            else
                return Error { field + "/" + std::to_string(i),
                    "unknown layer type " + t.dump() + " (sliding_attention, full_attention)" };
        }
        w.listed = true;
    }
    if (config.has("sliding_window") && j["sliding_window"].is_null())
        return w;
    if (!config.has("sliding_window") && !windowDefault)
        return w;
    auto window = config.integer("sliding_window", windowDefault, 1);
    if (!window)
        return window.error();
    w.window = *window;
    if (w.listed) {
        const auto firstFull = std::find(kinds.begin(), kinds.end(), SlidingWindows::kFull);
        if (firstFull == kinds.end())
            return w; // every layer windowed
        if (std::find(kinds.begin(), kinds.end(), SlidingWindows::kSliding) == kinds.end()) {
            w.window = 0; // every layer full: nothing is windowed
            return w;
        }
        // Periodic (layer l full exactly when (l + 1) % n == 0): the rule, one run, as the config
        // class writes it. Otherwise the list's runs, built per run (never per layer).
        const Count every = (firstFull - kinds.begin()) + 1;
        bool periodic = true;
        for (std::size_t i = 0; i < kinds.size() && periodic; ++i)
            periodic = (kinds[i] == SlidingWindows::kFull) == ((static_cast<Count>(i) + 1) % every == 0);
        if (periodic) {
            w.fullEvery = every;
            return w;
        }
        LayerPattern pattern;
        for (int k : kinds) {
            pattern.append(k, 1);
            if (pattern.size() > kMaxLayerRuns)
                return Error { config.name("layer_types"),
                    "makes more than " + std::to_string(kMaxLayerRuns)
                        + " runs of sliding and full layers (the limit)" };
        }
        w.runs = pattern.runs();
        return w;
    }
    if (patternField) {
        auto every = config.integer(patternField, patternDefault, 1);
        if (!every)
            return every.error();
        w.fullEvery = *every;
    } else {
        w.fullEvery = patternDefault;
    }
    return w;
}

void fixListedLayers(Design& design, const HfConfig& config, const SlidingWindows& w)
{
    if (w.listed)
        fixSymbol(design, "L", listedLayersWhy(config));
}

void setWindow(Module& attention, const SlidingWindows& w, int kind)
{
    if (w.window <= 0 || kind == SlidingWindows::kFull || (w.runs.empty() && w.fullEvery == 1))
        return;
    attention.kv.window = Expr::constant(w.window);
    // With runs each layer's kind is explicit; otherwise the rule says which layers are full.
    if (w.runs.empty() && w.fullEvery > 1)
        attention.kv.fullEvery = Expr::constant(w.fullEvery);
}

void fixSymbol(Design& design, const std::string& name, const std::string& why)
{
    const int i = design.symbolIndex(name);
    if (i < 0)
        return;
    const Symbol& s = design.symbols[static_cast<std::size_t>(i)];
    design.notes.push_back(fixedNote(s.field, s.name, s.value, why));
    design.symbols.erase(design.symbols.begin() + i);
}

void describe(Design& design, HfConfig& config, const std::string& modelType, const std::string& className)
{
    auto name = config.string("_name_or_path", "");
    const std::string repo = name ? *name : std::string();
    if (!repo.empty())
        design.name = repo;
    design.source = "Hugging Face " + (repo.empty() ? std::string() : repo + " ") + "config.json (model_type "
        + modelType + "); structure as print(model) of " + className;
}

} // namespace paramscope::core::hf
