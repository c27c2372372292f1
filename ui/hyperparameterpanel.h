// SPDX-License-Identifier: MIT
#pragma once

#include "checked.h"

#include <QWidget>

#include <string>
#include <vector>

class QGridLayout;
class QLabel;
class QSlider;
class QSpinBox;
class QToolButton;

namespace paramscope::ui {

class Document;

/// One slider and spin box per hyperparameter the design declares. A slider walks a ladder of
/// sensible values (V and P on a log-like scale, E in multiples of the heads or of 64); the
/// spin box takes any value. Derived ones (F = 4E) show their expression and a lock: locked,
/// they follow what they are derived from; unlocked, they are set like any other.
/// An invalid value is reported on the row that caused it.
class HyperparameterPanel : public QWidget {
    Q_OBJECT
public:
    explicit HyperparameterPanel(Document* document, QWidget* parent = nullptr);

    /// The slider and spin box of @p symbol (for tests), or nullptr.
    QSlider* slider(const QString& symbol) const;
    QSpinBox* spinBox(const QString& symbol) const;
    QToolButton* lockButton(const QString& symbol) const;
    /// The message shown under @p symbol's row (empty when hidden).
    QString errorText(const QString& symbol) const;

protected:
    void changeEvent(QEvent* event) override;

private:
    struct Row {
        std::string name;
        QLabel* label = nullptr;
        QLabel* expression = nullptr;
        QSlider* slider = nullptr;
        QSpinBox* spin = nullptr;
        QToolButton* lock = nullptr;
        QLabel* error = nullptr;
        std::vector<core::Count> ladder;
        core::Count ladderHeads = 0; ///< E only: the head count its ladder was built for
    };

    int spinWidth() const;
    void rebuild();
    void refreshValues();
    void refreshError();
    void updateLadder(Row& row);
    void onSliderMoved(std::size_t row, int position);
    void onSpinChanged(std::size_t row, int value);
    void onLockToggled(std::size_t row, bool locked);
    const Row* find(const QString& symbol) const;

    Document* m_document;
    QGridLayout* m_grid = nullptr;
    QWidget* m_rowsWidget = nullptr;
    std::vector<Row> m_rows;
    std::vector<std::string> m_names; ///< symbols the rows were built for
};

} // namespace paramscope::ui
