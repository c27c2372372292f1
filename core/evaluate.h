// SPDX-License-Identifier: MIT
#pragma once

#include "design.h"

namespace paramscope::core {

/// The numbers of one node for the current hyperparameter values.
struct NodeValue {
    Count each = 0; ///< parameters of one copy (a tied leaf counts only what it does not share)
    Count repeat = 1; ///< copies
    Count count = 0; ///< each × repeat: what the node adds to the total
    Count active = 0; ///< of count, what one token uses (MoE: top-k experts of all)
    Count embedding = 0; ///< of count, what sits in Embedding leaves
    Count first = 0; ///< index of the first copy in its list ("(12-23): 12 × Block")
    std::vector<Count> args; ///< the evaluated shape
};

/// Every count of a design at its current hyperparameter values. Exact: any overflow or
/// inexact division makes the whole evaluation an Error, never a partial or wrapped number.
struct Evaluation {
    std::vector<Count> symbols; ///< value of each hyperparameter, set or derived
    std::vector<NodeValue> nodes; ///< by Module::index
    Count total = 0;
    Count nonEmbedding = 0; ///< total without Embedding weights (transformers' exclude_embeddings)
    Count active = 0; ///< per token; equals total unless the design routes experts
    bool sparse = false; ///< has routed experts (active_repeat somewhere)
};

/// Values of all hyperparameters: set ones as given, derived ones computed in order, each checked
/// against its minimum, then the design's checks. The Error names the symbol.
Result<std::vector<Count>> evaluateSymbols(const Design& design);

/// Counts every node. Pure; @p design must be compiled. Safe to call from any thread.
Result<Evaluation> evaluate(const Design& design);

/// The same, reusing @p out's storage: the hot path of a slider drag.
Status evaluateInto(const Design& design, Evaluation& out);

} // namespace paramscope::core
