// SPDX-License-Identifier: MIT
#pragma once

#include "evaluate.h"
#include "formula.h"

#include <QObject>
#include <QString>

#include <functional>
#include <map>
#include <optional>

class QUndoStack;

namespace paramscope::ui {

/// The open design, its undo stack and its last valid numbers. Edits arrive as commands
/// (see commands.h), which call the two setters below; models and widgets listen to the signals.
///
/// The design held is always compiled. Its evaluation may fail (E not divisible by H, an
/// overflow): then error() says why and evaluation() keeps the last valid numbers.
class Document : public QObject {
    Q_OBJECT
public:
    explicit Document(QObject* parent = nullptr);
    ~Document() override;

    /// Replaces everything: the undo stack is cleared and models reset. @p design must compile.
    core::Status load(core::Design design, const QString& filePath = {});

    const core::Design& design() const { return m_design; }
    /// The last valid evaluation (of this structure when countsValid()).
    const core::Evaluation& evaluation() const { return m_evaluation; }
    /// Whether evaluation() belongs to the current tree (false after a structural edit made while
    /// the values were invalid: then no count is shown rather than one of another tree).
    bool countsValid() const { return m_evaluationStructure == m_structure; }
    /// Formulas by node index; they depend on the structure only.
    const std::vector<core::NodeFormula>& formulas() const { return m_formulas; }
    /// Parameters node @p node adds across all copies of its enclosing blocks; 0 when !countsValid().
    core::Count overall(int node) const;
    /// Copies of the enclosing repeated blocks of @p node.
    core::Count multiplicity(int node) const;

    /// Why the current values do not evaluate, if they do not.
    const std::optional<core::Error>& error() const { return m_error; }
    /// What caused the last change ("symbol:E", "node:transformer.wte:arg:0"), to show the error there.
    const QString& errorSource() const { return m_source; }

    QUndoStack* undoStack() const { return m_undoStack; }
    QString filePath() const { return m_filePath; }
    /// "GPT-2 small", or the file name.
    QString displayName() const;

    /// Writes the design file atomically (QSaveFile); marks the stack clean on success.
    /// Only kept notes are written: derived ones (ties) follow from the tree when read.
    bool save(const QString& path, QString* error);
    /// Marks the design as having unsaved edits (a design restored from an autosave), so that
    /// closing asks and the autosave keeps it.
    void markModified();
    /// Writes the counts table of the current values, in the format of @p path's suffix: .csv,
    /// .md (Markdown), .json, .tex (LaTeX booktabs) or .txt, as `paramscope-cli count` does.
    /// Fails, naming why, when the values are invalid or the file cannot be written.
    bool exportTable(const QString& path, QString* error) const;

    /// Pushes one slider or spin-box step. Steps between beginDrag() and endDrag() on the same
    /// symbol merge into one undo step.
    void pushValue(const std::string& symbol, core::Count value);
    void beginDrag();
    void endDrag();
    int dragSerial() const { return m_dragging ? m_dragSerial : 0; }

    /// Applies @p edit to a copy of the design and, when it succeeds and compiles, pushes it as
    /// one undo step named @p text. On failure nothing changes and @p error says why.
    bool applyEdit(const QString& text, const std::function<core::Status(core::Design&)>& edit,
        const QString& source = {}, QString* error = nullptr);

    /// The definition a derived symbol had when the design was loaded (to lock it again).
    std::optional<core::Expr> originalDefinition(const std::string& symbol) const;

    // Used by the commands only.
    void setSymbolValue(const std::string& symbol, core::Count value, const QString& source);
    void replaceDesign(const core::Design& design, const QString& source);

signals:
    void aboutToReset();
    void resetDone();
    void structureAboutToChange();
    void structureChanged();
    /// Values (counts, shapes, shares) changed; the structure did not.
    void valuesChanged();
    void errorChanged();
    /// After any of the above: the design or its numbers changed.
    void changed();
    void filePathChanged();

private:
    void recompute();
    void updateOveralls();

    core::Design m_design;
    core::Evaluation m_evaluation;
    core::Evaluation m_scratch;
    std::vector<core::NodeFormula> m_formulas;
    std::vector<core::Count> m_multiplicity;
    std::optional<core::Error> m_error;
    QString m_source;
    std::map<std::string, core::Expr> m_definitions;
    QUndoStack* m_undoStack;
    QString m_filePath;
    int m_structure = 0;
    int m_evaluationStructure = -1;
    int m_dragSerial = 0;
    bool m_dragging = false;
};

} // namespace paramscope::ui
