// SPDX-License-Identifier: MIT
#include "moduleeditor.h"

#include "document.h"
#include "edits.h"
#include "theme.h"

#include <QCheckBox>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

namespace paramscope::ui {

namespace {

QString qs(const std::string& s)
{
    return QString::fromStdString(s);
}

/// Tints @p edit when its text is refused (a palette change keeps the native frame, light or dark).
void setInvalid(QLineEdit* edit, bool invalid)
{
    if (!invalid) {
        edit->setPalette(QPalette());
        return;
    }
    QPalette p = edit->parentWidget()->palette();
    p.setColor(QPalette::Base, errorBackground(p));
    edit->setPalette(p);
}

/// Shows @p text in @p edit unless the user has typed there since it was last shown (text not
/// yet applied is kept). What was shown is kept in a property: it is the committed text.
void showText(QLineEdit* edit, const QString& text)
{
    if (!edit->hasFocus() || edit->text() == edit->property("shown").toString())
        edit->setText(text);
    edit->setProperty("shown", text);
}

bool isUndoKey(QKeyEvent* event)
{
    const auto key = QKeySequence(event->keyCombination());
    return event->matches(QKeySequence::Undo) || event->matches(QKeySequence::Redo)
        || key == QKeySequence(Qt::CTRL | Qt::Key_Z) || key == QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z)
        || key == QKeySequence(Qt::CTRL | Qt::Key_Y);
}

} // namespace

ModuleEditor::ModuleEditor(Document* document, QWidget* parent)
    : QWidget(parent)
    , m_document(document)
    , m_title(new QLabel(this))
    , m_name(new QLineEdit(this))
    , m_kind(new QLabel(this))
    , m_bias(new QCheckBox(tr("bias"), this))
    , m_repeat(new QLineEdit(this))
    , m_active(new QLineEdit(this))
    , m_tie(new QLabel(this))
    , m_message(new QLabel(this))
    , m_form(new QFormLayout)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);
    m_title->setTextFormat(Qt::RichText);
    layout->addWidget(m_title);
    layout->addLayout(m_form);
    m_form->addRow(tr("Name"), m_name);
    m_form->addRow(tr("Kind"), m_kind);
    m_name->setToolTip(tr("The attribute name, as in the checkpoint (Enter to rename)"));
    for (int i = 0; i < kMaxArgs; ++i) {
        auto* row = new QWidget(this);
        auto* h = new QHBoxLayout(row);
        h->setContentsMargins(0, 0, 0, 0);
        m_args[i] = new QLineEdit(row);
        m_args[i]->setObjectName(QStringLiteral("arg%1").arg(i));
        m_args[i]->setToolTip(tr("An expression in the hyperparameters (E, 3*E, K*D, E/H …); Enter applies"));
        m_argValues[i] = new QLabel(row);
        m_argValues[i]->setMinimumWidth(m_argValues[i]->fontMetrics().horizontalAdvance(QStringLiteral("= 0,000,000")));
        h->addWidget(m_args[i], 1);
        h->addWidget(m_argValues[i]);
        m_argLabels[i] = new QLabel(this);
        m_form->addRow(m_argLabels[i], row);
        QLineEdit* edit = m_args[i];
        connect(edit, &QLineEdit::textEdited, this, [this, edit] { validate(edit, false); });
        connect(edit, &QLineEdit::editingFinished, this, [this, edit, i] { commitExpression(edit, i); });
    }
    m_form->addRow(QString(), m_bias);
    m_bias->setToolTip(tr("Whether the module has a bias vector (Ctrl+B)"));
    m_form->addRow(tr("Repeat"), m_repeat);
    m_repeat->setObjectName(QStringLiteral("repeat"));
    m_repeat->setToolTip(tr("How many copies of this module (an expression such as L); empty for one"));
    m_form->addRow(tr("Active copies"), m_active);
    m_active->setToolTip(tr("Of the copies, how many one token uses (MoE top-k); empty for all"));
    m_form->addRow(tr("Shares"), m_tie);
    m_message->setObjectName(QStringLiteral("editorMessage"));
    m_message->setWordWrap(true);
    m_message->setStyleSheet(QStringLiteral("color: %1;").arg(errorColor(palette()).name()));
    m_message->hide();
    layout->addWidget(m_message);
    layout->addStretch(1);

    connect(m_repeat, &QLineEdit::textEdited, this, [this] { validate(m_repeat, true); });
    connect(m_repeat, &QLineEdit::editingFinished, this, [this] { commitExpression(m_repeat, -1); });
    connect(m_active, &QLineEdit::textEdited, this, [this] { validate(m_active, true); });
    connect(m_active, &QLineEdit::editingFinished, this, [this] { commitExpression(m_active, -2); });
    connect(m_name, &QLineEdit::editingFinished, this, &ModuleEditor::commitName);
    connect(m_bias, &QCheckBox::clicked, this, [this](bool on) {
        const int node = m_node;
        m_document->applyEdit(
            on ? tr("Add bias") : tr("Remove bias"), [node, on](core::Design& d) { return core::setBias(d, node, on); },
            source(QStringLiteral("bias")));
    });
    connect(document, &Document::changed, this, &ModuleEditor::refresh);
    for (QLineEdit* e : m_args)
        e->installEventFilter(this);
    for (QLineEdit* e : { m_name, m_repeat, m_active })
        e->installEventFilter(this);
    setNode(-1);
}

