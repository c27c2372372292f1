// SPDX-License-Identifier: MIT
#include "weights/verify.h"

#include "weights/gguf.h"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <unordered_map>

namespace paramscope::core {

namespace {

std::vector<std::string_view> split(std::string_view name)
{
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    for (;;) {
        const auto dot = name.find('.', start);
        parts.push_back(name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
        if (dot == std::string_view::npos)
            return parts;
        start = dot + 1;
    }
}

std::optional<Count> asIndex(std::string_view s)
{
    if (s.empty() || s.size() > 18 || (s.size() > 1 && s[0] == '0'))
        return std::nullopt;
    Count v = 0;
    for (char c : s) {
        if (c < '0' || c > '9')
            return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return v;
}

std::string join(const std::vector<std::string_view>& parts, std::size_t from)
{
    std::string s;
    for (std::size_t i = from; i < parts.size(); ++i)
        s += (i > from ? "." : "") + std::string(parts[i]);
    return s;
}

/// The name with every layer (or expert) index written as *: "h.*.attn.bias".
std::string pattern(std::string_view name)
{
    std::string out;
    for (auto p : split(name))
        out += (out.empty() ? "" : ".") + (asIndex(p) ? std::string("*") : std::string(p));
    return out;
}

std::string shapeText(const std::vector<Count>& shape)
{
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i)
        s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

std::string withCommas(Count v)
{
    std::string digits = std::to_string(v < 0 ? -v : v), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0)
            out += ',';
        out += digits[i];
    }
    return (v < 0 ? "-" : "") + out;
}

Count add(Count a, Count b)
{
    return checkedAdd(a, b).value_or(INT64_MAX);
}

/// Buffers PyTorch modules register next to their parameters: state, not parameters.
bool isBufferName(std::string_view last)
{
    static constexpr std::array<std::string_view, 6> kNames { "inv_freq", "masked_bias", "position_ids", "cos_cached",
        "sin_cached", "_float_tensor" };
    return std::find(kNames.begin(), kNames.end(), last) != kNames.end();
}

/// Gemma 4's persistent buffers, stored in its checkpoints: each decoder layer's layer_scalar, the
/// vision tower's standardisation and the clip bounds of Gemma4ClippableLinear.
bool isGemma4BufferName(std::string_view last)
{
    static constexpr std::array<std::string_view, 7> kNames { "layer_scalar", "std_bias", "std_scale", "input_min",
        "input_max", "output_min", "output_max" };
    return std::find(kNames.begin(), kNames.end(), last) != kNames.end();
}

/// Tensors quantisation methods store beside (or instead of) a weight.
bool isQuantSuffix(std::string_view suffix)
{
    static constexpr std::array<std::string_view, 14> kNames { "weight_scale_inv", "weight_scale", "weight_scale_2",
        "input_scale", "scales", "qweight", "qzeros", "g_idx", "weight_packed", "weight_shape", "weight_zero_point",
        "absmax", "quant_map", "SCB" };
    return std::find(kNames.begin(), kNames.end(), suffix) != kNames.end() || suffix.starts_with("quant_state.")
        || suffix.starts_with("nested_");
}

/// MXFP4 (gpt-oss's experts): a weight stored as `<name>_blocks` (U8 [..., n/32, 16], 32 four-bit
/// values per block in 16 bytes) beside `<name>_scales` (U8 [..., n/32], one shared exponent per
/// block). For each tensor of such a pair, the index of the other half; -1 for every other tensor.
std::vector<std::ptrdiff_t> mxfp4Partners(const TensorList& list)
{
    std::vector<std::ptrdiff_t> partners(list.tensors.size(), -1);
    if (list.format == TensorList::Format::Gguf)
        return partners; // GGUF names MXFP4 as a ggml type of its own
    std::unordered_map<std::string_view, std::size_t> scales;
    for (std::size_t i = 0; i < list.tensors.size(); ++i)
        if (const auto& t = list.tensors[i]; t.dtype == "U8" && t.name.ends_with("_scales"))
            scales.emplace(std::string_view(t.name).substr(0, t.name.size() - 7), i);
    for (std::size_t i = 0; i < list.tensors.size(); ++i) {
        const auto& t = list.tensors[i];
        if (t.dtype != "U8" || !t.name.ends_with("_blocks"))
            continue;
        if (auto it = scales.find(std::string_view(t.name).substr(0, t.name.size() - 7)); it != scales.end()) {
            partners[i] = static_cast<std::ptrdiff_t>(it->second);
            partners[it->second] = static_cast<std::ptrdiff_t>(i);
        }
    }
    return partners;
}

/// GGUF's per-layer tensor names (llama.cpp's gguf-py constants) and the modules they may be, in
/// order of preference, relative to a layer; "*" stands for the repeated entry of an expert list,
/// whose copies GGUF stacks into one tensor. The first candidate the layer has is taken.
const std::vector<std::pair<std::string_view, std::vector<std::string_view>>>& ggufLayerNames()
{
    static const std::vector<std::pair<std::string_view, std::vector<std::string_view>>> kNames {
        { "attn_norm", { "input_layernorm", "ln_1", "attention_norm" } },
        { "attn_q", { "self_attn.q_proj", "attn.q_proj", "attention.self.query" } },
        { "attn_k", { "self_attn.k_proj", "attn.k_proj", "attention.self.key" } },
        { "attn_v", { "self_attn.v_proj", "attn.v_proj", "attention.self.value" } },
        { "attn_qkv",
            { "attn.c_attn", "self_attn.qkv_proj", "attention.query_key_value", "self_attn.query_key_value" } },
        { "attn_output",
            { "self_attn.o_proj", "attn.c_proj", "self_attn.dense", "attention.dense", "self_attn.out_proj",
                "attention.output.dense" } },
        // BERT's post-norms: after attention and after the feed-forward block.
        { "attn_output_norm", { "attention.output.LayerNorm" } },
        { "layer_output_norm", { "output.LayerNorm" } },
        { "attn_q_norm", { "self_attn.q_norm" } },
        { "attn_k_norm", { "self_attn.k_norm" } },
        { "attn_sinks", { "self_attn.sinks" } },
        // Multi-head latent attention (DeepSeek-V2/V3). Converters since llama.cpp's MLA
        // absorption split kv_b into attn_k_b and attn_v_b (matched together: matchSplitKvB).
        { "attn_q_a", { "self_attn.q_a_proj" } },
        { "attn_q_a_norm", { "self_attn.q_a_layernorm" } },
        { "attn_q_b", { "self_attn.q_b_proj" } },
        { "attn_kv_a_mqa", { "self_attn.kv_a_proj_with_mqa" } },
        { "attn_kv_a_norm", { "self_attn.kv_a_layernorm" } },
        { "attn_kv_b", { "self_attn.kv_b_proj" } },
        { "attn_k_b", { "self_attn.kv_b_proj" } },
        { "attn_v_b", { "self_attn.kv_b_proj" } },
        { "post_attention_norm", { "post_attention_layernorm" } },
        { "ffn_norm", { "pre_feedforward_layernorm", "post_attention_layernorm", "ln_2" } },
        { "post_ffw_norm", { "post_feedforward_layernorm" } },
        { "ffn_gate", { "mlp.gate_proj" } },
        // Phi-3's fused gate_up_proj [2F, E] is stored whole as ffn_up (llama.cpp splits it on loading).
        { "ffn_up",
            { "mlp.up_proj", "mlp.c_fc", "mlp.fc1", "mlp.dense_h_to_4h", "mlp.gate_up_proj", "intermediate.dense" } },
        { "ffn_down", { "mlp.down_proj", "mlp.c_proj", "mlp.fc2", "mlp.dense_4h_to_h", "output.dense" } },
        { "ffn_gate_inp", { "mlp.gate", "block_sparse_moe.gate", "mlp.router", "mlp.gate.weight" } },
        { "exp_probs_b", { "mlp.gate.e_score_correction_bias" } },
        { "ffn_gate_exps", { "mlp.experts.*.gate_proj", "block_sparse_moe.experts.*.w1" } },
        { "ffn_up_exps", { "mlp.experts.*.up_proj", "block_sparse_moe.experts.*.w3" } },
        { "ffn_down_exps", { "mlp.experts.*.down_proj", "block_sparse_moe.experts.*.w2" } },
        { "ffn_gate_shexp", { "mlp.shared_experts.gate_proj", "mlp.shared_expert.gate_proj" } },
        { "ffn_up_shexp", { "mlp.shared_experts.up_proj", "mlp.shared_expert.up_proj" } },
        { "ffn_down_shexp", { "mlp.shared_experts.down_proj", "mlp.shared_expert.down_proj" } },
    };
    return kNames;
}

class Matcher {
public:
    Matcher(const Design& d, const Evaluation& e, const TensorList& list, Verification& out)
        : m_design(d)
        , m_eval(e)
        , m_list(list)
        , m_out(out)
    {
    }

