// SPDX-License-Identifier: MIT
#include "chartplot.h"

#include "chartwidget.h"

#include "presets.h"
#include "report.h"
#include "source.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QTimer>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace paramscope::ui {

using chart::qs;

namespace {

/// "124,439,808"
QString grouped(core::Count n)
{
    return qs(core::groupDigits(n));
}

} // namespace

ChartWidget::ChartWidget(QWidget* parent)
    : QWidget(parent)
{
    for (const core::Preset& p : core::presets()) {
        auto d = core::loadText(p.json, "preset " + std::string(p.name));
        if (d && d->compile())
            m_presetDesigns.push_back(std::move(*d));
    }

    m_metricCombo = new QComboBox(this);
    m_metricCombo->setObjectName(QStringLiteral("chartMetric"));
    m_metricCombo->setToolTip(tr("What the curve shows: the parameter count, or memory in bytes at the Sizing "
                                 "tab's formats, context and batch"));
    m_metricCombo->addItem(tr("Parameters"), static_cast<int>(core::SizingMetric::Parameters));
    m_metricCombo->addItem(tr("Weights memory"), static_cast<int>(core::SizingMetric::Weights));
    m_metricCombo->addItem(tr("KV cache"), static_cast<int>(core::SizingMetric::KvCache));
    m_metricCombo->addItem(tr("Weights + KV cache"), static_cast<int>(core::SizingMetric::Inference));
    m_metricCombo->addItem(tr("Training states"), static_cast<int>(core::SizingMetric::Training));
    m_xCombo = new QComboBox(this);
    m_xCombo->setObjectName(QStringLiteral("chartX"));
    m_xCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_xCombo->setToolTip(tr("The hyperparameter on the horizontal axis; the others are held, derived ones follow"));
    m_logY = new QCheckBox(tr("Log y"), this);
    m_logX = new QCheckBox(tr("Log x"), this);
    m_breakdown = new QCheckBox(tr("Breakdown"), this);
    m_breakdown->setChecked(true);
    m_breakdown->setToolTip(tr("Stacked by component kind (separate curves on a log axis)"));
    m_presets = new QCheckBox(tr("Presets"), this);
    m_presets->setChecked(true);
    m_presets->setToolTip(tr("Mark the presets at their own values"));
    m_export = new QToolButton(this);
    m_export->setText(tr("Export…"));
    m_export->setToolTip(tr("Save the chart as PNG, SVG or PDF"));

    // The selectors, then the switches and Export: one row, or two when the row does not fit
    // (zoomed): see placeControls().
    m_controls = new QVBoxLayout;
    m_controls->setSpacing(2);
    m_controlRows = { new QHBoxLayout, new QHBoxLayout };
    for (QHBoxLayout* row : m_controlRows)
        m_controls->addLayout(row);
    auto* metricLabel = new QLabel(tr("&y:"), this);
    metricLabel->setBuddy(m_metricCombo);
    auto* xLabel = new QLabel(tr("&x:"), this);
    xLabel->setBuddy(m_xCombo);
    m_controlWidgets
        = { metricLabel, m_metricCombo, xLabel, m_xCombo, m_logY, m_logX, m_breakdown, m_presets, m_export };

    m_plot = new QCustomPlot(this);
    // Small: the layout keeps the plot's share at any size, and at 300 % zoom the chart tab
    // must not make the window taller than the user made it.
    // 120 px high: at 300 % on a 1080-row screen the tabs' minimum (this page's, shown or not) was
    // what made the window taller than the screen.
    m_plot->setMinimumSize(240, 120);
    // The plot also changes size without the widget doing so (the status line and the details
    // button below it come and go with a rebuild): its picture is laid out in pixels, so anew.
    m_plot->installEventFilter(this);
    m_plot->setMouseTracking(true);
    // Replotted on every slider step: the faster polyline path (no visible difference at these widths).
    m_plot->setPlottingHint(QCP::phFastPolylines, true);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // What a small or zoomed chart leaves out of the picture (the legend's formulas, the notes,
    // the key of numbered markers), whole and selectable, on demand.
    m_detailsButton = new QToolButton(this);
    m_detailsButton->setCheckable(true);
    m_detailsButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_detailsButton->setArrowType(Qt::RightArrow);
    m_detailsButton->setAutoRaise(true);
    m_detailsButton->setToolTip(tr("Show what the chart has no room for at this size"));
    // Shown only when needed. Its coming shortens the plot, which only leaves more out, so the
    // layout settles; hidden, it adds nothing to the window's minimum height (the chart is a tab).
    m_detailsButton->hide();
    m_details = new QLabel(this);
    m_details->setWordWrap(true);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_details->hide();
    connect(m_detailsButton, &QToolButton::toggled, this, [this](bool on) {
        m_detailsButton->setArrowType(on ? Qt::DownArrow : Qt::RightArrow);
        m_details->setVisible(on && !m_details->text().isEmpty());
    });

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(m_controls);
    layout->addWidget(m_plot, 1);
    layout->addWidget(m_status);
    layout->addWidget(m_detailsButton);
    layout->addWidget(m_details);

    m_timer = new QTimer(this);
    m_timer->setSingleShot(true);
    m_timer->setInterval(30);
    connect(m_timer, &QTimer::timeout, this, &ChartWidget::rebuild);

    connect(m_xCombo, &QComboBox::currentIndexChanged, this, [this] {
        const QString x = m_xCombo->currentData().toString();
        if (!x.isEmpty())
            m_spec.x = x.toStdString();
        updateControlRows();
        scheduleRebuild();
    });
    updateControlWidths();
    placeControls(false);
    connect(m_metricCombo, &QComboBox::currentIndexChanged, this,
        [this] { setMetric(static_cast<core::SizingMetric>(m_metricCombo->currentData().toInt())); });
    for (QCheckBox* box : { m_logY, m_logX, m_breakdown, m_presets })
        connect(box, &QCheckBox::toggled, this, &ChartWidget::scheduleRebuild);
    connect(m_export, &QToolButton::clicked, this, &ChartWidget::exportWithDialog);

    connect(m_plot, &QCustomPlot::mouseMove, this, [this](QMouseEvent* event) { showTooltip(event->pos()); });
}

