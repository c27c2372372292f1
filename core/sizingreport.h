// SPDX-License-Identifier: MIT
#pragma once

// The `memory` and `flops` reports: every figure of sizing.h and flops.h for one design, with the
// convention it follows, as text, JSON, CSV or Markdown.

#include "flops.h"
#include "report.h"
#include "sizing.h"

namespace paramscope::core {

struct MemoryOptions {
    DataType dtype; ///< weights (bf16)
    DataType kvDtype; ///< KV cache (bf16)
    std::optional<Count> context; ///< tokens; default: the design's P
    /// Encoder-decoders: the input's tokens, which the cross-attention caches; default: the context.
    std::optional<Count> encoderContext;
    Count batch = 1;
    Count devices = 1; ///< training devices (ZeRO shards over them)
    int zeroStage = 0; ///< 0: no sharding
    bool zeroGiven = false; ///< devices needed are counted at this stage, else at ZeRO-3
    std::vector<Count> deviceMemory { 24000000000, 80000000000 }; ///< bytes per device, for "fits on"
};

/// What fits on one device of @p bytes.
struct DeviceFit {
    Count bytes = 0;
    bool weightsFit = false;
    Count inference = 0; ///< weights + KV cache at the context and batch
    bool inferenceFits = false;
    Count largestContext = 0; ///< at the batch, up to contextCap; 0: not even one token
    Count contextCap = 0;
    bool capIsP = true; ///< the cap is the design's P; else 2^40 (no P: T5's relative positions, Mamba)
    Count largestBatch = 0; ///< at the context; 0: not even one sequence
    int trainingStage = 3;
    std::optional<Count> trainingDevices; ///< fewest such devices for the training states
};

struct MemoryReport {
    std::string name, className;
    Count parameters = 0;
    Count context = 0, batch = 1;
    WeightMemory weights;
    std::vector<WeightMemory> otherFormats; ///< fp32, bf16, fp8, int4 (and the chosen one)
    std::vector<AttentionGroup> attention;
    DataType kvDtype;
    Count kvPerToken = 0; ///< one token, batch 1, every layer (windows not yet full)
    Count kvBytes = 0; ///< at context × batch
    bool compressed = false; ///< some layer caches less than the keys and values (MLA)
    Count kvUncompressedPerToken = 0, kvUncompressedBytes = 0;
    /// Encoder-decoder: the decoder's cross-attention k and v of the encoder's states, for an input
    /// of `encoderContext` tokens (unless given, the same length as the decoder's), once per input.
    std::vector<AttentionGroup> cross;
    Count encoderContext = 0;
    bool encoderGiven = false; ///< encoderContext was given, not taken from the context
    Count crossPerToken = 0; ///< per encoder token, batch 1
    Count crossBytes = 0; ///< at encoderContext × batch
    /// State-space mixers: per sequence, whatever the context (in kvDtype).
    std::vector<StateGroup> states;
    Count statePerSequence = 0;
    Count stateBytes = 0; ///< × batch
    TrainingMemory training;
    std::vector<DeviceFit> fits;
};

/// Error: a bad option (the message names it), or an overflow naming the figure.
Result<MemoryReport> memoryReport(const Counted& c, const MemoryOptions& options);
/// The same for @p design evaluated as @p e (the app's document holds them apart: no copy per step).
Result<MemoryReport> memoryReport(const Design& design, const Evaluation& e, const MemoryOptions& options);
/// Text, JSON, CSV or Markdown (LaTeX is refused by the caller).
std::string memoryOutput(const MemoryReport& r, Format format);

struct FlopsReport {
    std::string name, className;
    std::vector<AttentionGroup> attention;
    std::vector<AttentionGroup> cross; ///< an encoder-decoder's cross-attention
    Flops flops;
};
/// @p context: default the design's P; @p tokens 0: compute-optimal.
/// @p encoder: an encoder-decoder's input tokens (default: the context).
Result<FlopsReport> flopsReport(
    const Counted& c, std::optional<Count> context, Count tokens, std::optional<Count> encoder = std::nullopt);
Result<FlopsReport> flopsReport(const Design& design, const Evaluation& e, std::optional<Count> context, Count tokens,
    std::optional<Count> encoder = std::nullopt);
std::string flopsOutput(const FlopsReport& r, Format format);

/// The conventions the reports state, in the words the app shows beside its figures.
struct SizingConventions {
    const char* weights;
    const char* kvCache;
    const char* kvUncompressed;
    const char* training;
    const char* fits;
    const char* forwardFormula;
    const char* forward;
    const char* trainingFlopsFormula;
    const char* trainingFlops;
    const char* optimalFormula;
    const char* optimal;
    const char* units;
    const char* crossCache; ///< an encoder-decoder's cross-attention cache
    const char* state; ///< state-space layers' state per sequence
    const char* crossFlopsFormula;
    const char* crossFlops;
};
const SizingConventions& sizingConventions();
/// Which training states ZeRO stage @p stage shards ("ZeRO-1 shards the optimizer states (12 B/param)").
std::string zeroShardingText(int stage);

} // namespace paramscope::core