    void run()
    {
        prepare();
        for (std::size_t i = 0; i < m_list.tensors.size(); ++i)
            match(m_list.tensors[i], i);
        findMissing();
        summarise();
    }

private:
    /// A repeated module passed on the way to a tensor, and which of its copies (-1: all of them,
    /// stacked into the tensor's leading dimension).
    struct Level {
        const Module* module;
        Count copy;
    };
    struct Hit {
        const Module* node = nullptr;
        std::vector<Level> levels;
        std::vector<std::string_view> rest; ///< the name's parts after node
        bool beyond = false; ///< an index past the end of a list
        std::string beyondPrefix; ///< the name up to that index
        Count listSize = 0;
    };

    const NodeValue& value(const Module& m) const { return m_eval.nodes[static_cast<std::size_t>(m.index)]; }
    Count repeat(const Module& m) const { return value(m).repeat; }

    static bool isPeriod(const Module& m)
    {
        if (!m.name.empty() || m.isLeaf() || m.children.empty())
            return false;
        return std::all_of(m.children.begin(), m.children.end(), [](const auto& c) { return c->name.empty(); });
    }

    void prepare()
    {
        const auto& nodes = m_design.nodes();
        const std::size_t n = nodes.size();
        m_span.assign(n, 1);
        m_offset.assign(n, 0);
        m_out.nodes.assign(n, {});
        // Spans bottom-up (reverse pre-order), offsets of unnamed entries within their container.
        for (std::size_t i = n; i-- > 0;) {
            const Module& m = *nodes[i];
            if (!isPeriod(m))
                continue;
            Count span = 0;
            for (const auto& c : m.children) {
                auto s = checkedMul(repeat(*c), m_span[static_cast<std::size_t>(c->index)]);
                span = s ? add(span, *s) : INT64_MAX;
            }
            m_span[i] = span;
        }
        for (const Module* m : nodes) {
            Count offset = 0;
            for (const auto& c : m->children) {
                if (!c->name.empty())
                    continue;
                m_offset[static_cast<std::size_t>(c->index)] = offset;
                auto s = checkedMul(repeat(*c), m_span[static_cast<std::size_t>(c->index)]);
                offset = s ? add(offset, *s) : INT64_MAX;
            }
        }
        for (const Module* m : nodes) {
            NodeCheck& c = m_out.nodes[static_cast<std::size_t>(m->index)];
            c.copies = 1;
            for (const Module* p = m->parent; p; p = p->parent)
                c.copies = checkedMul(c.copies, repeat(*p)).value_or(INT64_MAX);
            c.formula = checkedMul(value(*m).count, c.copies).value_or(INT64_MAX);
        }
        m_layers = findLayerList();
    }

    /// The list of decoder layers: the shallowest container whose repeated entries hold attention.
    const Module* findLayerList() const
    {
        std::vector<const Module*> level { m_design.root.get() };
        while (!level.empty()) {
            std::vector<const Module*> next;
            for (const Module* m : level) {
                for (const auto& c : m->children) {
                    if (c->name.empty() && holdsAttention(*c))
                        return m;
                    if (!c->isLeaf())
                        next.push_back(c.get());
                }
            }
            level = std::move(next);
        }
        return nullptr;
    }
    static bool holdsAttention(const Module& m)
    {
        if (m.role == "attention")
            return true;
        return std::any_of(m.children.begin(), m.children.end(), [](const auto& c) { return holdsAttention(*c); });
    }

    const Module* namedChild(const Module& m, std::string_view name) const
    {
        for (const auto& c : m.children)
            if (!c->name.empty() && c->name == name)
                return c.get();
        return nullptr;
    }
    bool hasUnnamed(const Module& m) const
    {
        return std::any_of(m.children.begin(), m.children.end(), [](const auto& c) { return c->name.empty(); });
    }

