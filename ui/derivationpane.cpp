// SPDX-License-Identifier: MIT
#include "derivationpane.h"

#include "document.h"

#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace paramscope::ui {

namespace {

QString qs(const std::string& s)
{
    return QString::fromStdString(s);
}

} // namespace

DerivationPane::DerivationPane(Document* document, QWidget* parent)
    : QWidget(parent)
    , m_document(document)
    , m_view(new QTextBrowser(this))
    , m_copyText(new QPushButton(tr("Copy as &Text"), this))
    , m_copyMarkdown(new QPushButton(tr("Copy as &Markdown"), this))
    , m_copyLatex(new QPushButton(tr("Copy as &LaTeX"), this))
{
    setObjectName(QStringLiteral("derivationPane"));
    m_view->setObjectName(QStringLiteral("derivationView"));
    m_view->setOpenLinks(false);
    m_view->setToolTip(tr("Where the selected module's count comes from: formula, values, result"));
    m_copyText->setObjectName(QStringLiteral("copyDerivationText"));
    m_copyMarkdown->setObjectName(QStringLiteral("copyDerivationMarkdown"));
    m_copyLatex->setObjectName(QStringLiteral("copyDerivationLatex"));
    m_copyText->setToolTip(tr("Copy the derivation as plain text"));
    m_copyMarkdown->setToolTip(tr("Copy the derivation as Markdown, for notes"));
    m_copyLatex->setToolTip(tr("Copy the derivation as a LaTeX align* block, for slides"));

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_copyText);
    buttons->addWidget(m_copyMarkdown);
    buttons->addWidget(m_copyLatex);
    buttons->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view, 1);
    layout->addLayout(buttons);

    connect(m_copyText, &QPushButton::clicked, this, &DerivationPane::copyText);
    connect(m_copyMarkdown, &QPushButton::clicked, this, &DerivationPane::copyMarkdown);
    connect(m_copyLatex, &QPushButton::clicked, this, &DerivationPane::copyLatex);
    // Every change: a slider step, an edit, a load. A derivation is microseconds of work.
    connect(m_document, &Document::changed, this, &DerivationPane::refresh);
    connect(m_document, &Document::resetDone, this, &DerivationPane::refresh);
    refresh();
}

void DerivationPane::setNode(int node)
{
    if (node == m_node)
        return;
    m_node = node;
    refresh();
}

void DerivationPane::setPresentation(bool on)
{
    m_presentation = on;
    for (QPushButton* b : { m_copyText, m_copyMarkdown, m_copyLatex })
        b->setVisible(!on);
    refresh();
}

QString DerivationPane::plainText() const
{
    return m_view->toPlainText();
}

QString DerivationPane::text(core::DerivationFormat format) const
{
    return m_derivation ? qs(core::renderDerivation(*m_derivation, format)) : QString();
}

void DerivationPane::copyText()
{
    copy(core::DerivationFormat::Text);
}

void DerivationPane::copyMarkdown()
{
    copy(core::DerivationFormat::Markdown);
}

void DerivationPane::copyLatex()
{
    copy(core::DerivationFormat::Latex);
}

void DerivationPane::copy(core::DerivationFormat format)
{
    if (m_derivation)
        QGuiApplication::clipboard()->setText(text(format));
}

void DerivationPane::refresh()
{
    m_derivation.reset();
    m_reason.clear();
    const core::Design& design = m_document->design();
    const auto& nodes = design.nodes();
    if (m_node < 0 || static_cast<std::size_t>(m_node) >= nodes.size()) {
        m_reason = tr("Select a module to see where its count comes from.");
    } else if (m_document->error() || !m_document->countsValid()
        || m_document->evaluation().nodes.size() != nodes.size() || m_document->formulas().size() != nodes.size()) {
        // The last valid counts belong to other values: a derivation of them would not add up.
        m_reason = tr("No counts for these values: %1")
                       .arg(m_document->error() ? qs(m_document->error()->text()) : tr("they do not evaluate"));
    } else {
        const core::CountedRef counted { design, m_document->evaluation(), m_document->formulas() };
        m_derivation = core::derive(counted, *nodes[static_cast<std::size_t>(m_node)]);
    }
    for (QPushButton* b : { m_copyText, m_copyMarkdown, m_copyLatex })
        b->setEnabled(m_derivation.has_value());

    const QPalette pal = palette();
    const QString fg = m_presentation ? QStringLiteral("#ffffff") : pal.color(QPalette::Text).name();
    const QString dim = m_presentation ? QStringLiteral("#c8c8c8") : pal.color(QPalette::PlaceholderText).name();
    const QString accent = m_presentation ? QStringLiteral("#ffd54f") : pal.color(QPalette::Link).name();
    QString html = QStringLiteral("<div style='color:%1'>").arg(fg);
    if (!m_derivation) {
        html += QStringLiteral("<p style='color:%1'>%2</p>").arg(dim, m_reason.toHtmlEscaped());
    } else {
        const core::Derivation& d = *m_derivation;
        const QString path = d.path.empty() ? qs(d.module) : qs(d.path);
        html += QStringLiteral("<p><b>%1</b> &nbsp;<span style='color:%2'>%3</span></p>")
                    .arg(path.toHtmlEscaped(), dim, qs(d.title).toHtmlEscaped());
        html += QStringLiteral("<table cellspacing='0' cellpadding='3'>");
        for (const auto& s : d.steps) {
            QString line = qs(core::stepText(s)).toHtmlEscaped();
            // The result, after the last " = ", stands out.
            const int eq = line.lastIndexOf(QStringLiteral(" = "));
            if (eq >= 0)
                line = line.left(eq + 3) + QStringLiteral("<b style='color:%1'>").arg(accent) + line.mid(eq + 3)
                    + QStringLiteral("</b>");
            html += QStringLiteral("<tr><td style='color:%1; padding-right:12px'>%2</td><td>%3</td></tr>")
                        .arg(dim, qs(core::stepLabel(s)).toHtmlEscaped(), line);
        }
        html += QStringLiteral("</table>");
        if (!d.formulaError.empty())
            html += QStringLiteral("<p style='color:%1'>(%2)</p>").arg(dim, qs(d.formulaError).toHtmlEscaped());
        if (!d.where.empty())
            html += QStringLiteral("<p style='color:%1'>where %2</p>").arg(dim, qs(d.where).toHtmlEscaped());
        const double share = d.total ? 100.0 * static_cast<double>(d.overall) / static_cast<double>(d.total) : 0.0;
        QString copies;
        if (d.multiplicity != 1)
            copies = tr("%1 in each of %2 copies, %3 in all; ")
                         .arg(qs(core::groupDigits(d.count)), qs(core::groupDigits(d.multiplicity)),
                             qs(core::groupDigits(d.overall)));
        html += QStringLiteral("<p style='color:%1'>%2%3 % of the total %4</p>")
                    .arg(dim, copies.toHtmlEscaped(), QString::number(share, 'f', 2), qs(core::groupDigits(d.total)));
    }
    html += QStringLiteral("</div>");
    m_view->setHtml(html);
}

} // namespace paramscope::ui
