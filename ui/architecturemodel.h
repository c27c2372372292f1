// SPDX-License-Identifier: MIT
#pragma once

#include "module.h"

#include <QAbstractItemModel>

#include <string>
#include <vector>

namespace paramscope::ui {

class Document;
class WeightsCheck;

/// The module tree of the document's design, as a thin adapter: each index's internalPointer is
/// its core::Module, and the single top-level row is the design's root. Value changes emit
/// dataChanged (expansion and selection stay); structural edits emit a layout change that maps
/// persistent indexes by module path; only a load resets.
class ArchitectureModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column {
        ModuleColumn,
        ShapeColumn,
        FormulaColumn,
        ParametersColumn,
        ShareColumn,
        ColumnCount,
        /// Shown only while weights are attached (setWeightsCheck()): the values the checkpoint
        /// stores for the node and ✓/✗, on the Parameters column's basis (one copy of the blocks around).
        StoredColumn = ColumnCount,
    };
    enum Role {
        NodeIndexRole = Qt::UserRole, ///< int: Module::index
        CountRole, ///< qlonglong: the Parameters column's number (one copy of enclosing blocks)
        OverallRole, ///< qlonglong: across all copies
        ShareRole, ///< double: overall / total
    };

    explicit ArchitectureModel(Document* document, QObject* parent = nullptr);

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    /// Renaming (column 0) pushes an undoable command.
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

    /// nullptr for an invalid index (the virtual root above the design's root).
    const core::Module* moduleFromIndex(const QModelIndex& index) const;
    /// The index of node @p node (pre-order), column @p column.
    QModelIndex indexOfNode(int node, int column = 0) const;

    /// Shows the Stored column while @p check has weights attached (nullptr: never).
    void setWeightsCheck(WeightsCheck* check);

private:
    void onAboutToReset();
    void onResetDone();
    void onStructureAboutToChange();
    void onStructureChanged();
    void onValuesChanged();
    void emitAllChanged(const QModelIndex& parent);
    void rebuildRows();
    void onWeightsAttached(bool attached);
    QVariant storedData(const core::Module& m, int role) const;
    QModelIndex indexOf(const core::Module* m, int column) const;
    /// The key a persistent index is mapped by across a structural edit: names (or "#row") from the top.
    std::vector<std::string> keyOf(const core::Module* m) const;
    const core::Module* findKey(const std::vector<std::string>& key) const;

    Document* m_document;
    WeightsCheck* m_weights = nullptr;
    bool m_storedShown = false;
    std::vector<int> m_rows; ///< row of each node among its siblings, by Module::index
    QModelIndexList m_layoutFrom;
    std::vector<std::pair<std::vector<std::string>, int>> m_layoutKeys;
    std::vector<int> m_layoutNodes; ///< Module::index of each of m_layoutFrom, before the edit
    std::size_t m_layoutNodeCount = 0;
};

} // namespace paramscope::ui