    /// Entry @p index of @p list (through periods); false when past the end.
    bool entry(const Module& list, Count index, Hit& hit, const Module*& out) const
    {
        const Module* container = &list;
        for (int depth = 0; depth < 70; ++depth) {
            const Module* found = nullptr;
            for (const auto& c : container->children) {
                if (!c->name.empty())
                    continue;
                const auto i = static_cast<std::size_t>(c->index);
                const Count start = m_offset[i];
                const auto extent = checkedMul(repeat(*c), m_span[i]);
                if (index >= start && (!extent || index - start < *extent)) {
                    found = c.get();
                    const Count local = index - start;
                    hit.levels.push_back({ c.get(), m_span[i] > 0 ? local / m_span[i] : 0 });
                    index = m_span[i] > 0 ? local % m_span[i] : 0;
                    break;
                }
            }
            if (!found)
                return false;
            if (!isPeriod(*found)) {
                out = found;
                return true;
            }
            container = found;
        }
        return false;
    }

    /// Follows @p parts from @p start as far as the tree goes.
    Hit walk(const Module* start, const std::vector<std::string_view>& parts, std::size_t from) const
    {
        Hit hit;
        const Module* node = start;
        std::size_t i = from;
        for (; i < parts.size() && !node->isLeaf(); ++i) {
            const Module* named = namedChild(*node, parts[i]);
            if (!named && parts[i] == "mlp")
                named = namedChild(*node, "block_sparse_moe"); // transformers v5 renames Mixtral's to mlp
            if (const Module* c = named) {
                if (c->isRepeated())
                    hit.levels.push_back({ c, -1 }); // a named repeated module is stored stacked
                node = c;
                continue;
            }
            const auto index = asIndex(parts[i]);
            if (!index || !hasUnnamed(*node))
                break;
            const Module* e = nullptr;
            if (!entry(*node, *index, hit, e)) {
                hit.beyond = true;
                for (std::size_t k = 0; k <= i; ++k)
                    hit.beyondPrefix += (k ? "." : "") + std::string(parts[k]);
                hit.listSize = listSize(*node);
                hit.node = node;
                return hit;
            }
            node = e;
        }
        hit.node = node;
        hit.rest.assign(parts.begin() + static_cast<std::ptrdiff_t>(i), parts.end());
        return hit;
    }

    /// Entries of a list (layers through every run and period).
    Count listSize(const Module& list) const
    {
        Count size = 0;
        for (const auto& c : list.children)
            if (c->name.empty())
                size = add(m_offset[static_cast<std::size_t>(c->index)],
                    checkedMul(repeat(*c), m_span[static_cast<std::size_t>(c->index)]).value_or(INT64_MAX));
        return size;
    }

    static std::size_t depth(const Hit& h, std::size_t total) { return total - h.rest.size(); }

    /// A Hugging Face name, with or without the base model's prefix.
    Hit walkHf(const std::vector<std::string_view>& parts)
    {
        const Module* root = m_design.root.get();
        Hit best = walk(root, parts, 0);
        if (!best.beyond && best.node != root && !best.rest.empty())
            if (const Module* text = legacyTextModel(*best.node)) {
                // Qwen2.5-VL files written before transformers v4.52 (its published checkpoints)
                // name the text model's modules model.layers.* (now model.language_model.layers.*);
                // the loader renames them (qwen2_vl's WeightRenaming in v5's conversion_mapping.py).
                Hit h = walk(text, parts, parts.size() - best.rest.size());
                if (h.beyond || depth(h, parts.size()) > depth(best, parts.size())) {
                    ++m_legacyText;
                    return h;
                }
            }
        if (best.beyond || best.node != root)
            return best;
        // The file leaves out the base model's attribute ("h.0…" for "transformer.h.0…"), as
        // GPT-2's checkpoint does: transformers loads it into the base model the same way.
        for (const auto& c : root->children) {
            if (c->name.empty() || c->isLeaf())
                continue;
            Hit h = walk(c.get(), parts, 0);
            if (h.beyond || depth(h, parts.size()) > 0) {
                ++m_dropsBase;
                return h;
            }
        }
        // Or it has a prefix the counted class does not (a base model counted from a file of the
        // class with a head: "model.layers…" for LlamaModel).
        if (parts.size() > 1) {
            Hit h = walk(root, parts, 1);
            if (h.beyond || depth(h, parts.size()) > 1)
                return h;
        }
        return best;
    }

    /// The language_model of a Qwen2.5-VL base model @p m, whose older checkpoints leave it out of
    /// the names; nothing for every other module.
    const Module* legacyTextModel(const Module& m) const
    {
        if (m.type != "Qwen2_5_VLModel")
            return nullptr;
        return namedChild(m, "language_model");
    }

    /// A GGUF name (token_embd, blk.N.attn_q …) resolved to the module it stores.
    std::optional<Hit> walkGguf(const std::vector<std::string_view>& parts)
    {
        const Module* root = m_design.root.get();
        const std::vector<std::string_view> suffix(parts.begin() + 1, parts.end());
        auto leafNamed = [&](std::initializer_list<std::string_view> names, ModuleKind kind) -> const Module* {
            for (std::string_view n : names)
                for (const Module* m : m_design.nodes())
                    if (m->kind == kind && m->name == n && !inRepeat(*m))
                        return m;
            return nullptr;
        };
        const std::string_view op = parts[0];
        const Module* top = nullptr;
        if (op == "token_embd")
            top = leafNamed(
                { "embed_tokens", "wte", "word_embeddings", "embed_in", "tok_embeddings" }, ModuleKind::Embedding);
        else if (op == "position_embd")
            top = leafNamed({ "wpe", "embed_positions", "position_embeddings" }, ModuleKind::Embedding);
        else if (op == "token_types")
            top = leafNamed({ "token_type_embeddings" }, ModuleKind::Embedding);
        else if (op == "token_embd_norm")
            top = embeddingsNorm();
        else if (op == "output")
            top = leafNamed({ "lm_head", "embed_out" }, ModuleKind::Linear);
        else if (op == "output_norm" && m_layers)
            for (const auto& c : m_layers->parent ? m_layers->parent->children : root->children)
                if (c->kind == ModuleKind::RMSNorm || c->kind == ModuleKind::LayerNorm)
                    top = c.get(); // the last norm beside the layers
        if (top) {
            Hit h;
            h.node = top;
            h.rest = suffix;
            return h;
        }
        if (op != "blk" || parts.size() < 3 || !m_layers)
            return std::nullopt;
        const auto index = asIndex(parts[1]);
        if (!index)
            return std::nullopt;
        Hit h;
        const Module* layer = nullptr;
        if (!entry(*m_layers, *index, h, layer)) {
            h.beyond = true;
            h.beyondPrefix = "blk." + std::string(parts[1]);
            h.listSize = listSize(*m_layers);
            h.node = m_layers;
            return h;
        }
        for (const auto& [name, candidates] : ggufLayerNames()) {
            if (name != parts[2])
                continue;
            for (std::string_view candidate : candidates) {
                Hit c = h;
                const Module* node = layer;
                for (std::string_view step : split(candidate)) {
                    if (!node)
                        break;
                    if (step == "*") {
                        const Module* unnamed = nullptr;
                        for (const auto& ch : node->children)
                            if (ch->name.empty())
                                unnamed = ch.get();
                        if (unnamed)
                            c.levels.push_back({ unnamed, -1 });
                        node = unnamed;
                    } else {
                        node = namedChild(*node, step);
                        if (node && node->isRepeated())
                            c.levels.push_back({ node, -1 });
                    }
                }
                if (node && node->isLeaf()) {
                    c.node = node;
                    c.rest.assign(parts.begin() + 3, parts.end());
                    return c;
                }
            }
        }
        return std::nullopt;
    }