ChartWidget::~ChartWidget() = default;

void ChartWidget::setDesign(const core::Design& design)
{
    m_spec.design = design;
    updateXChoices();
    scheduleRebuild();
}

void ChartWidget::setSizingOptions(const core::SizingOptions& options)
{
    const core::SizingMetric metric = m_spec.sizing.metric;
    m_spec.sizing = options;
    m_spec.sizing.metric = metric;
    if (core::inBytes(metric))
        scheduleRebuild();
}

void ChartWidget::setMetric(core::SizingMetric metric)
{
    if (metric == m_spec.sizing.metric)
        return;
    m_spec.sizing.metric = metric;
    {
        const QSignalBlocker blocker(m_metricCombo);
        m_metricCombo->setCurrentIndex(std::max(0, m_metricCombo->findData(static_cast<int>(metric))));
    }
    updateXChoices();
    scheduleRebuild();
}

bool ChartWidget::setX(const QString& x)
{
    const int index = m_xCombo->findData(x);
    if (index < 0)
        return false;
    m_xCombo->setCurrentIndex(index);
    return true;
}

void ChartWidget::scheduleRebuild()
{
    m_dirty = true;
    // Hidden (the tree tab is up): nothing to draw; showEvent() catches up.
    if (!isVisible())
        return;
    // Throttle, don't debounce: QTimer::start() restarts a running timer, so starting it on every
    // step would hold the chart back for as long as a drag lasts.
    if (!m_timer->isActive())
        m_timer->start();
}

