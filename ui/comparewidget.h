// SPDX-License-Identifier: MIT
#pragma once

#include "compare.h"

#include <QWidget>

#include <optional>

class QLabel;
class QTreeWidget;

namespace paramscope::ui {

class Document;

/// The open design (A, live with the sliders) beside another one (B, as loaded): totals, the
/// hyperparameters that differ, components matched by role and modules matched by path, with
/// differences (B − A) and ratios (B / A). Clicking a module selects it in the tree.
class CompareWidget : public QWidget {
    Q_OBJECT

public:
    enum Column { NameColumn, AColumn, BColumn, DifferenceColumn, RatioColumn, ColumnCount };

    explicit CompareWidget(Document* document, QWidget* parent = nullptr);

    /// Compares with @p source (a preset name, design file or config.json). False with @p error
    /// when it does not load or evaluate; the comparison shown stays.
    bool setOther(const QString& source, QString* error = nullptr);
    bool hasOther() const { return m_other.has_value(); }
    /// The comparison shown (none before setOther(), or while A's values are invalid).
    const std::optional<core::Comparison>& comparison() const { return m_comparison; }
    QTreeWidget* view() const { return m_view; }

signals:
    /// A module row was activated: its path (with * for a repeated entry).
    void pathActivated(const QString& path);

private:
    void refresh();

    Document* m_document;
    QLabel* m_heading;
    QTreeWidget* m_view;
    std::optional<core::Counted> m_other;
    std::optional<core::Comparison> m_comparison;
};

} // namespace paramscope::ui