    /// BERT's embeddings.LayerNorm (GGUF's token_embd_norm), or nothing.
    const Module* embeddingsNorm() const
    {
        for (const Module* m : m_design.nodes())
            if (m->kind == ModuleKind::LayerNorm && m->name == "LayerNorm" && m->parent
                && m->parent->name == "embeddings" && !inRepeat(*m))
                return m;
        return nullptr;
    }

    static bool inRepeat(const Module& m)
    {
        for (const Module* p = &m; p; p = p->parent)
            if (p->isRepeated())
                return true;
        return false;
    }

    static bool hasBias(const Module& m) { return m.kind == ModuleKind::Conv1D || (hasBiasSwitch(m.kind) && m.bias); }

    /// The shape the class gives a leaf's weight (role 0) or bias (role 1), in PyTorch's order.
    std::vector<Count> expectedShape(const Module& m, int role) const
    {
        const auto& a = value(m).args;
        if (role == 1) {
            switch (m.kind) {
            case ModuleKind::Linear:
                return { a[1] };
            case ModuleKind::Conv1D:
                return { a[0] };
            case ModuleKind::Conv2d:
            case ModuleKind::Conv1d:
                return { a[1] };
            default:
                return { a[0] };
            }
        }
        switch (m.kind) {
        case ModuleKind::Embedding:
            return { a[0], a[1] };
        case ModuleKind::Linear:
            return { a[1], a[0] };
        case ModuleKind::Conv1D:
            // Conv1D(nf, nx) keeps its weight as [nx, nf]; llama.cpp transposes it to [nf, nx].
            return m_gguf ? std::vector<Count> { a[0], a[1] } : std::vector<Count> { a[1], a[0] };
        case ModuleKind::LayerNorm:
        case ModuleKind::RMSNorm:
            return { a[0] };
        case ModuleKind::Conv2d:
            return { a[1], a[0], a[2], a[2] };
        case ModuleKind::Conv1d: // [out, in/groups, kernel]; groups divides in (evaluate() checked it)
            return { a[1], a[3] > 0 ? a[0] / a[3] : a[0], a[2] };
        default:
            return a;
        }
    }

    /// Values of a leaf's weight (role 0) or bias (role 1) in one copy.
    Count roleValues(const Module& m, int role) const
    {
        Count n = 1;
        for (Count d : expectedShape(m, role))
            n = checkedMul(n, d).value_or(INT64_MAX);
        return n;
    }

    void explain(Finding::Kind kind, const StoredTensor& t, const std::string& text, int node)
    {
        explain(kind, pattern(t.name), t.count, text, node);
    }
    /// Counts a tensor of @p values under the explained family @p name (a pattern).
    void explain(Finding::Kind kind, const std::string& name, Count values, const std::string& text, int node)
    {
        const std::string key = std::to_string(static_cast<int>(kind)) + "|" + name + "|" + text;
        auto it = m_groups.find(key);
        if (it == m_groups.end()) {
            it = m_groups.emplace(key, m_explained.size()).first;
            Finding f;
            f.kind = kind;
            f.name = name;
            f.text = text;
            f.tensors = 0;
            f.node = node;
            m_explained.push_back(std::move(f));
        }
        Finding& f = m_explained[it->second];
        f.tensors = add(f.tensors, 1);
        f.values = add(f.values, values);
        if (node >= 0)
            m_out.nodes[static_cast<std::size_t>(node)].extra
                = add(m_out.nodes[static_cast<std::size_t>(node)].extra, values);
    }

    void problem(Finding::Kind kind, const std::string& name, const std::string& text, Count values, int node)
    {
        if (kind == Finding::Kind::Unexpected) {
            // Unexpected tensors come in families (one per layer): one line per family.
            const std::string key = "u|" + pattern(name);
            if (auto it = m_groups.find(key); it != m_groups.end()) {
                Finding& f = m_problems[it->second];
                f.tensors = add(f.tensors, 1);
                f.values = add(f.values, values);
                if (f.tensors == 2)
                    f.name = pattern(name);
                return;
            }
            m_groups.emplace(key, m_problems.size());
        }
        m_problems.push_back({ kind, name, text, 1, values, node });
        // A tensor the class has no place for belongs to no module but the whole model.
        const Module* at = node >= 0 && kind != Finding::Kind::Unexpected
            ? m_design.nodes()[static_cast<std::size_t>(node)]
            : m_design.root.get();
        for (const Module* m = at; m; m = m->parent)
            ++m_out.nodes[static_cast<std::size_t>(m->index)].problems;
    }

    /// Whether @p rest names the key/value projection or norm of @p attention, an attention that
    /// has none because it attends with an earlier layer's (Gemma 4's KV-sharing layers, whose
    /// checkpoints may store them anyway).
    bool sharesKeysAndValues(const Module& attention, const std::vector<std::string_view>& rest) const
    {
        if (!m_design.root->type.starts_with("Gemma4") || attention.role != "attention" || rest.size() != 2
            || (rest[0] != "k_proj" && rest[0] != "v_proj" && rest[0] != "k_norm"))
            return false;
        bool queries = false;
        for (const auto& c : attention.children) {
            if (c->name == "k_proj")
                return false;
            queries = queries || c->name == "q_proj";
        }
        return queries;
    }

    /// The stacked shape of @p leaf's weight under @p levels (a leading dimension per level stored
    /// stacked) in the class's order.
    std::vector<Count> stackedShape(const Module& leaf, const std::vector<Level>& levels) const
    {
        std::vector<Count> shape;
        for (const Level& l : levels)
            if (l.copy < 0)
                shape.push_back(repeat(*l.module));
        for (Count d : expectedShape(leaf, 0))
            shape.push_back(d);
        return shape;
    }

