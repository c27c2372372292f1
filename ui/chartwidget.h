// SPDX-License-Identifier: MIT
#pragma once

#include "chartdata.h"
#include "chartlayout.h"
#include "chartrender.h"

#include <QPointF>
#include <QSize>
#include <QString>
#include <QVector>
#include <QWidget>

#include <array>
#include <memory>
#include <vector>

class QCheckBox;
class QComboBox;
class QHBoxLayout;
class QVBoxLayout;
class QCustomPlot;
class QLabel;
class QTimer;
class QToolButton;

namespace paramscope::ui {

/// The growth chart: the current design's total over a chosen hyperparameter, its breakdown by
/// component kind, presets as labelled markers, the exact polynomial in the legend. Data comes
/// from chartdata.h, the arrangement from chartlayout.h, the drawing from chartrender.h; this
/// widget holds the controls, throttles the rebuilds and shows what the picture leaves out.
class ChartWidget : public QWidget {
    Q_OBJECT
public:
    explicit ChartWidget(QWidget* parent = nullptr);
    ~ChartWidget() override;

    /// Call after every change, including each slider step: rebuilds are throttled (at most one
    /// per 30 ms while shown) and skipped while hidden.
    void setDesign(const core::Design& design);
    /// The formats, context and batch memory is plotted at (the Sizing panel's); the metric
    /// itself is chosen on the chart.
    void setSizingOptions(const core::SizingOptions& options);
    /// What is plotted: parameters or a memory figure (also the chart's own selector).
    void setMetric(core::SizingMetric metric);
    core::SizingMetric metric() const { return m_spec.sizing.metric; }
    /// The x axis: a hyperparameter's symbol, or "context" when plotting memory.
    bool setX(const QString& x);
    QString x() const { return QString::fromStdString(m_spec.x); }

    /// Runs a pending rebuild now, shown or not (screenshots, tests): no waiting on the throttle.
    void flush();
    /// Whether a change waits for a rebuild (throttled while shown, deferred while hidden).
    bool rebuildPending() const { return m_dirty; }

    /// The total curve as plotted, (x, total) per point: for tests and for the curious.
    QVector<QPointF> plottedTotal() const;
    /// The layout of the chart as last drawn.
    const ChartLayout& layout() const { return m_layout; }
    /// What the picture leaves out, whole (shown under the chart on demand).
    QString detailsText() const;

    /// Writes the chart as it is shown to @p file (.png, .svg or .pdf).
    bool exportTo(const QString& file, QSize size, int dpi, QString* error = nullptr);

public slots:
    /// Asks for a file name and exports.
    void exportWithDialog();

signals:
    /// The chart was recomputed and laid out (its replot is queued).
    void rebuilt();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void scheduleRebuild();
    void rebuild();
    void rebuildNow();
    void updateXChoices();
    void updateControlWidths();
    void placeControls(bool wrapped);
    void updateControlRows();
    ChartSpec currentSpec() const;
    void showTooltip(QPoint pos);

    ChartSpec m_spec;
    std::shared_ptr<const ChartData> m_data; ///< what is plotted, for the tooltip
    ChartLayout m_layout;
    std::vector<core::Design> m_presetDesigns;
    QCustomPlot* m_plot = nullptr;
    QComboBox* m_xCombo = nullptr;
    QComboBox* m_metricCombo = nullptr;
    QVBoxLayout* m_controls = nullptr;
    std::array<QHBoxLayout*, 2> m_controlRows {};
    std::vector<QWidget*> m_controlWidgets; ///< in their order on the row, Export last
    bool m_wrapped = false;
    QCheckBox* m_logY = nullptr;
    QCheckBox* m_logX = nullptr;
    QCheckBox* m_breakdown = nullptr;
    QCheckBox* m_presets = nullptr;
    QToolButton* m_export = nullptr;
    QToolButton* m_detailsButton = nullptr; ///< shows what the picture left out, when it did
    QLabel* m_details = nullptr;
    QLabel* m_status = nullptr;
    QTimer* m_timer = nullptr; ///< throttles rebuilds while shown: started only when not running
    bool m_dirty = false; ///< a change not yet rebuilt
};

} // namespace paramscope::ui
