// SPDX-License-Identifier: MIT
#pragma once

// Building blocks shared by the Hugging Face importers (core/hf/*.cpp): symbol declarations read
// from config fields, and the modules most decoder families are made of. Shapes are written in the
// standard symbol names:
//   V vocab_size, P max_position_embeddings, E hidden_size, H num_attention_heads, L num_hidden_layers,
//   K num_key_value_heads, D head_dim, F intermediate_size, X experts, Xk experts per token,
//   Fx expert intermediate size.
// A symbol's field is the config field's full name (HfConfig::name), so a nested config gives
// "text_config.hidden_size"; `--set` matches that name.

#include "config.h"

#include <functional>

namespace paramscope::core::hf {

// ---- Hyperparameters ----
// Single fields are read and declared with HfReader (reader.h).

/// Class defaults of the usual decoder fields (LlamaConfig and its relatives).
struct DecoderDefaults {
    std::optional<Count> vocab;
    std::optional<Count> hidden;
    std::optional<Count> intermediate;
    std::optional<Count> layers;
    std::optional<Count> heads;
    std::optional<Count> kvHeads; ///< used when the key is absent; nullopt: num_attention_heads
    std::optional<Count> headDim; ///< used when the key is absent; nullopt: hidden_size / num_attention_heads
    std::optional<Count> positions; ///< max_position_embeddings when absent; nullopt: P not declared
    bool intermediateField = true; ///< false: the class has no intermediate_size (every MLP routed), F not declared
};

/// Values read by declareDecoderSymbols().
struct DecoderSymbols {
    Count V = 0, P = 0, E = 0, H = 0, L = 0, K = 0, D = 0, F = 0;
};

/// Declares V, P, E, H, L, K, D, F (in that order; P only when given or defaulted) from vocab_size,
/// max_position_embeddings, hidden_size, num_attention_heads,
/// num_hidden_layers, num_key_value_heads, head_dim and intermediate_size, as the config classes
/// read them: an absent key takes the class default; num_key_value_heads null gives K = H; head_dim
/// null or 0 gives D = E/H (derived, so it follows E and H). Adds the check that K divides H and
/// a note for each derived default.
Result<DecoderSymbols> declareDecoderSymbols(Design& design, HfConfig& config, const DecoderDefaults& defaults);

// ---- Modules ----

/// Makes @p design's root a @p className container and returns the container that holds the base
/// model's modules: the root itself for the bare model class, or, when @p wrapped (the class with
/// a head, e.g. LlamaForCausalLM), the root's child @p name of class @p modelClass ("model", "LlamaModel").
Module* baseModel(Design& design, const std::string& className, bool wrapped, std::string name, std::string modelClass);

/// Linear(in, out, bias) named @p name; @p in and @p out are expressions.
std::unique_ptr<Module> linear(std::string name, const std::string& in, const std::string& out, bool bias);
/// RMSNorm(dim) shown as @p type ("LlamaRMSNorm").
std::unique_ptr<Module> rmsNorm(std::string name, std::string type, const std::string& dim);
/// LayerNorm(dim) with or without bias, shown as @p type.
std::unique_ptr<Module> layerNorm(
    std::string name, const std::string& dim, bool bias = true, std::string type = "LayerNorm");
/// An empty ModuleList container (children: the repeated entries, unnamed).
std::unique_ptr<Module> moduleList(std::string name);
/// Makes @p m a repeated list entry: unnamed, @p repeat copies, @p active of them per token (empty: all).
std::unique_ptr<Module> repeated(std::unique_ptr<Module> m, const std::string& repeat, const std::string& active = {});

/// How a Llama-style attention block is shaped.
struct AttentionSpec {
    std::string type; ///< "LlamaAttention"
    bool qkvBias = false; ///< bias on q_proj, k_proj, v_proj
    bool outBias = false; ///< bias on the output projection
    std::string qkNormType; ///< class of q_norm/k_norm RMSNorm(D) ("Qwen3RMSNorm"); empty: none
    std::string outName = "o_proj";
};
/// q_proj Linear(E, H*D), k_proj and v_proj Linear(E, K*D), o_proj Linear(H*D, E),
/// then q_norm and k_norm RMSNorm(D) when the spec has them.
std::unique_ptr<Module> llamaAttention(std::string name, const AttentionSpec& spec);

/// gate_proj Linear(in, hidden), up_proj Linear(in, hidden), down_proj Linear(hidden, in).
std::unique_ptr<Module> gatedMlp(
    std::string name, std::string type, const std::string& in, const std::string& hidden, bool bias);
/// fc1 Linear(in, hidden), fc2 Linear(hidden, in) (names configurable).
std::unique_ptr<Module> plainMlp(std::string name, std::string type, const std::string& in, const std::string& hidden,
    bool bias, std::string fc1 = "fc1", std::string fc2 = "fc2");

/// Appends lm_head Linear(E, V, bias=false) to @p parent; when @p tied it shares the weight at
/// @p embeddingPath (counted once, as num_parameters() does); Design::allNotes() says so.
void addLmHead(Design& design, Module& parent, bool tied, const std::string& embeddingPath);

/// The most runs a layer stack may have (an explicit list such as mlp_only_layers can break a
/// stack into many); more is refused, naming the field, rather than building a huge tree.
inline constexpr std::size_t kMaxLayerRuns = 10000;

/// An entry of a layer stack: @p repeat copies of a layer of @p kind, or, when @p period is not
/// empty, @p repeat copies of that group of entries (one period of a periodic pattern). Stacks are
/// described by their runs, never layer by layer, so that L = 2^40 costs what L = 2 costs.
struct LayerRun {
    int kind = 0;
    std::string repeat; ///< an expression: "L", "Ld", "L - Ld", "(L - 1)/2", "29"
    std::vector<LayerRun> period;
};

/// A layer stack of literal length built in O(runs): appends merge with the last run when they
/// continue it, so a periodic rule over 2^40 layers stays a handful of runs.
class LayerPattern {
public:
    /// @p count more layers of @p kind.
    void append(int kind, Count count);
    /// @p times copies of @p group ((kind, count) runs).
    void appendPeriod(const std::vector<std::pair<int, Count>>& group, Count times);
    /// Layers [@p from, @p to) where layer l is @p special when l % @p period == @p residue and
    /// @p base otherwise (MoE every few layers, a sparse step).
    void appendRule(Count from, Count to, Count period, Count residue, int special, int base);

