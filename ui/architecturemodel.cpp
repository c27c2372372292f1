// SPDX-License-Identifier: MIT
#include "architecturemodel.h"

#include "commands.h"
#include "document.h"
#include "edits.h"
#include "report.h"
#include "theme.h"
#include "weightscheck.h"

#include <QApplication>
#include <QFont>
#include <QPalette>

namespace paramscope::ui {

namespace {

QString qs(const std::string& s)
{
    return QString::fromStdString(s);
}

QString joined(const std::vector<core::Count>& a, const QString& separator)
{
    QStringList parts;
    for (core::Count v : a)
        parts << QString::number(v);
    return parts.join(separator);
}

/// "Linear(768, 2304, bias)", "12 × GPT2Block": the shape at the current values, compactly.
QString shapeLabel(const core::Module& m, const core::NodeValue& v)
{
    const QString type = qs(m.type);
    if (v.args.size() != m.args.size())
        return type;
    const auto& a = v.args;
    switch (m.kind) {
    case core::ModuleKind::Container:
        return m.isRepeated() ? QStringLiteral("%1 × %2").arg(v.repeat).arg(type) : type;
    case core::ModuleKind::Linear:
    case core::ModuleKind::Conv2d:
    case core::ModuleKind::Conv1d:
    case core::ModuleKind::LayerNorm:
        return QStringLiteral("%1(%2%3)")
            .arg(type, joined(a, QStringLiteral(", ")), m.bias ? QStringLiteral(", bias") : QString());
    case core::ModuleKind::Parameter:
        return QStringLiteral("%1[%2]").arg(type, joined(a, QStringLiteral(" × ")));
    default:
        return QStringLiteral("%1(%2)").arg(type, joined(a, QStringLiteral(", ")));
    }
}

QString argumentsText(const core::Module& m)
{
    QStringList parts;
    const auto names = core::argumentNames(m.kind);
    for (std::size_t i = 0; i < m.args.size(); ++i)
        parts << QStringLiteral("%1 = %2").arg(
            i < names.size() ? qs(std::string(names[i])) : QStringLiteral("dim"), qs(m.args[i].text()));
    if (core::hasBiasSwitch(m.kind))
        parts << (m.bias ? QStringLiteral("bias") : QStringLiteral("no bias"));
    if (m.isRepeated())
        parts << QStringLiteral("repeat = %1").arg(qs(m.repeat.text()));
    if (!m.activeRepeat.isEmpty())
        parts << QStringLiteral("active = %1").arg(qs(m.activeRepeat.text()));
    return parts.join(QStringLiteral(", "));
}

} // namespace

ArchitectureModel::ArchitectureModel(Document* document, QObject* parent)
    : QAbstractItemModel(parent)
    , m_document(document)
{
    rebuildRows();
    connect(document, &Document::aboutToReset, this, &ArchitectureModel::onAboutToReset);
    connect(document, &Document::resetDone, this, &ArchitectureModel::onResetDone);
    connect(document, &Document::structureAboutToChange, this, &ArchitectureModel::onStructureAboutToChange);
    connect(document, &Document::structureChanged, this, &ArchitectureModel::onStructureChanged);
    connect(document, &Document::valuesChanged, this, &ArchitectureModel::onValuesChanged);
}

const core::Module* ArchitectureModel::moduleFromIndex(const QModelIndex& index) const
{
    return index.isValid() ? static_cast<const core::Module*>(index.internalPointer()) : nullptr;
}

QModelIndex ArchitectureModel::indexOf(const core::Module* m, int column) const
{
    if (!m)
        return {};
    return createIndex(m_rows[static_cast<std::size_t>(m->index)], column, const_cast<core::Module*>(m));
}

QModelIndex ArchitectureModel::indexOfNode(int node, int column) const
{
    const auto& nodes = m_document->design().nodes();
    if (node < 0 || static_cast<std::size_t>(node) >= nodes.size())
        return {};
    return indexOf(nodes[static_cast<std::size_t>(node)], column);
}

QModelIndex ArchitectureModel::index(int row, int column, const QModelIndex& parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    const core::Module* p = moduleFromIndex(parent);
    const core::Module* m = p ? p->children[static_cast<std::size_t>(row)].get() : m_document->design().root.get();
    return createIndex(row, column, const_cast<core::Module*>(m));
}

QModelIndex ArchitectureModel::parent(const QModelIndex& child) const
{
    const core::Module* m = moduleFromIndex(child);
    return m ? indexOf(m->parent, 0) : QModelIndex();
}

int ArchitectureModel::rowCount(const QModelIndex& parent) const
{
    if (parent.column() > 0)
        return 0;
    const core::Module* p = moduleFromIndex(parent);
    if (!p)
        return m_document->design().root ? 1 : 0;
    return static_cast<int>(p->children.size());
}

int ArchitectureModel::columnCount(const QModelIndex&) const
{
    return ColumnCount + (m_storedShown ? 1 : 0);
}

void ArchitectureModel::setWeightsCheck(WeightsCheck* check)
{
    if (m_weights)
        disconnect(m_weights, nullptr, this, nullptr);
    m_weights = check;
    if (check) {
        connect(check, &WeightsCheck::attachedChanged, this, &ArchitectureModel::onWeightsAttached);
        // A new check changes values only: the Stored column's cells, as a slider step does.
        connect(check, &WeightsCheck::changed, this, &ArchitectureModel::onValuesChanged);
    }
    onWeightsAttached(check && check->isAttached());
}

void ArchitectureModel::onWeightsAttached(bool attached)
{
    if (attached == m_storedShown)
        return;
    if (attached) {
        beginInsertColumns({}, StoredColumn, StoredColumn);
        m_storedShown = true;
        endInsertColumns();
    } else {
        beginRemoveColumns({}, StoredColumn, StoredColumn);
        m_storedShown = false;
        endRemoveColumns();
    }
}

QVariant ArchitectureModel::storedData(const core::Module& m, int role) const
{
    const core::Verification* v = m_weights ? m_weights->result() : nullptr;
    const auto node = static_cast<std::size_t>(m.index);
    if (!v || node >= v->nodes.size())
        return role == Qt::DisplayRole ? QVariant(QStringLiteral("—")) : QVariant();
    const core::NodeCheck& c = v->nodes[node];
    // On the Parameters column's basis (one copy of the enclosing blocks) when it matches; a
    // mismatch may lie in one copy only, so it shows the sum over all copies, said so.
    const bool perCopy = c.copies == 1 || (c.ok() && c.copies > 0);
    const core::Count shown = perCopy ? c.stored / c.copies : c.stored;
    switch (role) {
    case Qt::DisplayRole:
        return QStringLiteral("%1 %2%3").arg(c.ok() ? QStringLiteral("✓") : QStringLiteral("✗"),
            qs(core::groupDigits(shown)),
            perCopy ? QString() : tr(" in %1 copies").arg(qs(core::groupDigits(c.copies))));
    case Qt::ForegroundRole:
        return c.ok() ? QVariant() : QVariant(QBrush(errorColor(QApplication::palette())));
    case Qt::ToolTipRole: {
        QStringList tip;
        tip << tr("<b>%1</b>").arg(qs(core::Design::path(m)).toHtmlEscaped());
        tip << tr("formula: %1, stored: %2 (all %3 copies)")
                   .arg(qs(core::groupDigits(c.formula)), qs(core::groupDigits(c.stored)),
                       qs(core::groupDigits(c.copies)));
        if (c.extra > 0)
            tip << tr("also stored, explained: %1 values").arg(qs(core::groupDigits(c.extra)));
        for (const auto& f : v->findings)
            if (f.node >= 0 && f.node == m.index)
                tip << (f.isProblem() ? QStringLiteral("✗ ") : QString()) + qs(f.name).toHtmlEscaped()
                        + QStringLiteral(": ") + qs(f.text).toHtmlEscaped();
        if (c.problems > 0)
            tip << tr("%n tensor(s) missing or of the wrong shape below", nullptr, c.problems);
        return tip.join(QStringLiteral("<br>"));
    }
    default:
        return {};
    }
}

QVariant ArchitectureModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case ModuleColumn:
            return tr("Module");
        case ShapeColumn:
            return tr("Shape");
        case FormulaColumn:
            return tr("Formula");
        case ParametersColumn:
            return tr("Parameters");
        case ShareColumn:
            return tr("Share");
        case StoredColumn:
            return tr("Stored");
        }
    }
    if (role == Qt::TextAlignmentRole
        && (section == ParametersColumn || section == ShareColumn || section == StoredColumn))
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case ShapeColumn:
            return tr("The module's shape at the current hyperparameter values");
        case FormulaColumn:
            return tr("Parameters as a polynomial in the hyperparameters (derived ones substituted)");
        case ParametersColumn:
            return tr("Parameters of this module, for one copy of each enclosing repeated block");
        case ShareColumn:
            return tr("Share of the total, across all copies");
        case StoredColumn:
            return tr("Values the attached checkpoint stores for this module (✓: as the formula says)");
        }
    }
    return {};
}