    /// An MXFP4 half (`<name>_blocks` or `<name>_scales`, U8) of a weight of the class: the blocks
    /// stand for the weight's values (two per byte), the scales are explained. False when
    /// @p t is not one (then it is matched like any other tensor).
    bool matchMxfp4(const StoredTensor& t, std::size_t position)
    {
        const bool blocks = t.name.ends_with("_blocks");
        if (m_gguf || t.dtype != "U8" || (!blocks && !t.name.ends_with("_scales")))
            return false;
        const std::string base = t.name.substr(0, t.name.size() - 7);
        const Hit h = walkHf(split(base));
        if (h.beyond || !h.node || !h.node->isLeaf())
            return false;
        const Module& node = *h.node;
        const bool parameter = node.kind == ModuleKind::Parameter;
        if (!(parameter ? h.rest.empty() : h.rest.size() == 1 && h.rest[0] == "weight"))
            return false;
        const std::ptrdiff_t partner = m_partners[position];
        const std::string other = base + (blocks ? "_scales" : "_blocks");
        if (!blocks) {
            if (partner < 0) {
                problem(Finding::Kind::Missing, other,
                    "missing: the MXFP4 scales " + t.name + " have no blocks (the packed values of " + base + ")", 0,
                    node.index);
                return true;
            }
            const auto& packed = m_list.tensors[static_cast<std::size_t>(partner)].shape;
            if (packed.empty() || t.shape != std::vector<Count>(packed.begin(), packed.end() - 1)) {
                problem(Finding::Kind::WrongShape, t.name,
                    "shape " + shapeText(t.shape) + " where its blocks " + shapeText(packed)
                        + " need one scale per block",
                    t.count, node.index);
                return true;
            }
            explain(Finding::Kind::QuantExtra, t,
                "MXFP4 block scales (one shared exponent per 32 values): not parameters", node.index);
            return true;
        }
        // The blocks pack along the input dimension, which they keep last: [out, in/32, 16]. A
        // Linear's weight is [out, in] already; gpt-oss's expert Parameters are [in, out] (its
        // loader transposes the unpacked tensor), so their last two dimensions swap.
        std::vector<Count> expected = stackedShape(node, h.levels);
        if (parameter && expected.size() >= 2)
            std::swap(expected[expected.size() - 1], expected[expected.size() - 2]);
        std::vector<Count> unpacked;
        bool packed = t.shape.size() >= 2 && t.shape.back() == 16;
        if (packed) {
            unpacked.assign(t.shape.begin(), t.shape.end() - 2);
            const auto row = checkedMul(t.shape[t.shape.size() - 2], 32);
            packed = row.has_value();
            unpacked.push_back(row.value_or(0));
        }
        const auto values = checkedMul(t.count, 2);
        const bool good = packed && values && unpacked == expected;
        if (!good)
            problem(Finding::Kind::WrongShape, t.name,
                "MXFP4 blocks " + shapeText(t.shape)
                    + (packed ? " unpack to " + shapeText(unpacked) : std::string(" do not end in blocks of 16 bytes"))
                    + " where the class has " + shapeText(expected) + " ([out, in], 32 values per 16 bytes)",
                t.count, node.index);
        if (partner < 0)
            problem(Finding::Kind::Missing, other, "missing: the MXFP4 blocks " + t.name + " have no scales", 0,
                node.index);
        NodeCheck& c = m_out.nodes[static_cast<std::size_t>(node.index)];
        c.stored = add(c.stored, values.value_or(INT64_MAX));
        if (good && partner >= 0)
            m_out.matched = add(m_out.matched, *values);
        cover(node, 0, h.levels, t.name);
        return true;
    }

    /// transformers v5 stacks a layer's routed experts into `experts.gate_up_proj` [X, 2·Fx, E]
    /// (every expert's gate_proj and up_proj) and `experts.down_proj` [X, E, Fx], each expert's
    /// [out, in] weight stacked. Matched to a tree holding the experts as a list of gated MLPs
    /// (the per-expert layout of older checkpoints). False when @p h is not such a place.
    bool matchFusedExperts(const StoredTensor& t, const Hit& h)
    {
        if (m_gguf || h.rest.size() != 1 || (h.rest[0] != "gate_up_proj" && h.rest[0] != "down_proj"))
            return false;
        const Module* expert = nullptr;
        for (const auto& c : h.node->children) {
            if (!c->name.empty())
                continue;
            if (expert)
                return false; // experts in runs of different kinds: no single stacked layout
            expert = c.get();
        }
        if (!expert || isPeriod(*expert))
            return false;
        auto linear = [&](std::string_view a, std::string_view b) -> const Module* {
            for (std::string_view n : { a, b })
                if (const Module* m = namedChild(*expert, n); m && m->kind == ModuleKind::Linear && !m->bias)
                    return m;
            return nullptr;
        };
        std::vector<const Module*> parts;
        if (h.rest[0] == "gate_up_proj")
            parts = { linear("gate_proj", "w1"), linear("up_proj", "w3") };
        else
            parts = { linear("down_proj", "w2") };
        if (std::find(parts.begin(), parts.end(), nullptr) != parts.end()
            || (parts.size() == 2 && expectedShape(*parts[0], 0) != expectedShape(*parts[1], 0)))
            return false;
        std::vector<Level> levels = h.levels;
        levels.push_back({ expert, -1 });
        std::vector<Count> expected = stackedShape(*parts[0], levels);
        if (expected.size() >= 2)
            expected[expected.size() - 2]
                = checkedMul(expected[expected.size() - 2], static_cast<Count>(parts.size())).value_or(INT64_MAX);
        const Count share = t.count / static_cast<Count>(parts.size());
        if (t.shape != expected)
            problem(Finding::Kind::WrongShape, t.name,
                "shape " + shapeText(t.shape) + " where the class's experts stack to " + shapeText(expected)
                    + (parts.size() == 2 ? " (gate_proj and up_proj of every expert)" : " (every expert's down_proj)"),
                t.count, parts[0]->index);
        else
            m_out.matched = add(m_out.matched, t.count);
        for (std::size_t i = 0; i < parts.size(); ++i) {
            NodeCheck& c = m_out.nodes[static_cast<std::size_t>(parts[i]->index)];
            c.stored = add(c.stored, i == 0 ? t.count - share * static_cast<Count>(parts.size() - 1) : share);
            cover(*parts[i], 0, levels, t.name);
        }
        return true;
    }

    /// The stored tensor named @p name, or nothing.
    const StoredTensor* tensorNamed(const std::string& name)
    {
        if (m_byName.empty())
            for (std::size_t i = 0; i < m_list.tensors.size(); ++i)
                m_byName.emplace(m_list.tensors[i].name, i);
        const auto it = m_byName.find(name);
        return it == m_byName.end() ? nullptr : &m_list.tensors[it->second];
    }

