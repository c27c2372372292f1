// SPDX-License-Identifier: MIT
#include "int64spinbox.h"

#include <QKeyEvent>
#include <QLineEdit>
#include <QLocale>
#include <QStyle>
#include <QStyleOptionSpinBox>

namespace paramscope::ui {

namespace {

const QString kUnknown = QStringLiteral("—");

/// Whether @p c may appear in a number as typed: digits, a sign, grouping.
bool isNumberCharacter(QChar c, const QLocale& locale)
{
    return c.isDigit() || c == QLatin1Char(',') || c == QLatin1Char('-') || c == QLatin1Char('+') || c.isSpace()
        || c == locale.groupSeparator().front() || c == QChar(0x202F) || c == QChar(0x00A0);
}

/// Whether @p event is one of the window's undo or redo keys.
bool isUndoKey(QKeyEvent* event)
{
    const auto key = QKeySequence(event->keyCombination());
    return event->matches(QKeySequence::Undo) || event->matches(QKeySequence::Redo)
        || key == QKeySequence(Qt::CTRL | Qt::Key_Z) || key == QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z)
        || key == QKeySequence(Qt::CTRL | Qt::Key_Y);
}

} // namespace

Int64SpinBox::Int64SpinBox(QWidget* parent)
    : QAbstractSpinBox(parent)
{
    // QAbstractSpinBox's own value machinery is inert for a subclass (its value type is unset):
    // this class keeps the value and edits the line edit's text itself.
    connect(this, &QAbstractSpinBox::editingFinished, this, &Int64SpinBox::commit);
    showValue();
}

void Int64SpinBox::setRange(qint64 minimum, qint64 maximum)
{
    m_minimum = minimum;
    m_maximum = std::max(minimum, maximum);
    update(); // the arrows' enabled state
}

void Int64SpinBox::setUnknown()
{
    m_unknown = true;
    showValue();
}

void Int64SpinBox::setValue(qint64 value)
{
    const bool changed = value != m_value;
    m_value = value;
    if (changed || m_unknown || !isCommitted()) {
        m_unknown = false;
        showValue();
    }
    if (changed)
        emit valueChanged(value);
}

QString Int64SpinBox::textFromValue(qint64 value) const
{
    // The C locale omits separators by default; the value is read from the back row, grouped.
    QLocale l = locale();
    l.setNumberOptions(l.numberOptions() & ~QLocale::OmitGroupSeparator);
    return l.toString(value);
}

std::optional<qint64> Int64SpinBox::valueFromText(const QString& text, QString* why) const
{
    const QLocale l = locale();
    QString digits;
    for (QChar c : text)
        if (c.isDigit() || c == QLatin1Char('-') || c == QLatin1Char('+'))
            digits += c;
        else if (!isNumberCharacter(c, l)) {
            if (why)
                *why = tr("“%1” is not a whole number").arg(text.trimmed());
            return std::nullopt;
        }
    const bool negative = digits.startsWith(QLatin1Char('-'));
    if (negative || digits.startsWith(QLatin1Char('+')))
        digits.remove(0, 1);
    if (digits.isEmpty() || digits.contains(QLatin1Char('-')) || digits.contains(QLatin1Char('+'))) {
        if (why)
            *why = text.trimmed().isEmpty() ? tr("no value typed")
                                            : tr("“%1” is not a whole number").arg(text.trimmed());
        return std::nullopt;
    }
    // Accumulated towards the negative side, which holds one more value than the positive one.
    qint64 v = 0;
    for (QChar c : digits) {
        const int d = c.digitValue();
        if (__builtin_mul_overflow(v, 10, &v) || __builtin_sub_overflow(v, d, &v)) {
            if (why)
                *why = tr("%1 is beyond the largest value a count can hold, %2")
                           .arg(text.trimmed(), textFromValue(std::numeric_limits<qint64>::max()));
            return std::nullopt;
        }
    }
    if (!negative) {
        if (v == std::numeric_limits<qint64>::min()) {
            if (why)
                *why = tr("%1 is beyond the largest value a count can hold, %2")
                           .arg(text.trimmed(), textFromValue(std::numeric_limits<qint64>::max()));
            return std::nullopt;
        }
        v = -v;
    }
    return v;
}