    /// Entries so far (a period counts as one).
    std::size_t size() const { return m_runs.size(); }
    /// The (kind, count) runs when there is no period among them, else empty.
    std::vector<std::pair<int, Count>> plainRuns() const;
    bool contains(int kind) const;
    /// The runs with literal repeats.
    std::vector<LayerRun> runs() const;

private:
    struct Run {
        std::vector<std::pair<int, Count>> group; ///< one element: a plain run of group[0].second layers
        Count times = 1;
    };
    std::vector<Run> m_runs;
};

/// Layer kinds that repeat every period() layers from layer 0, held as the runs of one period: the
/// rule of a stack (every n-th layer full, every step-th routed) kept per run, never per layer.
class LayerCycle {
public:
    /// One kind on every layer.
    explicit LayerCycle(int kind = 0);
    /// One period's (kind, count) runs (counts positive); adjacent runs of one kind merge, and a
    /// single kind becomes a period of one layer.
    explicit LayerCycle(const std::vector<std::pair<int, Count>>& runs);
    /// Layer l is @p special when (l + 1) % @p n == 0, else @p base (Qwen3-MoE's decoder_sparse_step,
    /// Qwen3-Next's full_attention_interval).
    static LayerCycle every(Count n, int base, int special);
    /// Layer l's kind 2·a(l) + b(l) (b's kinds are 0 or 1) over the first @p length layers, as a cycle
    /// of that period (@p length: the periods' least common multiple, or the stack's length when that
    /// is shorter). Built per run; nullopt when it has more than @p maxRuns runs.
    static std::optional<LayerCycle> product(
        const LayerCycle& a, const LayerCycle& b, Count length, std::size_t maxRuns);