bool ModuleEditor::eventFilter(QObject* watched, QEvent* event)
{
    // A line edit claims Ctrl+Z for its own typing history even after Enter has applied the
    // text: once what it shows is what the design holds, the keys go to the window's Undo/Redo.
    if (event->type() == QEvent::ShortcutOverride && isUndoKey(static_cast<QKeyEvent*>(event)))
        if (auto* edit = qobject_cast<QLineEdit*>(watched);
            edit && edit->text() == edit->property("shown").toString()) {
            event->ignore();
            return true;
        }
    return QWidget::eventFilter(watched, event);
}

QString ModuleEditor::message() const
{
    return m_message->isHidden() ? QString() : m_message->text();
}

void ModuleEditor::setNode(int node)
{
    m_node = node;
    // Another module: what was typed for the previous one does not carry over.
    for (QLineEdit* e : m_args)
        e->setProperty("shown", e->text());
    for (QLineEdit* e : { m_name, m_repeat, m_active })
        e->setProperty("shown", e->text());
    for (QLineEdit* e : m_args)
        setInvalid(e, false);
    setInvalid(m_repeat, false);
    setInvalid(m_active, false);
    setMessage({});
    refresh();
}

QString ModuleEditor::source(const QString& field) const
{
    const auto& nodes = m_document->design().nodes();
    if (m_node < 0 || static_cast<std::size_t>(m_node) >= nodes.size())
        return {};
    return QStringLiteral("node:%1:%2").arg(qs(core::Design::path(*nodes[static_cast<std::size_t>(m_node)])), field);
}

void ModuleEditor::refresh()
{
    const core::Design& d = m_document->design();
    const core::Module* m = m_node >= 0 && static_cast<std::size_t>(m_node) < d.nodes().size()
        ? d.nodes()[static_cast<std::size_t>(m_node)]
        : nullptr;
    setEnabled(m != nullptr);
    if (!m) {
        m_title->setText(tr("<i>Select a module to edit it</i>"));
        for (int i = 0; i < kMaxArgs; ++i)
            m_form->setRowVisible(m_args[i]->parentWidget(), false);
        m_form->setRowVisible(m_bias, false);
        m_form->setRowVisible(m_repeat, false);
        m_form->setRowVisible(m_active, false);
        m_form->setRowVisible(m_tie, false);
        showText(m_name, {});
        m_kind->clear();
        return;
    }
    const std::string path = core::Design::path(*m);
    m_title->setText(QStringLiteral("<b>%1</b>").arg((path.empty() ? qs(m->type) : qs(path)).toHtmlEscaped()));
    showText(m_name, qs(m->name));
    m_name->setEnabled(m->parent && !m->name.empty());
    m_kind->setText(qs(std::string(core::kindName(m->kind)))
        + (m->type != core::kindName(m->kind) ? QStringLiteral(" (%1)").arg(qs(m->type)) : QString()));

    const auto names = core::argumentNames(m->kind);
    const auto& e = m_document->evaluation();
    const bool counted = m_document->countsValid() && static_cast<std::size_t>(m->index) < e.nodes.size();
    for (int i = 0; i < kMaxArgs; ++i) {
        const bool shown = static_cast<std::size_t>(i) < m->args.size();
        m_form->setRowVisible(m_args[i]->parentWidget(), shown);
        if (!shown)
            continue;
        m_argLabels[i]->setText(
            static_cast<std::size_t>(i) < names.size() ? qs(std::string(names[i])) : tr("dim %1").arg(i));
        showText(m_args[i], qs(m->args[static_cast<std::size_t>(i)].text()));
        const auto& v = e.nodes.empty() || !counted ? std::vector<core::Count> {} : e.nodes[m->index].args;
        m_argValues[i]->setText(static_cast<std::size_t>(i) < v.size() ? QStringLiteral("= %1").arg(v[i]) : QString());
    }
    m_form->setRowVisible(m_bias, core::hasBiasSwitch(m->kind));
    m_bias->setChecked(m->bias);
    m_form->setRowVisible(m_repeat, m->parent != nullptr);
    showText(m_repeat, qs(m->repeat.text()));
    m_form->setRowVisible(m_active, m->isRepeated());
    showText(m_active, qs(m->activeRepeat.text()));
    m_form->setRowVisible(m_tie, m->isLeaf());
    m_tie->setText(m->tiedTo.empty() ? tr("its own weight") : tr("the weight of %1").arg(qs(m->tiedTo)));

    // An evaluation error caused from this form is shown here.
    const auto& error = m_document->error();
    const QString src = m_document->errorSource();
    if (error && src.startsWith(QStringLiteral("node:") + qs(path) + QLatin1Char(':')))
        setMessage(tr("%1 — the counts shown are the last valid ones.").arg(qs(error->text())));
    else if (!error && m_message->property("fromDocument").toBool())
        setMessage({});
    m_message->setProperty("fromDocument", error.has_value());
}