void ChartWidget::flush()
{
    m_timer->stop();
    if (m_dirty)
        rebuild();
}

void ChartWidget::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    // Catch up before the first frame, so that a stale chart never shows.
    flush();
}

void ChartWidget::updateXChoices()
{
    // The context is an axis only for memory: the parameter count does not depend on it.
    const bool context = core::inBytes(m_spec.sizing.metric);
    QStringList names;
    for (const auto& s : m_spec.design.symbols)
        names << qs(s.name);
    if (context)
        names << qs(std::string(core::kContextAxis));
    QStringList shown;
    for (int i = 0; i < m_xCombo->count(); ++i)
        shown << m_xCombo->itemData(i).toString();
    if (names == shown)
        return;
    const QSignalBlocker blocker(m_xCombo);
    m_xCombo->clear();
    for (const auto& s : m_spec.design.symbols) {
        const QString text
            = s.description.empty() ? qs(s.name) : QStringLiteral("%1 — %2").arg(qs(s.name), qs(s.description));
        m_xCombo->addItem(text, qs(s.name));
    }
    if (context)
        m_xCombo->addItem(tr("context — context length (tokens)"), qs(std::string(core::kContextAxis)));
    int index = m_xCombo->findData(qs(m_spec.x));
    if (index < 0)
        index = std::max(0, m_xCombo->findData(QStringLiteral("E")));
    m_xCombo->setCurrentIndex(index);
    if (index < m_xCombo->count())
        m_spec.x = m_xCombo->itemData(index).toString().toStdString();
    updateControlRows(); // the selectors' texts changed: one row or two
}

ChartSpec ChartWidget::currentSpec() const
{
    ChartSpec spec = m_spec;
    spec.autoRangeFactor = 4;
    // A point every 4 pixels or so draws a smooth curve; more only cost each slider step.
    spec.maxPoints = static_cast<std::size_t>(std::clamp(m_plot->width() / 4, 100, 600));
    spec.logY = m_logY->isChecked();
    spec.logX = m_logX->isChecked();
    spec.breakdown = m_breakdown->isChecked();
    spec.markers.clear();
    if (m_presets->isChecked())
        spec.markers = m_presetDesigns;
    return spec;
}

void ChartWidget::rebuild()
{
    m_dirty = false;
    rebuildNow();
    emit rebuilt();
}

void ChartWidget::rebuildNow()
{
    if (!m_spec.design.root) {
        m_status->setText(tr("No design."));
        return;
    }
    const ChartSpec spec = currentSpec();
    auto data = computeChart(spec);
    if (!data) {
        m_plot->clearPlottables();
        m_plot->clearItems();
        m_plot->replot(QCustomPlot::rpQueuedReplot);
        m_status->setText(tr("No chart: %1").arg(qs(data.error().text())));
        m_data.reset();
        m_layout = {};
        m_detailsButton->hide();
        m_details->hide();
        return;
    }
    auto shown = std::make_shared<ChartData>(std::move(*data));
    m_layout = drawChart(*m_plot, spec, *shown, m_plot->size(), std::max(11, QFontInfo(font()).pixelSize()));
    m_data = std::move(shown);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
    const QString details = detailsText();
    m_details->setText(details);
    m_detailsButton->setVisible(!details.isEmpty());
    m_detailsButton->setText(tr("Left out of the picture (%n)", nullptr, static_cast<int>(m_layout.omitted.size())));
    m_details->setVisible(!details.isEmpty() && m_detailsButton->isChecked());
    const core::Sweep& s = m_data->sweep;
    m_status->setText(s.skipped.empty()
            ? QString()
            : tr("%n invalid value(s) of %1 skipped, e.g. %1 = %2: %3", nullptr, static_cast<int>(s.skipped.size()))
                  .arg(qs(s.x))
                  .arg(s.skipped.front().x)
                  .arg(qs(s.skipped.front().reason)));
}