    Count period() const { return m_starts.back(); }
    const std::vector<std::pair<int, Count>>& runs() const { return m_runs; }
    int kindAt(Count layer) const;
    /// Appends layers [@p from, @p to) to @p pattern: the partial period at each end run by run,
    /// the whole periods between as one repeated group.
    void appendTo(LayerPattern& pattern, Count from, Count to) const;

private:
    /// Appends layers [@p from, @p to) of one period (0 <= from < to <= period()).
    void appendSlice(LayerPattern& pattern, Count from, Count to) const;
    std::size_t runAt(Count offset) const;

    std::vector<std::pair<int, Count>> m_runs;
    std::vector<Count> m_starts; ///< run i starts at layer m_starts[i]; the last entry is the period
};

/// How a stack of layers is laid out, for layerRuns().
struct LayerRule {
    LayerCycle cycle; ///< the kinds, repeating from layer 0
    /// What makes the cycle, for the check on L's remainder: "decoder_sparse_step = 2", or
    /// "full_attention_interval = 4 and decoder_sparse_step = 2" (then `together`).
    std::string names;
    bool together = false;
    /// Layers made dense whatever the cycle says (mlp_only_layers): sorted, distinct, each below L.
    /// Kinds are then 2·a + kDense/kRouted (SparseLayers), and a listed layer's is 2·a + kDense.
    std::vector<Count> dense;
    std::string denseField; ///< the field `dense` comes from, named when it makes too many runs
    bool literal = false; ///< L is fixed (a list pins the stack): runs of literal length
};

/// The runs of a stack of @p layers layers laid out per @p rule, built per run (O(runs), never per
/// layer). Literal when the rule is; otherwise whole cycles as periods in L ("(L - r)/q") and the r
/// layers after them, with a check (added through @p b) that L keeps this remainder, naming
/// num_hidden_layers and rule.names. More than kMaxLayerRuns runs: an error naming the field.
Result<std::vector<LayerRun>> layerRuns(DesignBuilder& b, const HfConfig& config, const LayerRule& rule, Count layers);

/// Appends @p runs to @p list: a plain run becomes a repeated entry made by @p make (given the
/// kind), a periodic one an unnamed repeated container ("period of 3 layers") holding its entries.
void addLayerRuns(
    Module& list, const std::vector<LayerRun>& runs, const std::function<std::unique_ptr<Module>(int)>& make);

/// The dense and routed layers of a Qwen-style MoE stack (qwen3_moe, qwen3_vl_moe, qwen3_next …).
struct SparseLayers {
    static constexpr int kDense = 0;
    static constexpr int kRouted = 1;
    bool any = false; ///< the stack holds routed layers (possibly none copied at this L)
    /// kDense / kRouted runs; with another kind per layer (declareSparseLayers' @p other), runs of
    /// 2·other + kDense / kRouted.
    std::vector<LayerRun> runs;
    bool fixLayers = false; ///< the runs hold L's value, not L: L must be fixed
    std::string why; ///< why L is fixed
};

/// Class defaults of the expert fields.
struct SparseDefaults {
    Count experts = 128; ///< num_experts
    Count perToken = 8; ///< num_experts_per_tok
    Count width = 768; ///< moe_intermediate_size
};

/// A second kind each layer has, independent of dense/routed (Qwen3-Next's linear or full
/// attention), for declareSparseLayers() to combine with it.
struct OtherKinds {
    LayerCycle cycle; ///< the kinds from layer 0; listed ones (layer_types) as a cycle of period L
    std::string names; ///< the rule's field and value ("full_attention_interval = 4"), or the list's field
};

/// Declares X (num_experts, or num_local_experts as transformers v5 names it), Xk and Fx, and reads
/// the stack: layer l is routed unless listed in mlp_only_layers or off decoder_sparse_step
/// ((l + 1) % step != 0). A step gives periods in L (with a check keeping the remainder); a list
/// fixes L, and so does @p literal (the caller's pattern pins the layer count; it gives the reason).
/// X = 0 makes every layer dense. With @p other, each layer's kind is 2·other + dense/routed, the
/// two patterns repeating together (every least common multiple of their periods).
Result<SparseLayers> declareSparseLayers(Design& d, HfConfig& config, Count layers, const SparseDefaults& defaults,
    bool literal = false, const std::optional<OtherKinds>& other = std::nullopt);

/// Reads a `layer_types` list: every entry one of @p kinds (an entry's kind is its index there), one
/// entry per layer (@p layers), as runs built per run. Absent or null: nullopt. An unknown entry or a
/// list of another length is an error naming the field.
Result<std::optional<LayerPattern>> readLayerTypes(
    HfConfig& config, Count layers, const std::vector<std::string>& kinds);

/// Why a `layer_types` list fixes L: it names every layer, and transformers refuses a list of another
/// length (layer_type_validation), so the pattern holds for this layer count only.
std::string listedLayersWhy(const HfConfig& config);

/// Which layers of a decoder attend through a sliding window, for the KV cache (no parameters).
struct SlidingWindows {
    Count window = 0; ///< tokens a windowed layer holds; 0: no layer is windowed
    Count fullEvery = 0; ///< 0: every layer windowed; n: layer l attends fully when (l + 1) % n == 0
    /// A layer_types list that follows no such period: per-layer kinds (kSliding or kFull) as runs,
    /// whose literal repeats fix L. Empty otherwise.
    std::vector<LayerRun> runs;
    /// The config lists every layer (layer_types, of length L): the stack holds for this layer count
    /// only, so L is fixed (fixListedLayers) and a one-run stack repeats literally (repeat()).
    bool listed = false;
    static constexpr int kFull = 0;
    static constexpr int kSliding = 1;