bool ModuleEditor::validate(QLineEdit* edit, bool optional)
{
    const std::string text = edit->text().trimmed().toStdString();
    QString problem;
    if (text.empty()) {
        if (!optional)
            problem = tr("A size is needed");
    } else if (auto e = core::Expr::parse(text); !e) {
        problem = qs(e.error().text());
    } else {
        for (const auto& n : e->names())
            if (!m_document->design().symbol(n)) {
                problem = tr("'%1' is not a hyperparameter of this design").arg(qs(n));
                break;
            }
    }
    setInvalid(edit, !problem.isEmpty());
    setMessage(problem);
    return problem.isEmpty();
}

void ModuleEditor::commitExpression(QLineEdit* edit, int arg)
{
    const core::Design& d = m_document->design();
    if (m_node < 0 || static_cast<std::size_t>(m_node) >= d.nodes().size())
        return;
    const core::Module* m = d.nodes()[static_cast<std::size_t>(m_node)];
    const std::string text = edit->text().trimmed().toStdString();
    const std::string current = arg >= 0 ? (static_cast<std::size_t>(arg) < m->args.size() ? m->args[arg].text() : "")
        : arg == -1                      ? m->repeat.text()
                                         : m->activeRepeat.text();
    if (text == current || !validate(edit, arg < 0))
        return;
    const int node = m_node;
    const QString field = arg >= 0 ? QStringLiteral("arg:%1").arg(arg)
        : arg == -1                ? QStringLiteral("repeat")
                                   : QStringLiteral("active");
    QString error;
    const QString what = arg >= 0 ? m_argLabels[arg]->text() : arg == -1 ? tr("repeat") : tr("active copies");
    if (!m_document->applyEdit(
            tr("Set %1 of %2 to %3").arg(what, qs(m->name.empty() ? m->type : m->name), qs(text)),
            [node, arg, text](core::Design& design) { return core::setExpression(design, node, arg, text); },
            source(field), &error)) {
        setInvalid(edit, true);
        setMessage(error);
    }
}

void ModuleEditor::commitName()
{
    const core::Design& d = m_document->design();
    if (m_node < 0 || static_cast<std::size_t>(m_node) >= d.nodes().size())
        return;
    const core::Module* m = d.nodes()[static_cast<std::size_t>(m_node)];
    const std::string name = m_name->text().trimmed().toStdString();
    if (name == m->name || !m->parent || m->name.empty())
        return;
    const int node = m_node;
    QString error;
    if (!m_document->applyEdit(
            tr("Rename %1 to %2").arg(qs(m->name), qs(name)),
            [node, name](core::Design& design) { return core::renameModule(design, node, name); },
            source(QStringLiteral("name")), &error)) {
        setInvalid(m_name, true);
        setMessage(error);
    } else {
        setInvalid(m_name, false);
    }
}

void ModuleEditor::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange)
        m_message->setStyleSheet(QStringLiteral("color: %1;").arg(errorColor(palette()).name()));
}

void ModuleEditor::setMessage(const QString& text)
{
    m_message->setText(text);
    m_message->setVisible(!text.isEmpty());
}

} // namespace paramscope::ui