Qt::ItemFlags ArchitectureModel::flags(const QModelIndex& index) const
{
    Qt::ItemFlags f = QAbstractItemModel::flags(index);
    const core::Module* m = moduleFromIndex(index);
    if (m && index.column() == ModuleColumn && m->parent && !m->name.empty())
        f |= Qt::ItemIsEditable;
    return f;
}

QVariant ArchitectureModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const core::Module* m = moduleFromIndex(index);
    const auto node = static_cast<std::size_t>(m->index);
    const core::Evaluation& e = m_document->evaluation();
    const bool counted = m_document->countsValid() && node < e.nodes.size();
    static const core::NodeValue kNoValue;
    const core::NodeValue& v = counted ? e.nodes[node] : kNoValue;
    const bool tied = !m->tiedTo.empty();
    const auto& formulas = m_document->formulas();
    const core::NodeFormula* formula = node < formulas.size() ? &formulas[node] : nullptr;

    if (index.column() == StoredColumn
        && (role == Qt::DisplayRole || role == Qt::ForegroundRole || role == Qt::ToolTipRole))
        return storedData(*m, role);
    switch (role) {
    case NodeIndexRole:
        return m->index;
    case CountRole:
        return static_cast<qlonglong>(v.count);
    case OverallRole:
        return static_cast<qlonglong>(m_document->overall(m->index));
    case ShareRole:
        return e.total > 0 && counted
            ? static_cast<double>(m_document->overall(m->index)) / static_cast<double>(e.total)
            : 0.0;
    case Qt::DisplayRole:
    case Qt::EditRole:
        switch (index.column()) {
        case ModuleColumn:
            if (role == Qt::EditRole || !m->name.empty())
                return qs(m->name);
            if (!m->parent)
                return qs(m->type);
            if (!counted)
                return QStringLiteral("*");
            return v.repeat <= 1 ? QString::number(v.first)
                                 : QStringLiteral("%1–%2").arg(v.first).arg(v.first + v.repeat - 1);
        case ShapeColumn:
            return counted
                ? shapeLabel(*m, v)
                : (m->isRepeated() ? QStringLiteral("%1 × %2").arg(qs(m->repeat.text()), qs(m->type)) : qs(m->type));
        case FormulaColumn:
            if (tied)
                return tr("shared with %1").arg(qs(m->tiedTo));
            if (formula && !formula->ok && !formula->error.empty())
                return tr("(%1)").arg(qs(formula->error)); // the count still comes; say why the formula does not
            return formula && formula->ok ? qs(formula->total) : QStringLiteral("—");
        case ParametersColumn:
            return counted ? qs(core::groupDigits(v.count)) : QStringLiteral("—");
        case ShareColumn: {
            if (!counted || e.total <= 0)
                return QStringLiteral("—");
            const double share
                = 100.0 * static_cast<double>(m_document->overall(m->index)) / static_cast<double>(e.total);
            return QStringLiteral("%1 %").arg(share, 0, 'f', 2);
        }
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == ParametersColumn || index.column() == ShareColumn || index.column() == StoredColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::FontRole: {
        QFont f = QApplication::font();
        if (!m->parent || m->isRepeated() || (index.column() == ParametersColumn && !m->isLeaf()))
            f.setBold(true);
        if (index.column() == ParametersColumn || index.column() == ShareColumn || index.column() == StoredColumn)
            f.setStyleHint(QFont::Monospace), f.setFamily(QStringLiteral("monospace"));
        if (m_document->error() && (index.column() == ParametersColumn || index.column() == ShareColumn))
            f.setItalic(true); // last valid numbers, not the current values
        return f;
    }
    case Qt::ForegroundRole:
        if (tied || (m_document->error() && index.column() >= ParametersColumn))
            return QBrush(dimmedText(QApplication::palette())); // grey, yet legible from the back row
        return {};
    case Qt::ToolTipRole: {
        QStringList tip;
        tip << QStringLiteral("<b>%1</b> — %2")
                   .arg(qs(core::Design::path(*m)).toHtmlEscaped(), qs(m->type).toHtmlEscaped());
        if (counted)
            tip << qs(core::shapeText(*m, v)).toHtmlEscaped();
        if (const QString args = argumentsText(*m); !args.isEmpty())
            tip << args.toHtmlEscaped();
        if (formula && formula->ok && !tied) {
            tip << tr("each copy: %1").arg(qs(formula->each).toHtmlEscaped());
            if (formula->total != formula->each)
                tip << tr("all copies: %1").arg(qs(formula->total).toHtmlEscaped());
            if (!formula->where.empty())
                tip << tr("where %1").arg(qs(formula->where).toHtmlEscaped());
        }
        if (formula && !formula->ok && !formula->error.empty())
            tip << qs(formula->error).toHtmlEscaped();
        if (tied)
            tip << tr("shares its weight with %1: counted there, once").arg(qs(m->tiedTo).toHtmlEscaped());
        if (counted) {
            tip << tr("parameters: %1 (%2)").arg(qs(core::groupDigits(v.count)), qs(core::compactCount(v.count)));
            if (v.repeat > 1)
                tip << tr("each copy: %1 × %2").arg(qs(core::groupDigits(v.each))).arg(v.repeat);
            const core::Count mult = m_document->multiplicity(m->index);
            if (mult > 1) {
                const core::Count all = m_document->overall(m->index);
                tip << tr("in all %1 copies of the enclosing block: %2 (%3)")
                           .arg(mult)
                           .arg(qs(core::groupDigits(all)), qs(core::compactCount(all)));
            }
        }
        if (m_document->error())
            tip << tr("<i>numbers are the last valid ones: %1</i>")
                       .arg(qs(m_document->error()->text()).toHtmlEscaped());
        return tip.join(QStringLiteral("<br>"));
    }
    }
    return {};
}