    /// How many copies a one-run stack has: "L", or L's value when the layers are listed.
    std::string repeat(Count layers) const { return listed ? std::to_string(layers) : "L"; }
};

/// Reads sliding_window (@p windowDefault when absent; null means none), then the pattern: a
/// `layer_types` list ("sliding_attention" / "full_attention", one entry per layer: @p layers) when
/// the config has one, else @p patternField (every n-th layer full; Gemma 3's
/// sliding_window_pattern) with @p patternDefault, or @p fullEvery when there is no such field
/// (Gemma 2 alternates). A list is checked whatever the window (transformers validates it so); a
/// periodic one becomes fullEvery (one run), one with no period runs. Either way it sets listed.
Result<SlidingWindows> readSlidingWindows(
    HfConfig& config, std::optional<Count> windowDefault, Count layers, const char* patternField, Count patternDefault);

/// Fixes L when @p w says the config lists every layer, saying why (listedLayersWhy()).
void fixListedLayers(Design& design, const HfConfig& config, const SlidingWindows& w);

/// Marks @p attention's KV cache as windowed per @p w; @p kind is the layer's run kind when
/// @p w has runs (kFull leaves it unwindowed).
void setWindow(Module& attention, const SlidingWindows& w, int kind = SlidingWindows::kSliding);

/// Makes the hyperparameter @p name fixed: removes it from @p design, whose tree must no longer use
/// it, and notes why with fixedNote() (which applySetting() quotes when asked to change it).
void fixSymbol(Design& design, const std::string& name, const std::string& why);

/// Sets the design's name from "_name_or_path" (if any) and its source line.
void describe(Design& design, HfConfig& config, const std::string& modelType, const std::string& className);

} // namespace paramscope::core::hf
