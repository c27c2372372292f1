// SPDX-License-Identifier: MIT
#pragma once

#include "design.h"

#include <QPointF>
#include <QSize>
#include <QString>
#include <QVector>
#include <QWidget>

#include <memory>
#include <optional>
#include <string>
#include <vector>

class QCheckBox;
class QComboBox;
class QCustomPlot;
class QLabel;
class QTimer;
class QToolButton;

namespace paramscope::ui {

struct ChartData;

/// What a growth chart shows. Shared by the widget and by `paramscope-cli chart`.
struct ChartSpec {
    core::Design design; ///< the curve: its total (and breakdown) over x, the rest held
    std::string x = "E"; ///< the swept hyperparameter
    std::optional<core::Count> from; ///< first x; empty: chosen from the design and the markers
    std::optional<core::Count> to; ///< last x; empty: likewise
    std::optional<core::Count> step; ///< empty: step through the valid values only
    std::vector<core::Design> markers; ///< labelled points at their own (x, total), e.g. presets
    double autoRangeFactor = 0; ///< > 0 and no `to`: sweep to this × the design's own x
    bool breakdown = true; ///< stacked areas by component kind under the total
    bool showCurrent = true; ///< mark the design itself at its own x
    bool logX = false;
    bool logY = false;
    QString title; ///< empty: "Parameters of <name> over <x>"
};

/// Renders @p spec into @p file without a window: .png (at @p size pixels, @p dpi recorded),
/// .svg or .pdf (@p size in points-as-pixels). Needs a QGuiApplication (offscreen is fine).
/// On failure returns false and sets @p error.
bool renderChart(
    const ChartSpec& spec, const QString& file, QSize size = { 1280, 800 }, int dpi = 96, QString* error = nullptr);

/// The growth chart: the current design's total over a chosen hyperparameter, its breakdown by
/// component kind, presets as labelled markers, the exact polynomial in the legend.
/// Owns the QCustomPlot (the only widget that includes it).
class ChartWidget : public QWidget {
    Q_OBJECT
public:
    explicit ChartWidget(QWidget* parent = nullptr);
    ~ChartWidget() override;

    /// Call after every change, including each slider step: the recompute is coalesced.
    void setDesign(const core::Design& design);

    /// Runs a pending rebuild now, shown or not (screenshots, tests): no waiting on the throttle.
    void flush();
    /// Whether a change waits for a rebuild (throttled while shown, deferred while hidden).
    bool rebuildPending() const { return m_dirty; }

    /// The total curve as plotted, (x, total) per point: for tests and for the curious.
    QVector<QPointF> plottedTotal() const;

    /// Writes the chart as it is shown to @p file (.png, .svg or .pdf).
    bool exportTo(const QString& file, QSize size, int dpi, QString* error = nullptr);

public slots:
    /// Asks for a file name and exports.
    void exportWithDialog();

signals:
    /// The chart was recomputed and laid out (its replot is queued).
    void rebuilt();

protected:
    void resizeEvent(QResizeEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void scheduleRebuild();
    void rebuild();
    void rebuildNow();
    void updateXChoices();
    ChartSpec currentSpec() const;
    void showTooltip(QPoint pos);

    ChartSpec m_spec;
    std::shared_ptr<const ChartData> m_data; ///< what is plotted, for the tooltip
    std::vector<core::Design> m_presetDesigns;
    QCustomPlot* m_plot = nullptr;
    QComboBox* m_xCombo = nullptr;
    QCheckBox* m_logY = nullptr;
    QCheckBox* m_logX = nullptr;
    QCheckBox* m_breakdown = nullptr;
    QCheckBox* m_presets = nullptr;
    QToolButton* m_export = nullptr;
    QLabel* m_status = nullptr;
    QTimer* m_timer = nullptr; ///< throttles rebuilds while shown: started only when not running
    bool m_dirty = false; ///< a change not yet rebuilt
};

} // namespace paramscope::ui