bool ArchitectureModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    const core::Module* m = moduleFromIndex(index);
    if (!m || role != Qt::EditRole || index.column() != ModuleColumn)
        return false;
    const std::string name = value.toString().trimmed().toStdString();
    if (name == m->name)
        return false;
    const int node = m->index;
    return m_document->applyEdit(tr("Rename %1 to %2").arg(qs(m->name), qs(name)),
        [node, name](core::Design& d) { return core::renameModule(d, node, name); });
}

void ArchitectureModel::rebuildRows()
{
    const auto& nodes = m_document->design().nodes();
    m_rows.assign(nodes.size(), 0);
    for (const core::Module* m : nodes)
        for (std::size_t r = 0; r < m->children.size(); ++r)
            m_rows[static_cast<std::size_t>(m->children[r]->index)] = static_cast<int>(r);
}

void ArchitectureModel::onAboutToReset()
{
    beginResetModel();
}

void ArchitectureModel::onResetDone()
{
    rebuildRows();
    endResetModel();
}

std::vector<std::string> ArchitectureModel::keyOf(const core::Module* m) const
{
    std::vector<std::string> key;
    for (; m && m->parent; m = m->parent)
        key.insert(
            key.begin(), m->name.empty() ? "#" + std::to_string(m_rows[static_cast<std::size_t>(m->index)]) : m->name);
    return key;
}

