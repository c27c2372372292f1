// SPDX-License-Identifier: MIT
#pragma once

#include "design.h"

#include <QUndoCommand>

namespace paramscope::ui {

class Document;

/// Command ids for QUndoCommand::id(); merging commands only.
enum CommandId { SetValueId = 1 };

/// One hyperparameter step. Steps of one slider drag merge (same symbol, same drag serial);
/// a drag that ends where it began is obsolete.
class SetValueCommand : public QUndoCommand {
public:
    SetValueCommand(Document* document, std::string symbol, core::Count oldValue, core::Count newValue, int dragSerial);

    void undo() override;
    void redo() override;
    int id() const override { return SetValueId; }
    bool mergeWith(const QUndoCommand* other) override;

private:
    Document* m_document;
    std::string m_symbol;
    core::Count m_old;
    core::Count m_new;
    int m_drag;
};

/// A structural edit: the design before and after (designs are small; a snapshot keeps every
/// edit exactly reversible, whatever core::edits did).
class ReplaceDesignCommand : public QUndoCommand {
public:
    ReplaceDesignCommand(
        Document* document, core::Design before, core::Design after, const QString& text, const QString& source);

    void undo() override;
    void redo() override;

private:
    Document* m_document;
    core::Design m_before;
    core::Design m_after;
    QString m_source;
};

} // namespace paramscope::ui
