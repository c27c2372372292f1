// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

#include <array>

class QCheckBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;

namespace paramscope::ui {

class Document;

/// Edits the selected module: its name, shape expressions (checked as you type), bias, repeat
/// count and tie. Every change is one undoable command; an expression that does not parse is
/// refused in place, and one that makes the design invalid is reported next to its field.
class ModuleEditor : public QWidget {
    Q_OBJECT
public:
    static constexpr int kMaxArgs = 6;

    explicit ModuleEditor(Document* document, QWidget* parent = nullptr);

    /// Shows node @p node (Module::index), or nothing for -1.
    void setNode(int node);
    int node() const { return m_node; }

    QLineEdit* argumentEdit(int arg) const { return m_args[static_cast<std::size_t>(arg)]; }
    QLineEdit* repeatEdit() const { return m_repeat; }
    QLineEdit* nameEdit() const { return m_name; }
    QCheckBox* biasBox() const { return m_bias; }
    /// The message under the form (validation or evaluation error); empty when hidden.
    QString message() const;

protected:
    void changeEvent(QEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void refresh();
    /// Checks @p edit's text as an expression; returns whether it is acceptable.
    bool validate(QLineEdit* edit, bool optional);
    void commitExpression(QLineEdit* edit, int arg);
    void commitName();
    void setMessage(const QString& text);
    QString source(const QString& field) const;

    Document* m_document;
    int m_node = -1;
    QLabel* m_title;
    QLineEdit* m_name;
    QLabel* m_kind;
    std::array<QLabel*, kMaxArgs> m_argLabels {};
    std::array<QLineEdit*, kMaxArgs> m_args {};
    std::array<QLabel*, kMaxArgs> m_argValues {};
    QCheckBox* m_bias;
    QLineEdit* m_repeat;
    QLineEdit* m_active;
    QLabel* m_tie;
    QLabel* m_message;
    QFormLayout* m_form;
};

} // namespace paramscope::ui