const core::Module* ArchitectureModel::findKey(const std::vector<std::string>& key) const
{
    const core::Module* m = m_document->design().root.get();
    for (const std::string& part : key) {
        const core::Module* next = nullptr;
        if (part.starts_with('#')) {
            const auto row = static_cast<std::size_t>(std::stoi(part.substr(1)));
            if (row < m->children.size() && m->children[row]->name.empty())
                next = m->children[row].get();
        } else {
            for (const auto& c : m->children)
                if (c->name == part)
                    next = c.get();
        }
        if (!next)
            return nullptr;
        m = next;
    }
    return m;
}

void ArchitectureModel::onStructureAboutToChange()
{
    emit layoutAboutToBeChanged();
    m_layoutFrom = persistentIndexList();
    m_layoutKeys.clear();
    m_layoutNodes.clear();
    m_layoutNodeCount = m_document->design().nodes().size();
    for (const QModelIndex& i : m_layoutFrom) {
        m_layoutKeys.emplace_back(keyOf(moduleFromIndex(i)), i.column());
        m_layoutNodes.push_back(moduleFromIndex(i) ? moduleFromIndex(i)->index : -1);
    }
}

void ArchitectureModel::onStructureChanged()
{
    rebuildRows();
    QModelIndexList to;
    to.reserve(m_layoutFrom.size());
    // An edit that keeps the node count (rename, bias, norm switch) keeps every node at its
    // pre-order index: a renamed node, or one under a renamed parent, is found by that when its
    // path no longer names it. Selection and expansion stay.
    const bool sameNodes = m_layoutNodeCount == m_document->design().nodes().size();
    for (std::size_t i = 0; i < m_layoutKeys.size(); ++i) {
        const auto& [key, column] = m_layoutKeys[i];
        const core::Module* m = findKey(key);
        if (!m && sameNodes && m_layoutNodes[i] >= 0)
            m = m_document->design().nodes()[static_cast<std::size_t>(m_layoutNodes[i])];
        to << indexOf(m, column);
    }
    changePersistentIndexList(m_layoutFrom, to);
    m_layoutFrom.clear();
    m_layoutKeys.clear();
    m_layoutNodes.clear();
    emit layoutChanged();
}

void ArchitectureModel::onValuesChanged()
{
    emitAllChanged({});
}

void ArchitectureModel::emitAllChanged(const QModelIndex& parent)
{
    const int rows = rowCount(parent);
    if (rows == 0)
        return;
    // A dataChanged() range must share one parent; the structure is unchanged, so expansion
    // and selection stay.
    emit dataChanged(index(0, 0, parent), index(rows - 1, columnCount() - 1, parent));
    for (int row = 0; row < rows; ++row) {
        const QModelIndex child = index(row, 0, parent);
        if (!moduleFromIndex(child)->children.empty())
            emitAllChanged(child);
    }
}

} // namespace paramscope::ui
