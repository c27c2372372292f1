// SPDX-License-Identifier: MIT
#pragma once

#include "module.h"

#include <map>
#include <optional>

namespace paramscope::core {

/// A hyperparameter: set to a value (E = 768) or derived from others (F = 4*E, D = E/H).
struct Symbol {
    std::string name;
    std::string description; ///< "width (hidden size)"
    std::string field; ///< the config.json field it came from, if any ("hidden_size")
    Count value = 0; ///< when set
    Expr definition; ///< when derived; empty when set
    Count minimum = 1; ///< smallest valid value (0 for optional counts such as shared experts)

    bool isDerived() const { return !definition.isEmpty(); }
};

/// A divisibility or range condition a design needs to be buildable (KV heads divide heads),
/// written as an expression that must evaluate exactly.
struct Check {
    Expr expr;
    std::string message; ///< why, shown with the failure
};

/// A note shown with a design's numbers. Kept notes are stored in the design file (config
/// defaults assumed, why a published size differs); derived ones follow from the structure (a
/// tied weight) and are computed whenever they are read, so an edit can never leave one stale.
struct Note {
    enum class Kind {
        Tie, ///< derived: a module shares another's weight; never stored
        Kept, ///< stored with the design (Design::notes)
    };
    Kind kind = Kind::Kept;
    std::string text;
    std::string node; ///< Tie: path of the module that shares a weight
    std::string target; ///< Tie: path of the module whose weight it shares
};

/// An architecture: hyperparameters, a module tree and what is known of it.
/// Edit it freely, then call compile() before evaluating: compile() binds names,
/// orders derived symbols, resolves ties and numbers the nodes.
class Design {
public:
    Design();
    Design(const Design& other);
    Design& operator=(const Design& other);
    Design(Design&&) noexcept = default;
    Design& operator=(Design&&) noexcept = default;

    std::string name; ///< "GPT-2 small"
    std::string source; ///< where the architecture comes from
    std::string className; ///< the class counted ("GPT2LMHeadModel")
    std::optional<Count> publishedTotal; ///< the size its authors published, if known
    /// Kept notes only (config defaults assumed, why a published size differs): what follows from
    /// the structure, such as ties, is derived by allNotes() and never stored here.
    std::vector<std::string> notes;
    std::vector<Symbol> symbols; ///< in display order
    std::vector<Check> checks;
    std::unique_ptr<Module> root;

    int symbolIndex(std::string_view name) const;
    const Symbol* symbol(std::string_view name) const;

    /// Sets a hyperparameter; a derived one becomes set (its ratio unlocked). Derived
    /// symbols depending on it follow at the next evaluation. Error: unknown name.
    Status setValue(std::string_view name, Count value);

    /// Binds and checks everything; must run after any edit and before evaluation.
    Status compile();
    bool isCompiled() const { return m_compiled; }

    /// The nodes in pre-order (valid after compile()).
    const std::vector<Module*>& nodes() const { return m_nodes; }
    /// Derived symbols in an order where each follows what it uses (valid after compile()).
    const std::vector<int>& derivationOrder() const { return m_order; }
    /// For each node index, the index of the node whose weight it shares, or -1.
    const std::vector<int>& ties() const { return m_ties; }

    /// Every note, derived ones first (ties, in tree order), then the kept ones. Derived notes are
    /// computed from the tree as it is now; no compile() needed.
    std::vector<Note> allNotes() const;

    /// Dotted path of @p m ("transformer.h.*.attn"): an unnamed (repeated) entry is "*".
    static std::string path(const Module& m);
    /// The node at a dotted path of names, or nullptr.
    Module* find(std::string_view path) const;

private:
    bool m_compiled = false;
    std::vector<Module*> m_nodes;
    std::vector<int> m_order;
    std::vector<int> m_ties;
};

} // namespace paramscope::core
