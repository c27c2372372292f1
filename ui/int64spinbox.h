// SPDX-License-Identifier: MIT
#pragma once

#include <QAbstractSpinBox>

#include <limits>
#include <optional>

namespace paramscope::ui {

/// A spin box over the full signed 64-bit range, as hyperparameters are (QSpinBox stops at
/// 2^31 − 1 and would clip L = 10^12 to 2,147,483,647). Digits are grouped as the locale does.
///
/// Typing commits on Enter or when focus leaves (no signal per keystroke). A typed value beyond
/// the range, or text that is not a whole number, is refused: the box shows its value again and
/// refused() says why. Nothing is ever clipped to the range.
///
/// Once the value is committed, Undo/Redo shortcuts pass through to the window (the document's
/// undo stack) instead of being taken by the line edit inside.
class Int64SpinBox : public QAbstractSpinBox {
    Q_OBJECT
public:
    explicit Int64SpinBox(QWidget* parent = nullptr);

    qint64 value() const { return m_value; }
    qint64 minimum() const { return m_minimum; }
    qint64 maximum() const { return m_maximum; }
    /// Sets the range; a value outside it is kept as it is (shown, not clipped), and stepping
    /// moves it back inside.
    void setRange(qint64 minimum, qint64 maximum);
    /// Whether the box shows "—" (a value that is not known, e.g. a derived one while invalid).
    bool isUnknown() const { return m_unknown; }
    /// Shows "—" until the next setValue().
    void setUnknown();

    /// "1,000,000,000,000" (the locale's grouping).
    QString textFromValue(qint64 value) const;
    /// The value of @p text (group separators and spaces ignored), or why it is not one.
    std::optional<qint64> valueFromText(const QString& text, QString* why = nullptr) const;

    QValidator::State validate(QString& input, int& pos) const override;
    void fixup(QString& input) const override;
    void stepBy(int steps) override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

public slots:
    /// Shows @p value (no signal when unchanged).
    void setValue(qint64 value);

signals:
    /// The value changed: by setValue(), a step, or a committed edit.
    void valueChanged(qint64 value);
    /// A committed edit was refused; @p reason is a sentence naming the typed text.
    void refused(const QString& reason);

protected:
    StepEnabled stepEnabled() const override;
    bool event(QEvent* event) override;

private:
    void commit();
    void showValue();
    /// Whether the line edit shows the committed value (nothing typed since).
    bool isCommitted() const;
    QSize hintFor(const QSize& editHint) const;

    qint64 m_value = 0;
    qint64 m_minimum = 0;
    qint64 m_maximum = std::numeric_limits<qint64>::max();
    bool m_unknown = false;
};

} // namespace paramscope::ui
