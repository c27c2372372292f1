// SPDX-License-Identifier: MIT
#include "document.h"

#include "commands.h"
#include "designio.h"
#include "report.h"

#include <QFileInfo>
#include <QSaveFile>
#include <QUndoStack>

#include <limits>

namespace paramscope::ui {

Document::Document(QObject* parent)
    : QObject(parent)
    , m_undoStack(new QUndoStack(this))
{
    m_design.compile();
    recompute();
}

Document::~Document() = default;

core::Status Document::load(core::Design design, const QString& filePath)
{
    if (!design.isCompiled())
        if (auto st = design.compile(); !st)
            return st;
    emit aboutToReset();
    m_undoStack->clear();
    m_design = std::move(design);
    m_definitions.clear();
    for (const auto& s : m_design.symbols)
        if (s.isDerived())
            m_definitions.emplace(s.name, s.definition);
    m_filePath = filePath;
    m_source.clear();
    ++m_structure;
    m_formulas = core::computeFormulas(m_design);
    recompute();
    emit resetDone();
    emit filePathChanged();
    emit errorChanged();
    emit changed();
    return core::Ok {};
}

core::Count Document::multiplicity(int node) const
{
    return node >= 0 && static_cast<std::size_t>(node) < m_multiplicity.size()
        ? m_multiplicity[static_cast<std::size_t>(node)]
        : 1;
}

core::Count Document::overall(int node) const
{
    if (!countsValid() || node < 0 || static_cast<std::size_t>(node) >= m_evaluation.nodes.size())
        return 0;
    const core::Count c = m_evaluation.nodes[static_cast<std::size_t>(node)].count;
    // Bounded by the total, which did not overflow.
    const auto o = core::checkedMul(c, multiplicity(node));
    return o ? *o : 0;
}

QString Document::displayName() const
{
    if (!m_design.name.empty())
        return QString::fromStdString(m_design.name);
    if (!m_filePath.isEmpty())
        return QFileInfo(m_filePath).fileName();
    return tr("Untitled");
}

namespace {

/// Writes @p text to @p path atomically.
bool writeAtomically(const QString& path, const std::string& text, QString* error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = file.errorString();
        return false;
    }
    file.write(text.data(), static_cast<qint64>(text.size()));
    if (!file.commit()) { // also reports earlier write errors
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

} // namespace

bool Document::exportTable(const QString& path, QString* error) const
{
    // The format follows the file's suffix, as in `paramscope-cli count --format`.
    const QString suffix = QFileInfo(path).suffix().toLower();
    const std::optional<core::Format> format = suffix == QLatin1String("csv") ? core::Format::Csv
        : suffix == QLatin1String("md")                                       ? core::Format::Markdown
        : suffix == QLatin1String("json")                                     ? core::Format::Json
        : suffix == QLatin1String("tex")                                      ? core::Format::Latex
        : suffix == QLatin1String("txt")                                      ? core::Format::Text
                                                                              : std::optional<core::Format>();
    if (!format) {
        if (error)
            *error = tr("Unknown table format '.%1' (use .csv, .md, .json, .tex or .txt)").arg(suffix);
        return false;
    }
    // Only numbers of the design as it stands: an invalid value exports nothing rather than
    // the last valid counts under the new values.
    auto counted = core::count(m_design);
    if (!counted) {
        if (error)
            *error = QString::fromStdString(counted.error().text());
        return false;
    }
    return writeAtomically(path, core::report(*counted, *format), error);
}

bool Document::save(const QString& path, QString* error)
{
    if (!writeAtomically(path, core::designToJson(m_design), error))
        return false;
    m_filePath = path;
    m_undoStack->setClean();
    emit filePathChanged();
    return true;
}

void Document::markModified()
{
    m_undoStack->resetClean();
}

void Document::pushValue(const std::string& symbol, core::Count value)
{
    const core::Symbol* s = m_design.symbol(symbol);
    if (!s || s->isDerived() || s->value == value)
        return;
    m_undoStack->push(new SetValueCommand(this, symbol, s->value, value, dragSerial()));
}

void Document::beginDrag()
{
    ++m_dragSerial;
    m_dragging = true;
}

void Document::endDrag()
{
    m_dragging = false;
}

bool Document::applyEdit(
    const QString& text, const std::function<core::Status(core::Design&)>& edit, const QString& source, QString* error)
{
    core::Design after = m_design;
    auto st = edit(after);
    if (st && !after.isCompiled())
        st = after.compile();
    if (!st) {
        if (error)
            *error = QString::fromStdString(st.error().text());
        return false;
    }
    m_undoStack->push(new ReplaceDesignCommand(this, m_design, std::move(after), text, source));
    return true;
}

std::optional<core::Expr> Document::originalDefinition(const std::string& symbol) const
{
    if (auto it = m_definitions.find(symbol); it != m_definitions.end())
        return it->second;
    return std::nullopt;
}

void Document::setSymbolValue(const std::string& symbol, core::Count value, const QString& source)
{
    const int i = m_design.symbolIndex(symbol);
    if (i < 0)
        return;
    // A set symbol: the value alone changes, so the compiled design stays valid (fast path).
    m_design.symbols[static_cast<std::size_t>(i)].value = value;
    m_source = source;
    const bool hadError = m_error.has_value();
    recompute();
    emit valuesChanged();
    if (hadError || m_error)
        emit errorChanged();
    emit changed();
}

void Document::replaceDesign(const core::Design& design, const QString& source)
{
    emit structureAboutToChange();
    m_design = design; // the copy is compiled: the command keeps only compiled designs
    if (!m_design.isCompiled())
        m_design.compile();
    m_source = source;
    ++m_structure;
    m_formulas = core::computeFormulas(m_design);
    recompute();
    emit structureChanged();
    emit errorChanged();
    emit changed();
}

void Document::recompute()
{
    if (auto st = core::evaluateInto(m_design, m_scratch); st) {
        std::swap(m_evaluation, m_scratch);
        m_evaluationStructure = m_structure;
        m_error.reset();
        updateOveralls();
    } else {
        m_error = st.error();
    }
}

void Document::updateOveralls()
{
    const auto& nodes = m_design.nodes();
    m_multiplicity.assign(nodes.size(), 1);
    for (const core::Module* m : nodes)
        if (m->parent) {
            const auto p = static_cast<std::size_t>(m->parent->index);
            const auto r = core::checkedMul(m_multiplicity[p], m_evaluation.nodes[p].repeat);
            m_multiplicity[static_cast<std::size_t>(m->index)] = r ? *r : std::numeric_limits<core::Count>::max();
        }
}

} // namespace paramscope::ui
