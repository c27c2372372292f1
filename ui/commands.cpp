// SPDX-License-Identifier: MIT
#include "commands.h"

#include "document.h"

namespace paramscope::ui {

SetValueCommand::SetValueCommand(
    Document* document, std::string symbol, core::Count oldValue, core::Count newValue, int dragSerial)
    : m_document(document)
    , m_symbol(std::move(symbol))
    , m_old(oldValue)
    , m_new(newValue)
    , m_drag(dragSerial)
{
    setText(QObject::tr("Set %1 to %2").arg(QString::fromStdString(m_symbol)).arg(m_new));
}

void SetValueCommand::undo()
{
    m_document->setSymbolValue(m_symbol, m_old, QStringLiteral("symbol:") + QString::fromStdString(m_symbol));
}

void SetValueCommand::redo()
{
    m_document->setSymbolValue(m_symbol, m_new, QStringLiteral("symbol:") + QString::fromStdString(m_symbol));
}

bool SetValueCommand::mergeWith(const QUndoCommand* other)
{
    const auto* next = static_cast<const SetValueCommand*>(other);
    if (next->m_document != m_document || next->m_symbol != m_symbol || m_drag == 0 || next->m_drag != m_drag)
        return false;
    m_new = next->m_new; // keep our m_old
    setText(QObject::tr("Drag %1 to %2").arg(QString::fromStdString(m_symbol)).arg(m_new));
    setObsolete(m_new == m_old);
    return true;
}

ReplaceDesignCommand::ReplaceDesignCommand(
    Document* document, core::Design before, core::Design after, const QString& text, const QString& source)
    : m_document(document)
    , m_before(std::move(before))
    , m_after(std::move(after))
    , m_source(source)
{
    setText(text);
}

void ReplaceDesignCommand::undo()
{
    m_document->replaceDesign(m_before, m_source);
}

void ReplaceDesignCommand::redo()
{
    m_document->replaceDesign(m_after, m_source);
}

} // namespace paramscope::ui