bool ChartWidget::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_plot && event->type() == QEvent::Resize && m_data && m_layout.size != m_plot->size())
        scheduleRebuild();
    return QWidget::eventFilter(watched, event);
}

void ChartWidget::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    updateControlRows();
    scheduleRebuild(); // marker labels are placed in pixels
}

void ChartWidget::updateControlWidths()
{
    // The selectors are as wide as their texts when there is room, and give way (eliding) when
    // there is not: zoomed to 300 %, the controls alone made the window wider than the screen.
    // The row itself never sets the window's width: below its texts' width it wraps in two
    // (updateControlRows), and only a window too narrow for even that clips them.
    const int least = fontMetrics().averageCharWidth() * 10;
    m_metricCombo->setMinimumWidth(least);
    m_xCombo->setMinimumWidth(least);
    for (QWidget* w : { static_cast<QWidget*>(m_logY), static_cast<QWidget*>(m_logX),
             static_cast<QWidget*>(m_breakdown), static_cast<QWidget*>(m_presets), static_cast<QWidget*>(m_export) })
        w->setMinimumWidth(fontMetrics().averageCharWidth() * 4);
}

void ChartWidget::placeControls(bool wrapped)
{
    // One row: the selectors, the switches, a stretch, Export. Two: the selectors, then the rest.
    m_wrapped = wrapped;
    for (QHBoxLayout* row : m_controlRows) {
        while (QLayoutItem* item = row->takeAt(0))
            delete item; // the widgets stay, children of this widget
    }
    const std::size_t split = 4; // y label, y, x label, x
    for (std::size_t i = 0; i + 1 < m_controlWidgets.size(); ++i) {
        if (wrapped && i == split)
            m_controlRows[0]->addStretch(1);
        m_controlRows[wrapped && i >= split ? 1 : 0]->addWidget(m_controlWidgets[i]);
    }
    QHBoxLayout* last = m_controlRows[wrapped ? 1 : 0];
    last->addStretch(1);
    last->addWidget(m_controlWidgets.back());
}

void ChartWidget::updateControlRows()
{
    // One row while the switches and Export fit whole beside the two selectors at their least
    // (the selectors elide first, capped to what is left); else two rows.
    const int spacing = std::max(0, m_controlRows[0]->spacing());
    int others = 0;
    for (QWidget* w : m_controlWidgets)
        if (w != m_metricCombo && w != m_xCombo)
            others += w->sizeHint().width() + spacing;
    const int least = m_metricCombo->minimumWidth() + m_xCombo->minimumWidth() + 2 * spacing;
    const int room = width() - 16 - others;
    const bool wrap = room < least;
    if (wrap != m_wrapped)
        placeControls(wrap);
    const int metricHint = m_metricCombo->sizeHint().width(), xHint = m_xCombo->sizeHint().width();
    if (!wrap && room < metricHint + xHint + 2 * spacing) {
        const int metric = std::max(m_metricCombo->minimumWidth(), room * metricHint / (metricHint + xHint));
        m_metricCombo->setMaximumWidth(metric);
        m_xCombo->setMaximumWidth(std::max(m_xCombo->minimumWidth(), room - metric - 2 * spacing));
    } else {
        m_metricCombo->setMaximumWidth(QWIDGETSIZE_MAX);
        m_xCombo->setMaximumWidth(QWIDGETSIZE_MAX);
    }
}

void ChartWidget::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange) { // zoom: the chart's fonts follow the widget's
        updateControlWidths();
        // Measured once the new font has reached the controls (it is posted to them).
        QTimer::singleShot(0, this, &ChartWidget::updateControlRows);
        scheduleRebuild();
    }
}