    /// MLA's kv_b_proj (Linear(Rkv, H·(Dn + Dv))) as llama.cpp's converter splits it for weight
    /// absorption: per head, its key rows transposed, blk.N.attn_k_b [H, Rkv, Dn], and its value
    /// rows, blk.N.attn_v_b [H, Dv, Rkv] (convert_hf_to_gguf.py's DeepseekV2Model). Each half is
    /// checked against the other, counted as its own values and, together, once against the
    /// module. False when @p t is not such a half.
    bool matchSplitKvB(const StoredTensor& t, const Hit& h, const std::vector<std::string_view>& parts)
    {
        if (!m_gguf || parts.size() != 4 || parts[0] != "blk" || (parts[2] != "attn_k_b" && parts[2] != "attn_v_b")
            || parts[3] != "weight" || h.node->kind != ModuleKind::Linear || h.node->bias)
            return false;
        const Module& node = *h.node;
        const bool keys = parts[2] == "attn_k_b";
        const std::string other = "blk." + std::string(parts[1]) + (keys ? ".attn_v_b.weight" : ".attn_k_b.weight");
        const StoredTensor* partner = tensorNamed(other);
        const StoredTensor* k = keys ? &t : partner;
        const StoredTensor* v = keys ? partner : &t;
        const auto& a = value(node).args; // in = Rkv, out = H·(Dn + Dv)
        const std::string layout = " (the class's kv_b_proj " + shapeText(expectedShape(node, 0))
            + " split per head: attn_k_b [H, " + withCommas(a[0]) + ", Dn] and attn_v_b [H, Dv, " + withCommas(a[0])
            + "], H·(Dn + Dv) = " + withCommas(a[1]) + ")";
        // A half on its own: three dimensions, the latent rank where llama.cpp puts it.
        auto fits = [&](const StoredTensor& s, bool isKeys) {
            return s.shape.size() == 3 && s.shape[isKeys ? 1 : 2] == a[0];
        };
        bool good = fits(t, keys);
        if (!good) {
            problem(Finding::Kind::WrongShape, t.name, "shape " + shapeText(t.shape) + layout, t.count, node.index);
        } else if (!partner) {
            // Unchecked against the module's rows without it: not matched (as an MXFP4 half alone).
            good = false;
            problem(Finding::Kind::Missing, other, "missing: the other half of " + t.name + layout, 0, node.index);
        } else if (fits(*partner, !keys)) {
            // Both halves fit: together they must hold the module's rows, head by head.
            const auto rows = checkedMul(k->shape[0], add(k->shape[2], v->shape[1]));
            good = k->shape[0] == v->shape[0] && rows && *rows == a[1];
            if (!good)
                problem(Finding::Kind::WrongShape, t.name,
                    "shape " + shapeText(t.shape) + " beside " + other + " " + shapeText(partner->shape) + layout,
                    t.count, node.index);
        }
        NodeCheck& c = m_out.nodes[static_cast<std::size_t>(node.index)];
        c.stored = add(c.stored, t.count);
        if (good)
            m_out.matched = add(m_out.matched, t.count);
        // The module is covered once: by its key half, or by the value half when that is alone.
        if (keys || !partner)
            cover(node, 0, h.levels, t.name);
        return true;
    }

    std::string notBuiltText(const Hit& h) const
    {
        const std::string list = h.node && !h.node->name.empty() ? h.node->name : "this list";
        std::string text = "the class builds " + withCommas(h.listSize) + " " + list + " (0–"
            + withCommas(h.listSize - 1) + "): a module the class does not build";
        for (const auto& n : m_design.notes)
            if (n.find("num_nextn_predict_layers") != std::string::npos) {
                text += " (the multi-token-prediction module: num_nextn_predict_layers)";
                break;
            }
        return text;
    }

    void match(const StoredTensor& t, std::size_t position)
    {
        const auto parts = split(t.name);
        const std::string_view last = parts.back();
        // rope_freqs (Llama 3.1) and rope_factors_long/_short (Phi-3 128k, LongRoPE) are the config's
        // rotary factors written out as tensors.
        if (isBufferName(last)
            || (m_gguf
                && (parts[0] == "rope_freqs" || parts[0] == "rope_factors_long" || parts[0] == "rope_factors_short"))) {
            explain(Finding::Kind::Buffer, t,
                last == "masked_bias" ? "attention-mask buffers: not parameters"
                                      : "rotary or position buffers: not parameters",
                -1);
            return;
        }
        if (!m_gguf && m_design.root->type.starts_with("Gemma4") && isGemma4BufferName(last)) {
            explain(Finding::Kind::Buffer, t,
                "Gemma 4's persistent buffers (layer_scalar, clip bounds, "
                "standardisation): not parameters",
                -1);
            return;
        }
        if (matchMxfp4(t, position))
            return;
        std::optional<Hit> found = m_gguf ? walkGguf(parts) : std::optional<Hit>(walkHf(parts));
        if (!found) {
            problem(Finding::Kind::Unexpected, t.name, "not a tensor of the class", t.count, -1);
            return;
        }
        const Hit& h = *found;
        if (h.beyond) {
            explain(Finding::Kind::NotBuilt, h.beyondPrefix, t.count, notBuiltText(h), -1);
            return;
        }
        const Module& node = *h.node;
        const int index = node.index;
        if (!node.isLeaf()) {
            if (h.rest.size() == 1 && h.rest[0] == "bias" && node.role == "attention") {
                explain(Finding::Kind::Buffer, t, "causal-mask buffers: not parameters", index);
                return;
            }
            if (sharesKeysAndValues(node, h.rest)) {
                explain(Finding::Kind::NotBuilt, t,
                    "keys and values of a layer that reuses an earlier layer's (num_kv_shared_layers): the class "
                    "drops them on loading",
                    index);
                return;
            }
            if (matchFusedExperts(t, h))
                return;
            problem(Finding::Kind::Unexpected, t.name,
                "not a tensor of the class (" + Design::path(node) + " has no " + join(h.rest, 0) + ")", t.count, -1);
            return;
        }
        if (matchSplitKvB(t, h, parts))
            return;
        const std::string suffix = join(h.rest, 0);
        int role = -1;
        if (node.kind == ModuleKind::Parameter)
            role = suffix.empty() || (m_gguf && (suffix == "weight" || suffix == "bias")) ? 0 : -1;
        else if (suffix == "weight")
            role = 0;
        else if (suffix == "bias")
            role = hasBias(node) ? 1 : -2;
        if (role == -1 && isQuantSuffix(h.rest.empty() ? std::string_view() : h.rest.back())) {
            explain(Finding::Kind::QuantExtra, t,
                suffix == "weight_scale_inv" ? "FP8 block scales of the quantised weights: not parameters"
                                             : "quantisation extras (scales, zero points): not parameters",
                index);
            return;
        }
        if (role < 0) {
            problem(Finding::Kind::Unexpected, t.name,
                role == -2 ? "the class's " + Design::path(node) + " has no bias" : "not a tensor of the class",
                t.count, -1);
            return;
        }
        std::vector<Count> expected;
        for (const Level& l : h.levels)
            if (l.copy < 0)
                expected.push_back(repeat(*l.module));
        for (Count d : expectedShape(node, role))
            expected.push_back(d);
        const bool tied = m_design.ties()[static_cast<std::size_t>(index)] >= 0 && role == 0;
        const auto swapped = swappedOnLoading(node, h.levels, expected);
        const bool good = t.shape == expected || (swapped && t.shape == *swapped);
        if (!good) {
            problem(Finding::Kind::WrongShape, t.name,
                "shape " + shapeText(t.shape) + " where the class has " + shapeText(expected)
                    + (swapped ? " (or " + shapeText(*swapped) + ", the grouped-GEMM order transformers 4.57 saved)"
                               : std::string()),
                t.count, index);
        } else if (tied) {
            explain(Finding::Kind::TiedCopy, t,
                "tied to " + node.tiedTo + ": the class counts the weight once, the file stores it twice", index);
            return;
        }
        if (tied)
            return;
        NodeCheck& c = m_out.nodes[static_cast<std::size_t>(index)];
        c.stored = add(c.stored, t.count);
        if (good)
            m_out.matched = add(m_out.matched, t.count);
        cover(node, role, h.levels, t.name);
    }

