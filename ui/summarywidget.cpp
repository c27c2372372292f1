// SPDX-License-Identifier: MIT
#include "summarywidget.h"

#include "document.h"
#include "report.h"
#include "theme.h"
#include "weightscheck.h"

#include <QAction>
#include <QClipboard>
#include <QEvent>
#include <QGridLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QScreen>
#include <QToolButton>

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
    , m_moreNotes(new QToolButton(this))
    , m_copyNotes(new QAction(tr("Copy All Notes"), this))
{
    auto* layout = new QGridLayout(this);
    layout->setContentsMargins(8, 4, 8, 4);
    layout->addWidget(m_title, 0, 0, 1, 2);
    layout->addWidget(m_total, 1, 0, Qt::AlignLeft | Qt::AlignBottom);
    layout->addWidget(m_compact, 1, 1, Qt::AlignLeft | Qt::AlignBottom);
    layout->addWidget(m_details, 2, 0, 1, 2);
    auto* notesRow = new QHBoxLayout;
    notesRow->addWidget(m_notes, 1);
    notesRow->addWidget(m_moreNotes, 0, Qt::AlignTop);
    layout->addLayout(notesRow, 3, 0, 1, 2);
    layout->addWidget(m_error, 4, 0, 1, 2);
    layout->setColumnStretch(1, 1);
    m_total->setObjectName(QStringLiteral("total"));
    m_total->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_total->setToolTip(tr("Total parameters, counted exactly"));
    m_details->setTextFormat(Qt::RichText);
    // One line per note, elided to the width: a long list of assumed defaults must not push the
    // tree down on a projector. "More" shows them whole; they can be selected and copied either way.
    m_notes->setObjectName(QStringLiteral("notes"));
    m_notes->setTextFormat(Qt::PlainText);
    m_notes->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_notes->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_notes->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_notes, &QLabel::customContextMenuRequested, this, &SummaryWidget::showNotesMenu);
    m_moreNotes->setObjectName(QStringLiteral("moreNotes"));
    m_moreNotes->setCheckable(true);
    m_moreNotes->setAutoRaise(true);
    connect(m_moreNotes, &QToolButton::toggled, this, &SummaryWidget::setNotesExpanded);
    m_copyNotes->setObjectName(QStringLiteral("copyNotes"));
    m_copyNotes->setToolTip(tr("Copy every note, whole, to the clipboard"));
    // Anywhere in the window: the notes are often what a report needs beside the table.
    m_copyNotes->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    m_copyNotes->setShortcutContext(Qt::WindowShortcut);
    addAction(m_copyNotes);
    connect(m_copyNotes, &QAction::triggered, this, &SummaryWidget::copyNotes);
    m_total->setForegroundRole(QPalette::WindowText);
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
    return m_error->isHidden() ? QString() : m_errorText;
}

void SummaryWidget::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::ApplicationFontChange) {
        updateFonts();
        updateNotes();
    }
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange) {
        updateErrorStyle();
        updateGrey();
    }
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
    setErrorText(m_error);
}

void SummaryWidget::setNotesExpanded(bool expanded)
{
    if (m_expanded == expanded)
        return;
    m_expanded = expanded;
    m_moreNotes->setChecked(expanded);
    updateNotes();
}

void SummaryWidget::copyNotes() const
{
    QGuiApplication::clipboard()->setText(m_noteLines.join(QLatin1Char('\n')));
}

void SummaryWidget::showNotesMenu(const QPoint& pos)
{
    QMenu menu(this);
    QAction* copy = menu.addAction(tr("&Copy"));
    copy->setEnabled(m_notes->hasSelectedText());
    connect(
        copy, &QAction::triggered, this, [this] { QGuiApplication::clipboard()->setText(m_notes->selectedText()); });
    menu.addAction(m_copyNotes);
    menu.addSeparator();
    QAction* expand = menu.addAction(m_expanded ? tr("Show One Line Each") : tr("Show Whole Notes"));
    connect(expand, &QAction::triggered, this, [this] { setNotesExpanded(!m_expanded); });
    menu.exec(m_notes->mapToGlobal(pos));
}