void ChartWidget::showTooltip(QPoint pos)
{
    if (!m_data || m_data->sweep.points.empty() || !m_plot->axisRect()->rect().contains(pos)) {
        QToolTip::hideText();
        return;
    }
    const core::Sweep& s = m_data->sweep;
    const int px = std::max(12, QFontInfo(font()).pixelSize());
    const auto unit = [this] { return core::inBytes(m_data->metric) ? QStringLiteral(" bytes") : QString(); };
    const QString style = QStringLiteral("<div style='font-size:%1px'>").arg(px);
    // A marker under the mouse first.
    for (const Marker& m : m_data->markers) {
        const QPointF p(m_plot->xAxis->coordToPixel(static_cast<double>(m.x)),
            m_plot->yAxis->coordToPixel(static_cast<double>(m.total)));
        if (QLineF(p, pos).length() <= px) {
            QToolTip::showText(m_plot->mapToGlobal(pos),
                style
                    + QStringLiteral("<b>%1</b><br>%2 = %3<br>total <b>%4</b>%5 (%6)</div>")
                          .arg(m.label.toHtmlEscaped(), qs(s.x), grouped(m.x), grouped(m.total), unit(),
                              chart::amount(*m_data, m.total)),
                m_plot);
            return;
        }
    }
    // Otherwise the sweep point nearest in x.
    const double x = m_plot->xAxis->pixelToCoord(pos.x());
    auto it = std::lower_bound(s.points.begin(), s.points.end(), x,
        [](const core::SweepPoint& p, double v) { return static_cast<double>(p.x) < v; });
    if (it == s.points.end())
        --it;
    if (it != s.points.begin()
        && std::abs(static_cast<double>(std::prev(it)->x) - x) < std::abs(static_cast<double>(it->x) - x))
        --it;
    const core::SweepPoint& p = *it;
    QString html = style
        + QStringLiteral("<b>%1 = %2</b><br>total <b>%3</b>%4 (%5)")
              .arg(qs(s.x), grouped(p.x), grouped(p.total), unit(), chart::amount(*m_data, p.total));
    html += QStringLiteral("<table>");
    for (std::size_t c = 0; c < core::kComponentCount; ++c) {
        if (!s.present[c])
            continue;
        const double share = p.total ? 100.0 * static_cast<double>(p.parts[c]) / static_cast<double>(p.total) : 0.0;
        html += QStringLiteral("<tr><td><span style='color:%1'>■</span> %2</td><td align=right>&nbsp;%3</td>"
                               "<td align=right>&nbsp;%4%</td></tr>")
                    .arg(componentColor(static_cast<core::Component>(c)).name(),
                        chart::partLabel(*m_data, c).toHtmlEscaped(), grouped(p.parts[c]),
                        QString::number(share, 'f', 1));
    }
    html += QStringLiteral("</table></div>");
    QToolTip::showText(m_plot->mapToGlobal(pos), html, m_plot);
}

QString ChartWidget::detailsText() const
{
    return m_layout.omitted.join(QLatin1Char('\n'));
}

QVector<QPointF> ChartWidget::plottedTotal() const
{
    QVector<QPointF> out;
    // The total is the first graph (see drawChart).
    if (m_plot->graphCount() == 0)
        return out;
    for (auto it = m_plot->graph(0)->data()->constBegin(); it != m_plot->graph(0)->data()->constEnd(); ++it)
        out << QPointF(it->key, it->value);
    return out;
}

bool ChartWidget::exportTo(const QString& file, QSize size, int dpi, QString* error)
{
    return renderChart(currentSpec(), file, size, dpi, error);
}

void ChartWidget::exportWithDialog()
{
    QString selected;
    const QString file = QFileDialog::getSaveFileName(this, tr("Export chart"), QStringLiteral("growth.png"),
        tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"), &selected);
    if (file.isEmpty())
        return;
    QString error;
    // Slide size; PNG at twice the pixels for a sharp picture.
    if (!exportTo(file, QSize(1600, 1000), 192, &error))
        QMessageBox::warning(this, tr("Export chart"), error);
}

} // namespace paramscope::ui
