// SPDX-License-Identifier: MIT
#include "summarywidget.h"

#include "document.h"
#include "report.h"
#include "theme.h"

#include <QEvent>
#include <QGridLayout>
#include <QLabel>

#include <algorithm>

namespace paramscope::ui {

namespace {

QString qs(const std::string& s)
{
    return QString::fromStdString(s);
}

QString countText(core::Count n)
{
    return QStringLiteral("%1 (%2)").arg(qs(core::groupDigits(n)), qs(core::compactCount(n)));
}

} // namespace

SummaryWidget::SummaryWidget(Document* document, QWidget* parent)
    : QWidget(parent)
    , m_document(document)
    , m_title(new QLabel(this))
    , m_total(new QLabel(this))
    , m_compact(new QLabel(this))
    , m_details(new QLabel(this))
    , m_notes(new QLabel(this))
    , m_error(new QLabel(this))
{
    auto* layout = new QGridLayout(this);
    layout->setContentsMargins(8, 4, 8, 4);
    layout->addWidget(m_title, 0, 0, 1, 2);
    layout->addWidget(m_total, 1, 0, Qt::AlignLeft | Qt::AlignBottom);
    layout->addWidget(m_compact, 1, 1, Qt::AlignLeft | Qt::AlignBottom);
    layout->addWidget(m_details, 2, 0, 1, 2);
    layout->addWidget(m_notes, 3, 0, 1, 2);
    layout->addWidget(m_error, 4, 0, 1, 2);
    layout->setColumnStretch(1, 1);
    m_total->setObjectName(QStringLiteral("total"));
    m_total->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_total->setToolTip(tr("Total parameters, counted exactly"));
    m_details->setTextFormat(Qt::RichText);
    // One line per note, elided to the width (the whole notes in the tooltip): a long list of
    // assumed defaults must not push the tree down on a projector.
    m_notes->setObjectName(QStringLiteral("notes"));
    m_notes->setTextFormat(Qt::PlainText);
    m_notes->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_error->setObjectName(QStringLiteral("summaryError"));
    m_error->setWordWrap(true);
    updateErrorStyle();
    updateFonts();
    connect(document, &Document::changed, this, &SummaryWidget::refresh);
    refresh();
}

QString SummaryWidget::totalText() const
{
    return m_total->text();
}

QString SummaryWidget::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

void SummaryWidget::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::ApplicationFontChange) {
        updateFonts();
        updateNotes();
    }
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange)
        updateErrorStyle();
}

void SummaryWidget::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    updateNotes();
}

QStringList SummaryWidget::notes() const
{
    return m_noteLines;
}

void SummaryWidget::updateErrorStyle()
{
    m_error->setStyleSheet(QStringLiteral("color: %1; font-weight: bold;").arg(errorColor(palette()).name()));
}

void SummaryWidget::updateNotes()
{
    // The layout has already given the label its width when this runs from resizeEvent.
    const int width = std::max(80, m_notes->width());
    const QFontMetrics metrics(m_notes->font());
    QStringList lines;
    for (const QString& note : m_noteLines)
        lines << metrics.elidedText(note, Qt::ElideRight, width);
    m_notes->setText(lines.join(QLatin1Char('\n')));
    QStringList tip;
    for (const QString& note : m_noteLines)
        tip << note.toHtmlEscaped();
    m_notes->setToolTip(tip.join(QStringLiteral("<br>")));
    m_notes->setVisible(!m_noteLines.isEmpty());
}

void SummaryWidget::updateFonts()
{
    const QFont base = font();
    QFont big = base;
    big.setPointSizeF(base.pointSizeF() * 2.4);
    big.setBold(true);
    m_total->setFont(big);
    QFont medium = base;
    medium.setPointSizeF(base.pointSizeF() * 1.5);
    m_compact->setFont(medium);
    QFont title = base;
    title.setPointSizeF(base.pointSizeF() * 1.2);
    title.setBold(true);
    m_title->setFont(title);
    QFont italic = base;
    italic.setItalic(true);
    m_notes->setFont(italic);
}

void SummaryWidget::refresh()
{
    const core::Design& d = m_document->design();
    const core::Evaluation& e = m_document->evaluation();
    QString title = m_document->displayName().toHtmlEscaped();
    if (!d.className.empty())
        title
            += QStringLiteral(" <span style=\"font-weight: normal\">— %1</span>").arg(qs(d.className).toHtmlEscaped());
    m_title->setText(title);
    m_total->setText(qs(core::groupDigits(e.total)));
    m_compact->setText(QStringLiteral("%1 parameters").arg(qs(core::compactCount(e.total))));

    QStringList details;
    details << tr("non-embedding %1").arg(countText(e.nonEmbedding));
    if (e.sparse)
        details << tr("<b>active per token %1</b>").arg(countText(e.active));
    if (d.publishedTotal) {
        const core::Count p = *d.publishedTotal;
        details << (p == e.total
                ? tr("published %1 ✓").arg(qs(core::compactCount(p)))
                : tr("published %1 (this design: %2)").arg(qs(core::groupDigits(p)), qs(core::compactCount(e.total))));
    }
    m_details->setText(details.join(QStringLiteral(" &nbsp;·&nbsp; ")));

    QStringList notes;
    for (const core::Module* m : d.nodes())
        if (!m->tiedTo.empty())
            notes << tr("%1 shares its weight with %2 (counted once)").arg(qs(core::Design::path(*m)), qs(m->tiedTo));
    for (const auto& n : d.notes)
        if (n.find("shares") == std::string::npos && n.find("tied") == std::string::npos)
            notes << qs(n);
    m_noteLines = notes;
    updateNotes();

    if (const auto& error = m_document->error()) {
        m_error->setText(tr("Invalid: %1 — showing the last valid counts.").arg(qs(error->text())));
        m_error->show();
    } else {
        m_error->hide();
    }
    if (!m_document->countsValid()) {
        m_total->setText(QStringLiteral("—"));
        m_compact->setText({});
        m_details->setText({});
    }
}

} // namespace paramscope::ui
