// SPDX-License-Identifier: MIT
#pragma once

#include "checked.h"

#include <QWidget>

#include <string>
#include <vector>

class QGridLayout;
class QLabel;
class QSlider;
class QToolButton;

namespace paramscope::ui {

class Document;
class Int64SpinBox;

/// One slider and spin box per hyperparameter the design declares. A slider walks a ladder of
/// sensible values (V and P on a log-like scale, E in multiples of the heads or of 64, small
/// counts one by one), which turns log-like beyond a few hundred positions, so that any value up
/// to 2^63 − 1 costs a few hundred positions at most; the same value always sits at the same
/// position. The spin box takes any value in the symbol's range and refuses, saying why, what is
/// beyond it. A symbol the tree's counts do not depend on is marked "unused". Derived ones (F = 4E) show their
/// expression and a lock: locked, they follow what they are derived from; unlocked, they are set like any other. An
/// invalid value is reported on the row that caused it.
class HyperparameterPanel : public QWidget {
    Q_OBJECT
public:
    explicit HyperparameterPanel(Document* document, QWidget* parent = nullptr);

    /// The slider and spin box of @p symbol (for tests), or nullptr.
    QSlider* slider(const QString& symbol) const;
    Int64SpinBox* spinBox(const QString& symbol) const;
    QToolButton* lockButton(const QString& symbol) const;
    /// The message shown under @p symbol's row (empty when hidden).
    QString errorText(const QString& symbol) const;
    /// How many positions @p symbol's slider has (bounded whatever the value), or 0.
    int ladderSize(const QString& symbol) const;
    /// Whether @p symbol's row is marked as not used by the tree's counts.
    bool isMarkedUnused(const QString& symbol) const;

protected:
    void changeEvent(QEvent* event) override;

private:
    /// What a ladder is made of: multiples of step from first to linearLast, then quarter steps
    /// of powers of two (rounded up to the step) up to hi; 0 first when zero.
    struct LadderShape {
        core::Count step = 1;
        core::Count first = 1;
        core::Count linearLast = 1;
        core::Count hi = 1;
        bool zero = false;
        bool operator==(const LadderShape&) const = default;
    };
    struct Row {
        std::string name;
        QLabel* label = nullptr;
        QLabel* expression = nullptr;
        QSlider* slider = nullptr;
        Int64SpinBox* spin = nullptr;
        QToolButton* lock = nullptr;
        QLabel* error = nullptr;
        std::vector<core::Count> ladder; ///< sorted, at most a few hundred values
        LadderShape shape; ///< what ladder was built from
        QString refusal; ///< why the last typed value was refused, until the next change
        bool unused = false;
    };

    int spinWidth() const;
    void rebuild();
    void refreshValues();
    void refreshError();
    void updateErrorLabels();
    void onDocumentChanged();
    LadderShape ladderShape(const Row& row, core::Count current) const;
    void updateLadder(Row& row, core::Count current);
    void onSliderMoved(std::size_t row, int position);
    void onSpinChanged(std::size_t row, qint64 value);
    void onSpinRefused(std::size_t row, const QString& reason);
    void onLockToggled(std::size_t row, bool locked);
    const Row* find(const QString& symbol) const;

    Document* m_document;
    QGridLayout* m_grid = nullptr;
    QWidget* m_rowsWidget = nullptr;
    std::vector<Row> m_rows;
    std::vector<std::string> m_names; ///< symbols the rows were built for
};

} // namespace paramscope::ui