QValidator::State Int64SpinBox::validate(QString& input, int&) const
{
    // Only characters that cannot make a number are stopped while typing. Too large or too small
    // is let through and refused with its reason on Enter: a key that silently does nothing
    // (QSpinBox drops the 13th digit) hides why.
    const QLocale l = locale();
    for (QChar c : input)
        if (!isNumberCharacter(c, l))
            return input == kUnknown && m_unknown ? QValidator::Acceptable : QValidator::Invalid;
    const auto v = valueFromText(input);
    return v && *v >= m_minimum && *v <= m_maximum ? QValidator::Acceptable : QValidator::Intermediate;
}

void Int64SpinBox::fixup(QString& input) const
{
    if (const auto v = valueFromText(input))
        input = textFromValue(*v);
}

void Int64SpinBox::stepBy(int steps)
{
    if (isReadOnly() || m_unknown)
        return;
    if (!isCommitted()) {
        commit();
        if (!isCommitted())
            return;
    }
    qint64 next;
    if (__builtin_add_overflow(m_value, static_cast<qint64>(steps), &next))
        next = steps > 0 ? std::numeric_limits<qint64>::max() : std::numeric_limits<qint64>::min();
    // A step stays inside the range (the arrows are disabled at its ends).
    setValue(std::clamp(next, m_minimum, m_maximum));
    selectAll();
}

QAbstractSpinBox::StepEnabled Int64SpinBox::stepEnabled() const
{
    if (isReadOnly() || m_unknown)
        return StepNone;
    StepEnabled enabled = StepNone;
    if (m_value < m_maximum)
        enabled |= StepUpEnabled;
    if (m_value > m_minimum)
        enabled |= StepDownEnabled;
    return enabled;
}

bool Int64SpinBox::event(QEvent* event)
{
    // The line edit inside claims Ctrl+Z for its own typing history, even when there is nothing
    // to undo there: once the value is committed, the keys belong to the window's Undo/Redo.
    if (event->type() == QEvent::ShortcutOverride && isUndoKey(static_cast<QKeyEvent*>(event)) && isCommitted()) {
        event->ignore();
        return true;
    }
    return QAbstractSpinBox::event(event);
}

void Int64SpinBox::commit()
{
    if (isReadOnly() || isCommitted())
        return;
    const QString typed = lineEdit()->text().trimmed();
    QString why;
    const auto v = valueFromText(typed, &why);
    if (v && *v < m_minimum)
        why = tr("%1 is below the smallest value, %2").arg(typed, textFromValue(m_minimum));
    else if (v && *v > m_maximum)
        why = tr("%1 is above the largest value, %2").arg(typed, textFromValue(m_maximum));
    if (!v || *v < m_minimum || *v > m_maximum) {
        showValue(); // the value in force, never a clipped one
        emit refused(why);
        return;
    }
    setValue(*v);
    showValue(); // regrouped, and "committed" again
}

void Int64SpinBox::showValue()
{
    const QString text = m_unknown ? kUnknown : textFromValue(m_value);
    const bool wider = text.size() != lineEdit()->text().size();
    lineEdit()->setText(text); // also clears the line edit's undo history and its modified flag
    if (wider)
        updateGeometry();
}

bool Int64SpinBox::isCommitted() const
{
    return lineEdit()->text() == (m_unknown ? kUnknown : textFromValue(m_value));
}

QSize Int64SpinBox::hintFor(const QSize& editHint) const
{
    // Room for the value shown and at least ten digits, as the panel's column expects.
    const QFontMetrics fm(fontMetrics());
    const int w = std::max(fm.horizontalAdvance(textFromValue(m_value)),
                      fm.horizontalAdvance(textFromValue(Q_INT64_C(1000000000))))
        + fm.horizontalAdvance(QLatin1Char(' ')) + 2;
    QStyleOptionSpinBox opt;
    initStyleOption(&opt);
    return style()->sizeFromContents(QStyle::CT_SpinBox, &opt, QSize(w, editHint.height()), this);
}

QSize Int64SpinBox::sizeHint() const
{
    ensurePolished();
    return hintFor(lineEdit()->sizeHint());
}

QSize Int64SpinBox::minimumSizeHint() const
{
    ensurePolished();
    return hintFor(lineEdit()->minimumSizeHint());
}

} // namespace paramscope::ui
