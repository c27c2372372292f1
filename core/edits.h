// SPDX-License-Identifier: MIT
#pragma once

#include "design.h"

namespace paramscope::core {

/// Structural edits of a design, as the app offers them. Each works on a compiled @p design,
/// addresses modules by their pre-order index (Module::index), leaves the design compiled when
/// it succeeds, and returns an Error (with the design possibly changed) when it does not: callers
/// edit a copy and keep the original on failure. None of them evaluates anything.

/// Renames node @p node; ties that point at it or into it follow. Error: root, duplicate
/// sibling name, not an identifier.
Status renameModule(Design& design, int node, const std::string& name);

/// A fresh module of @p kind with a shape in the design's symbols (Linear(E, E) …), named after
/// the kind and unique among @p parent's children, appended to container @p parent.
/// Returns the new node's index.
Result<int> addChildModule(Design& design, int parent, ModuleKind kind);

/// Removes node @p node and its subtree; modules tied to a removed one keep their own weight.
Status removeModule(Design& design, int node);

/// Inserts a deep copy right after node @p node (renamed "<name>_copy" when named).
/// Returns the copy's index.
Result<int> duplicateModule(Design& design, int node);

/// Moves node @p node by @p delta places among its siblings. Returns its new index.
Result<int> moveModule(Design& design, int node, int delta);

/// Sets the bias switch. Error: the kind has none.
Status setBias(Design& design, int node, bool bias);

/// Sets argument @p arg of a leaf's shape, or (arg == -1) the repeat count of a module
/// ("" for one copy), or (arg == -2) its active copies. Error: the text does not parse or names
/// an unknown hyperparameter.
Status setExpression(Design& design, int node, int arg, const std::string& text);

/// The output head to tie or untie: a leaf named "lm_head", else -1.
int findOutputHead(const Design& design);
/// Ties @p node to the Embedding with the same number of weights, or unties it when tied.
Status toggleTie(Design& design, int node);

/// LayerNorm ↔ RMSNorm for node @p node, or for every norm in the design when @p node is -1
/// (the kind of the first norm decides the direction).
Status switchNorm(Design& design, int node);

/// Whether container @p node is a gated MLP (three projections, two from the same input).
bool isGatedMlp(const Design& design, int node);
/// MLP ↔ gated MLP: adds a gate projection (a copy of the up projection) or removes it.
/// @p node is an MLP container, or -1 for every MLP (role "mlp") in the design.
Status switchMlp(Design& design, int node);

/// Whether attention container @p node has fewer key/value heads than query heads (uses K).
bool isGroupedAttention(const Design& design, int node);
/// MHA ↔ GQA: key/value projections go from H·D (or E) outputs to K·D and back. Adds the
/// hyperparameter K (KV heads, dividing H) when the design has none, and removes it when no
/// longer used. @p node is an attention container, or -1 for every attention (role "attention").
Status switchAttention(Design& design, int node);

} // namespace paramscope::core