    /// Qwen3-VL-MoE's stacked experts as transformers 4.57 saved them (the published checkpoints):
    /// gate_up_proj [X, E, 2·Fx] and down_proj [X, Fx, E], the grouped-GEMM order. transformers v5
    /// holds them as [X, 2·Fx, E] and [X, E, Fx] and its loader swaps the last two dimensions on
    /// loading (conversion_mapping.py: Transpose(1, 2) for qwen3_vl_moe, whose check_dims keeps a
    /// tensor already in v5's order). For such a Parameter stored stacked, @p expected with its last
    /// two dimensions swapped; nothing for every other tensor: no other family's loader transposes
    /// its experts (Qwen3.5-MoE, Gemma 4 and Llama 4 store the class's own order), so no other swap
    /// passes.
    std::optional<std::vector<Count>> swappedOnLoading(
        const Module& node, const std::vector<Level>& levels, const std::vector<Count>& expected) const
    {
        if (m_gguf || node.kind != ModuleKind::Parameter || !node.parent || node.parent->type != "Qwen3VLMoeTextExperts"
            || (node.name != "gate_up_proj" && node.name != "down_proj") || levels.empty()
            || levels.back().module != node.parent || levels.back().copy >= 0 || expected.size() < 3)
            return std::nullopt;
        std::vector<Count> swapped = expected;
        std::swap(swapped[swapped.size() - 1], swapped[swapped.size() - 2]);
        return swapped;
    }

    /// The repeated modules from the root down to @p leaf (itself included).
    std::vector<const Module*> levelsOf(const Module& leaf) const
    {
        std::vector<const Module*> out;
        for (const Module* m = &leaf; m; m = m->parent)
            if (m->isRepeated())
                out.push_back(m);
        std::reverse(out.begin(), out.end());
        return out;
    }

    void cover(const Module& leaf, int role, const std::vector<Level>& levels, const std::string& name)
    {
        const auto chain = levelsOf(leaf);
        Count lo = 0, hi = 0, weight = 1;
        for (std::size_t i = chain.size(); i-- > 0;) {
            const Module* m = chain[i];
            Count copy = -1;
            for (const Level& l : levels)
                if (l.module == m)
                    copy = l.copy;
            const Count r = repeat(*m);
            auto part = checkedMul(copy < 0 ? 0 : copy, weight);
            auto span = checkedMul(copy < 0 ? r - 1 : 0, weight);
            auto w = checkedMul(weight, r);
            if (!part || !span || !w)
                return; // too many copies to track: nothing is said about missing ones
            lo = add(lo, *part);
            hi = add(hi, *span);
            weight = *w;
        }
        auto& ranges = m_covered[static_cast<std::size_t>(leaf.index) * 2 + static_cast<std::size_t>(role)];
        ranges.push_back({ lo, add(lo, add(hi, 1)), name });
    }

    /// The checkpoint name of copy @p linear of @p leaf's weight or bias.
    std::string nameOf(const Module& leaf, Count linear, int role) const
    {
        const auto chain = levelsOf(leaf);
        std::vector<Count> digits(chain.size());
        for (std::size_t i = chain.size(); i-- > 0;) {
            const Count r = repeat(*chain[i]);
            digits[i] = r > 0 ? linear % r : 0;
            linear = r > 0 ? linear / r : 0;
        }
        std::vector<const Module*> path;
        for (const Module* m = &leaf; m && m->parent; m = m->parent)
            path.push_back(m);
        std::reverse(path.begin(), path.end());
        std::string name;
        Count pending = 0;
        bool first = true;
        // Named as the file names its text model's tensors: model.layers.* (Qwen2.5-VL before v4.52).
        const bool legacy = m_legacyText > 0 && path.size() > 1 && legacyTextModel(*path[0]) == path[1];
        for (const Module* m : path) {
            if (legacy && m == path[1])
                continue;
            if (first && !legacy && m_dropsBase > 0 && m->parent == m_design.root.get() && !m->isLeaf()
                && !m->name.empty() && m->name != "lm_head") {
                first = false;
                continue; // the file leaves out the base model's prefix
            }
            first = false;
            if (!m->name.empty()) {
                name += (name.empty() ? "" : ".") + m->name;
                continue;
            }
            Count digit = 0;
            for (std::size_t i = 0; i < chain.size(); ++i)
                if (chain[i] == m)
                    digit = digits[i];
            const auto i = static_cast<std::size_t>(m->index);
            pending = add(pending, add(m_offset[i], checkedMul(digit, m_span[i]).value_or(INT64_MAX)));
            if (!isPeriod(*m)) {
                name += (name.empty() ? "" : ".") + std::to_string(pending);
                pending = 0;
            }
        }
        if (leaf.kind != ModuleKind::Parameter)
            name += role == 0 ? ".weight" : ".bias";
        return name;
    }

