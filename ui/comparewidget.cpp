// SPDX-License-Identifier: MIT
#include "comparewidget.h"

#include "document.h"
#include "source.h"

#include <QHeaderView>
#include <QLabel>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace paramscope::ui {

namespace {

QString qs(const std::string& s)
{
    return QString::fromStdString(s);
}

QString cell(const std::optional<core::Count>& n)
{
    return n ? qs(core::groupDigits(*n)) : QStringLiteral("—");
}

void fill(QTreeWidgetItem* item, const QString& name, const core::ComparedCount& n)
{
    item->setText(CompareWidget::NameColumn, name);
    item->setText(CompareWidget::AColumn, cell(n.a));
    item->setText(CompareWidget::BColumn, cell(n.b));
    item->setText(CompareWidget::DifferenceColumn, qs(core::signedCount(n.difference())));
    item->setText(CompareWidget::RatioColumn, qs(core::ratioText(n.ratio())));
    for (int c = CompareWidget::AColumn; c < CompareWidget::ColumnCount; ++c)
        item->setTextAlignment(c, Qt::AlignRight | Qt::AlignVCenter);
}

} // namespace

CompareWidget::CompareWidget(Document* document, QWidget* parent)
    : QWidget(parent)
    , m_document(document)
    , m_heading(new QLabel(this))
    , m_view(new QTreeWidget(this))
{
    setObjectName(QStringLiteral("compare"));
    m_view->setObjectName(QStringLiteral("compareView"));
    m_view->setColumnCount(ColumnCount);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_heading->setWordWrap(true);
    m_heading->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_heading);
    layout->addWidget(m_view, 1);
    connect(m_document, &Document::changed, this, &CompareWidget::refresh);
    connect(m_document, &Document::resetDone, this, &CompareWidget::refresh);
    connect(m_view, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* item) {
        const QString path = item->data(NameColumn, Qt::UserRole).toString();
        if (item->data(NameColumn, Qt::UserRole + 1).toBool())
            emit pathActivated(path);
    });
    refresh();
}

bool CompareWidget::setOther(const QString& source, QString* error)
{
    auto design = core::loadSource(source.toStdString());
    auto counted = design ? core::count(std::move(*design)) : core::Result<core::Counted>(design.error());
    if (!counted) {
        if (error)
            *error = qs(counted.error().text());
        return false;
    }
    m_other = std::move(*counted);
    refresh();
    return true;
}

void CompareWidget::refresh()
{
    m_view->clear();
    m_comparison.reset();
    if (!m_other) {
        m_heading->setText(tr("View ▸ Compare With… puts another design beside this one."));
        return;
    }
    const core::Design& design = m_document->design();
    if (!m_document->countsValid() || m_document->evaluation().nodes.size() != design.nodes().size()) {
        m_heading->setText(tr("No comparison while the values are invalid."));
        return;
    }
    // A is the open design at its current values: recounted here, a few microseconds.
    core::Counted a { design, m_document->evaluation(), m_document->formulas() };
    a.design.name = m_document->displayName().toStdString();
    auto c = core::compare(a, *m_other);
    if (!c) {
        m_heading->setText(qs(c.error().text()));
        return;
    }
    m_comparison = std::move(*c);
    const core::Comparison& cmp = *m_comparison;
    m_view->setHeaderLabels(
        { tr("A vs B"), qs(cmp.nameA), qs(cmp.nameB), tr("Difference (B − A)"), tr("Ratio (B / A)") });
    QStringList differ;
    for (const auto& h : cmp.hyperparameters)
        differ << QStringLiteral("%1 %2 → %3")
                      .arg(qs(h.name), h.a ? QString::number(*h.a) : QStringLiteral("—"),
                          h.b ? QString::number(*h.b) : QStringLiteral("—"));
    m_heading->setText(tr("<b>%1</b> vs <b>%2</b>: %3 (%4). Hyperparameters that differ: %5")
                           .arg(qs(cmp.nameA).toHtmlEscaped(), qs(cmp.nameB).toHtmlEscaped(),
                               qs(core::signedCount(cmp.total.difference())), qs(core::ratioText(cmp.total.ratio())),
                               differ.isEmpty() ? tr("none") : differ.join(QStringLiteral(", ")).toHtmlEscaped()));

    auto* totals = new QTreeWidgetItem(m_view, { tr("Totals") });
    fill(new QTreeWidgetItem(totals), tr("total"), cmp.total);
    fill(new QTreeWidgetItem(totals), tr("non-embedding"), cmp.nonEmbedding);
    if (cmp.active)
        fill(new QTreeWidgetItem(totals), tr("active per token"), *cmp.active);
    auto* components = new QTreeWidgetItem(m_view, { tr("By component (matched by role)") });
    for (const auto& k : cmp.components)
        fill(new QTreeWidgetItem(components), qs(std::string(core::componentLabel(k.component))), k.count);
    auto* modules = new QTreeWidgetItem(m_view, { tr("By module (matched by path; all copies)") });
    std::vector<QTreeWidgetItem*> stack { modules };
    for (const auto& m : cmp.modules) {
        stack.resize(static_cast<std::size_t>(m.depth) + 1);
        auto* item = new QTreeWidgetItem(stack.back());
        fill(item, qs(m.label), m.overall);
        item->setData(NameColumn, Qt::UserRole, qs(m.key));
        item->setData(NameColumn, Qt::UserRole + 1, !m.moduleA.empty());
        item->setToolTip(NameColumn,
            tr("%1\nA: %2\nB: %3")
                .arg(qs(m.key), m.moduleA.empty() ? tr("(none)") : qs(m.moduleA),
                    m.moduleB.empty() ? tr("(none)") : qs(m.moduleB)));
        stack.push_back(item);
    }
    m_view->expandToDepth(2);
}

} // namespace paramscope::ui