void SummaryWidget::updateNotes()
{
    bool elided = false;
    if (m_expanded) {
        m_notes->setWordWrap(true);
        m_notes->setText(m_noteLines.join(QLatin1Char('\n')));
    } else {
        // The layout has already given the label its width when this runs from resizeEvent.
        m_notes->setWordWrap(false);
        const int width = std::max(80, m_notes->width());
        const QFontMetrics metrics(m_notes->font());
        // Folded, the notes take at most a fourteenth of the screen's height (five lines at 100 %
        // on 1080 rows, one at 300 %): with a long list at projector zoom the window outgrew the
        // screen. The rest is one More away, and in the tooltip.
        const int screenHeight = screen() ? screen()->availableGeometry().height() : 1080;
        const int budget = std::max(1, screenHeight / 14 / std::max(1, metrics.lineSpacing()));
        const auto shown = static_cast<qsizetype>(budget);
        QStringList lines;
        for (qsizetype i = 0; i < m_noteLines.size() && i < shown; ++i) {
            QString note = m_noteLines[i];
            if (i + 1 == shown && m_noteLines.size() > shown) {
                const QString rest = tr(" (+%n more)", nullptr, static_cast<int>(m_noteLines.size() - shown));
                note = metrics.elidedText(note, Qt::ElideRight, std::max(20, width - metrics.horizontalAdvance(rest)))
                    + rest;
                elided = true;
            } else {
                elided = elided || metrics.horizontalAdvance(note) > width;
                note = metrics.elidedText(note, Qt::ElideRight, width);
            }
            lines << note;
        }
        m_notes->setText(lines.join(QLatin1Char('\n')));
        // An error as long as a paragraph gets the same budget (it wrapped to four lines at 300 %),
        // cut to one line beyond it: whole in the tooltip and behind More.
        const QFontMetrics bold(m_error->font());
        const int errorWidth = std::max(80, m_error->width());
        const int errorLines
            = bold.boundingRect(QRect(0, 0, errorWidth, 1 << 20), Qt::TextWordWrap, m_errorText).height()
            / std::max(1, bold.lineSpacing());
        const bool cut = errorLines > std::max(1, screenHeight / 14 / std::max(1, bold.lineSpacing()));
        m_error->setWordWrap(!cut);
        m_error->setText(cut ? bold.elidedText(m_errorText, Qt::ElideRight, errorWidth) : m_errorText);
        elided = elided || cut;
    }
    if (m_expanded) {
        m_error->setWordWrap(true);
        m_error->setText(m_errorText);
    }
    m_error->setToolTip(m_errorText.size() > 0 ? m_errorText.toHtmlEscaped() : QString());
    QStringList tip;
    for (const QString& note : m_noteLines)
        tip << note.toHtmlEscaped();
    m_notes->setToolTip(tip.join(QStringLiteral("<br>")));
    m_notes->setVisible(!m_noteLines.isEmpty());
    // The button is there whenever something is cut, and to fold the notes back.
    m_moreNotes->setText(m_expanded ? tr("Less") : tr("More"));
    m_moreNotes->setToolTip(m_expanded ? tr("Show each note on one line") : tr("Show the notes whole"));
    m_moreNotes->setVisible((!m_noteLines.isEmpty() || !m_errorText.isEmpty()) && (elided || m_expanded));
}

void SummaryWidget::setWeightsCheck(WeightsCheck* check)
{
    if (!m_weights) {
        m_weights = new QLabel(this);
        m_weights->setObjectName(QStringLiteral("weights"));
        m_weights->setWordWrap(true);
        m_weights->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
        static_cast<QGridLayout*>(layout())->addWidget(m_weights, 5, 0, 1, 2);
    }
    m_check = check;
    connect(check, &WeightsCheck::changed, this, &SummaryWidget::updateWeights);
    updateWeights();
}

QString SummaryWidget::weightsText() const
{
    return m_weights && !m_weights->isHidden() ? m_weights->text() : QString();
}

void SummaryWidget::updateWeights()
{
    const QStringList lines = m_check ? m_check->summaryLines() : QStringList();
    // A few lines at most, so that a file with many problems does not push the tree down; all
    // of them in the tooltip (and in `paramscope-cli verify`).
    constexpr int kShown = 4;
    QStringList shown = lines.mid(0, kShown);
    if (lines.size() > kShown)
        shown << tr("… and %n more (hover to see all)", nullptr, static_cast<int>(lines.size() - kShown));
    m_weights->setText(shown.join(QLatin1Char('\n')));
    QStringList tip;
    for (const QString& l : lines)
        tip << l.toHtmlEscaped();
    m_weights->setToolTip(tip.join(QStringLiteral("<br>")));
    m_weights->setVisible(!lines.isEmpty());
    const core::Verification* v = m_check ? m_check->result() : nullptr;
    QPalette p;
    if (v && !v->ok())
        p.setColor(QPalette::WindowText, errorColor(palette()));
    m_weights->setPalette(p);
}

void SummaryWidget::updateGrey()
{
    // The last valid counts stay while a value is invalid, greyed like the tree's (legible on a
    // projector, which the style's disabled colour often is not).
    QPalette p; // no role set: inherits the window's
    if (m_greyed)
        p.setColor(QPalette::WindowText, dimmedText(palette()));
    for (QLabel* label : { m_total, m_compact, m_details })
        label->setPalette(p);
    m_total->setToolTip(
        m_greyed ? tr("The last valid total: a value is invalid") : tr("Total parameters, counted exactly"));
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
    QFont bold = base;
    bold.setBold(true);
    m_error->setFont(bold);
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

    // Derived notes (ties) come from the tree as it is now, kept ones from the design: the same
    // notes, in the same words, as the CLI and the exported tables.
    QStringList notes;
    for (const core::Note& n : d.allNotes())
        notes << qs(n.text);
    m_noteLines = notes;
    const auto& error = m_document->error();
    m_errorText = error ? tr("Invalid: %1 — showing the last valid counts.").arg(qs(error->text())) : QString();
    m_error->setVisible(error.has_value());
    updateNotes();
    if (!m_document->countsValid()) {
        m_total->setText(QStringLiteral("—"));
        m_compact->setText({});
        m_details->setText({});
    }
    m_greyed = m_document->error().has_value();
    updateGrey();
}

} // namespace paramscope::ui