    void findMissing()
    {
        constexpr int kNamedPerTensor = 8;
        for (const Module* m : m_design.nodes()) {
            if (!m->isLeaf())
                continue;
            for (int role = 0; role < 2; ++role) {
                if (role == 1 && !hasBias(*m))
                    continue;
                if (role == 0 && m_design.ties()[static_cast<std::size_t>(m->index)] >= 0)
                    continue; // a tied weight may or may not be stored twice
                if (roleValues(*m, role) == 0)
                    continue;
                auto& ranges = m_covered[static_cast<std::size_t>(m->index) * 2 + static_cast<std::size_t>(role)];
                std::sort(ranges.begin(), ranges.end(),
                    [](const Range& a, const Range& b) { return a.lo < b.lo || (a.lo == b.lo && a.hi < b.hi); });
                Count copies = 1;
                bool countable = true;
                for (const Module* l : levelsOf(*m)) {
                    auto c = checkedMul(copies, repeat(*l));
                    countable = countable && c;
                    copies = c.value_or(INT64_MAX);
                }
                if (!countable)
                    continue;
                Count next = 0; // the first copy not yet covered
                int named = 0;
                Count missing = 0;
                std::string firstMissing;
                // A real difference, but a deliberate one: say whose.
                const std::string why = m_gguf && m->parent && m->parent->type == "BertPooler"
                    ? " (llama.cpp's converter drops BERT's pooler, keeping the encoder for embeddings)"
                    : "";
                auto gap = [&](Count from, Count to) {
                    for (Count k = from; k < to; ++k) {
                        if (named >= kNamedPerTensor)
                            break;
                        const std::string name = nameOf(*m, k, role);
                        problem(Finding::Kind::Missing, name,
                            "missing: the class has " + name + " " + shapeText(expectedShape(*m, role)) + why, 0,
                            m->index);
                        ++named;
                    }
                    missing = add(missing, to - from);
                };
                for (const Range& r : ranges) {
                    if (r.lo < next) {
                        // Covered twice: two names for one tensor (".0." and stacked, or a folder
                        // with both a single file and shards).
                        problem(Finding::Kind::Unexpected, r.name, "stores again values another tensor already holds",
                            0, -1);
                    }
                    if (r.lo > next)
                        gap(next, std::min(r.lo, copies));
                    next = std::max(next, r.hi);
                }
                if (next < copies)
                    gap(next, copies);
                if (missing > named)
                    problem(Finding::Kind::Missing, Design::path(*m) + (role == 0 ? ".weight" : ".bias"),
                        "missing in " + withCommas(missing - named) + " more copies", 0, m->index);
            }
        }
    }

    void summarise()
    {
        auto& nodes = m_out.nodes;
        const auto& list = m_design.nodes();
        for (std::size_t i = list.size(); i-- > 1;) {
            const auto p = static_cast<std::size_t>(list[i]->parent->index);
            nodes[p].stored = add(nodes[p].stored, nodes[i].stored);
            nodes[p].extra = add(nodes[p].extra, nodes[i].extra);
        }
        m_out.findings = std::move(m_explained);
        for (auto& f : m_problems)
            m_out.findings.push_back(std::move(f));
    }

    struct Range {
        Count lo, hi;
        std::string name;
    };

    const Design& m_design;
    const Evaluation& m_eval;
    const TensorList& m_list;
    Verification& m_out;
    bool m_gguf = m_list.format == TensorList::Format::Gguf;
    std::vector<std::ptrdiff_t> m_partners = mxfp4Partners(m_list);
    std::unordered_map<std::string_view, std::size_t> m_byName; ///< filled by tensorNamed()
    std::vector<Count> m_span, m_offset;
    const Module* m_layers = nullptr;
    int m_dropsBase = 0;
    int m_legacyText = 0; ///< names matched through legacyTextModel()
    std::unordered_map<std::string, std::size_t> m_groups;
    std::vector<Finding> m_explained, m_problems;
    std::unordered_map<std::size_t, std::vector<Range>> m_covered;
};

} // namespace

bool Verification::ok() const
{
    return problemCount() == 0 && matched == formulaTotal;
}

Count Verification::problemCount() const
{
    Count n = 0;
    for (const auto& f : findings)
        if (f.isProblem())
            n = add(n, f.tensors);
    return n;
}

std::vector<DtypeUse> dtypeUse(const TensorList& tensors)
{
    std::map<std::string, DtypeUse> by;
    const auto partners = mxfp4Partners(tensors);
    for (std::size_t i = 0; i < tensors.tensors.size(); ++i) {
        const auto& t = tensors.tensors[i];
        // An MXFP4 pair is one format: the blocks' values (two per byte), their bytes and the
        // scales' bytes, so its bits per value (4.25) explain the file's size.
        const bool mxfp4 = partners[i] >= 0;
        DtypeUse& u = by[mxfp4 ? "MXFP4" : t.dtype];
        u.dtype = mxfp4 ? "MXFP4" : t.dtype;
        u.tensors = add(u.tensors, 1);
        if (!mxfp4)
            u.values = add(u.values, t.count);
        else if (t.name.ends_with("_blocks"))
            u.values = add(u.values, checkedMul(t.count, 2).value_or(INT64_MAX));
        u.bytes = add(u.bytes, t.bytes);
    }
    std::vector<DtypeUse> out;
    for (auto& [name, u] : by) {
        u.bitsPerWeight = u.values > 0 ? 8.0 * static_cast<double>(u.bytes) / static_cast<double>(u.values) : 0;
        out.push_back(u);
    }
    std::stable_sort(out.begin(), out.end(), [](const DtypeUse& a, const DtypeUse& b) { return a.bytes > b.bytes; });
    return out;
}

Verification verify(const Design& design, const Evaluation& evaluation, const TensorList& tensors)
{
    Verification v;
    v.format = tensors.format;
    v.files = tensors.files;
    v.formulaTotal = evaluation.total;
    v.fileTensors = static_cast<Count>(tensors.tensors.size());
    v.fileValues = tensors.totalValues();
    // MXFP4 blocks hold two values per byte (their count is in bytes).
    const auto partners = mxfp4Partners(tensors);
    for (std::size_t i = 0; i < tensors.tensors.size(); ++i)
        if (partners[i] >= 0 && tensors.tensors[i].name.ends_with("_blocks"))
            v.fileValues = add(v.fileValues, tensors.tensors[i].count);
    v.fileBytes = tensors.fileBytes;
    v.dtypes = dtypeUse(tensors);
    Matcher(design, evaluation, tensors, v).run();
    return v;
}

} // namespace paramscope::core
