// SPDX-License-Identifier: MIT
#pragma once

#include "sizingfigures.h"
#include "sizingsweep.h"

#include <QWidget>

#include <array>
#include <map>
#include <optional>

class QBoxLayout;
class QCheckBox;
class QComboBox;
class QGridLayout;
class QLabel;
class QScrollArea;
class QSlider;

namespace paramscope::ui {

class Document;
class Int64SpinBox;

/// Memory and compute of the open design, exact, live with the hyperparameter sliders: weights at
/// a number format (total and by component), the KV cache per token and at a context and batch
/// (MLA's uncompressed figure beside it, sliding windows held to their window), mixed-precision
/// training states under ZeRO, forward and training FLOPs, and what fits on a device. Every figure
/// comes from the core's reports (core/sizingreport.h); this widget only shows them.
///
/// It recomputes on every change of the document, as the tree does, but only while shown: hidden,
/// it marks itself stale and catches up when shown. A bad value in its own controls (a bits per
/// weight of 0, a context of 0, a figure overflowing 64 bits) is named under that control and the
/// last valid figures stay, greyed.
class SizingPanel : public QWidget {
    Q_OBJECT
public:
    explicit SizingPanel(Document* document, QWidget* parent = nullptr);

    /// The options of the figures shown (the last valid ones).
    const core::MemoryOptions& options() const { return m_options; }
    /// Training tokens for the training FLOPs; 0: compute-optimal.
    core::Count tokens() const { return m_tokens; }
    /// What the growth chart needs to plot memory as this panel does (context empty: P).
    core::SizingOptions chartOptions() const;
    /// The last valid reports, if any.
    const std::optional<core::MemoryReport>& memory() const { return m_memory; }
    const std::optional<core::FlopsReport>& flops() const { return m_flops; }

    /// The exact figure shown for @p key ("weights", "kv.perToken", "kv.bytes", "training.total",
    /// "flops.forward", "fits.devices" … see sizingfigures.h), digits grouped; empty if not shown.
    QString figureText(const QString& key) const;
    /// The GiB · GB text beside the figure @p key.
    QString humanText(const QString& key) const;
    /// The message under control @p control ("dtype", "kvDtype", "context", "batch", "device",
    /// "devices", "tokens") or, for "design", the panel's own line; empty when there is none.
    QString errorText(const QString& control) const;
    /// Whether the figures are the last valid ones while something is invalid (greyed).
    bool figuresGreyed() const { return m_greyed; }
    /// Whether a change waits for the panel to be shown.
    bool isStale() const { return m_stale; }

    QComboBox* dtypeBox() const { return m_dtype; }
    QComboBox* kvDtypeBox() const { return m_kvDtype; }
    QSlider* contextSlider() const { return m_contextSlider; }
    Int64SpinBox* contextSpin() const { return m_contextSpin; }
    QSlider* batchSlider() const { return m_batchSlider; }
    Int64SpinBox* batchSpin() const { return m_batchSpin; }
    QCheckBox* encoderAsContext() const { return m_encoderAsContext; }
    Int64SpinBox* encoderSpin() const { return m_encoderSpin; }
    QComboBox* deviceBox() const { return m_device; }
    QComboBox* zeroBox() const { return m_zero; }
    Int64SpinBox* devicesSpin() const { return m_devices; }

public slots:
    /// Recomputes now if shown, else marks the panel stale.
    void refresh();

signals:
    /// The dtypes, context or batch changed (the chart plots memory with them).
    void chartOptionsChanged();

protected:
    void showEvent(QShowEvent* event) override;
    void changeEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    struct Control {
        QWidget* input = nullptr;
        QLabel* error = nullptr;
        QString refusal; ///< why the last typed value was not taken
    };
    struct Cells {
        QLabel* label = nullptr;
        QLabel* exact = nullptr;
        QLabel* unit = nullptr;
        QLabel* human = nullptr;
        QLabel* note = nullptr;
    };

    QWidget* buildControls();
    void addControl(
        QGridLayout* grid, int row, const QString& key, const QString& label, QWidget* input, QWidget* extra = nullptr);
    void recompute();
    /// Shows @p sections; true when the rows changed and the grid was built anew.
    bool showSections(const std::vector<SizingSection>& sections);
    void rebuildFigures(const std::vector<SizingSection>& sections);
    void setRefusal(const QString& control, const QString& reason);
    void updateErrors();
    void updateFonts();
    void updateGrey();
    void onDocumentReset();
    void applyDtype(QComboBox* box, bool kv);
    void applyDevice();
    void setContext(core::Count tokens, bool byUser);
    void setBatch(core::Count batch);
    void syncSliders();
    void updateDirection();

    Document* m_document;
    core::MemoryOptions m_options; ///< as the controls say, once valid
    core::Count m_tokens = 0; ///< training tokens; 0: compute-optimal
    bool m_contextSet = false; ///< the user chose the context; else it follows P
    std::optional<core::MemoryReport> m_memory;
    std::optional<core::FlopsReport> m_flops;
    QString m_error; ///< the figures' own error (an overflow), or the design's
    QString m_errorControl; ///< the control the error belongs to; empty: the panel's line
    QString m_lastControl; ///< the control changed last: the KV cache overflows by context or batch
    bool m_greyed = false;
    bool m_stale = true;

    QComboBox* m_dtype = nullptr;
    QComboBox* m_kvDtype = nullptr;
    QSlider* m_contextSlider = nullptr;
    Int64SpinBox* m_contextSpin = nullptr;
    QSlider* m_batchSlider = nullptr;
    Int64SpinBox* m_batchSpin = nullptr;
    QComboBox* m_device = nullptr;
    QComboBox* m_zero = nullptr;
    Int64SpinBox* m_devices = nullptr;
    QCheckBox* m_optimalTokens = nullptr;
    Int64SpinBox* m_tokensSpin = nullptr;
    /// Encoder-decoders only: the input's own length, or (checked) as long as the context.
    QCheckBox* m_encoderAsContext = nullptr;
    Int64SpinBox* m_encoderSpin = nullptr;
    QWidget* m_encoderRow = nullptr;
    std::map<QString, Control> m_controls;

    /// Where a figure's widget goes in block coordinates (placeFigures() maps them to the grid).
    struct Placement {
        QWidget* widget = nullptr; ///< nullptr: a gap between sections
        int block = 0; ///< 0: weights and KV cache; 1: training, compute, fits
        int row = 0;
        int column = 0;
        int span = 1;
    };
    void placeFigures(bool twoColumns, int compact);
    void placeControls(bool stacked);
    struct RightControl {
        QLabel* label = nullptr;
        QWidget* input = nullptr;
        QLabel* error = nullptr;
        int row = 0;
    };

    QScrollArea* m_scroll = nullptr;
    QWidget* m_controlsWidget = nullptr;
    QLabel* m_title = nullptr;
    QLabel* m_status = nullptr;
    QWidget* m_figuresWidget = nullptr;
    std::array<std::array<int, 5>, 2> columnWidths() const;

    std::vector<Placement> m_placements;
    QBoxLayout* m_blocks = nullptr; ///< the two blocks of figures, side by side or one under the other
    std::array<QGridLayout*, 2> m_grids {};
    int m_compact = 0; ///< 1: notes under their figures, 2: their GiB · GB too (narrow)
    bool m_placedOnce = false;
    QGridLayout* m_controlsGrid = nullptr;
    std::vector<RightControl> m_rightControls;
    bool m_controlsStacked = false;
    int m_controlsWideWidth = 0; ///< the controls' width side by side, at the current font
    bool m_twoColumns = false;
    std::vector<QString> m_layoutKeys; ///< rows the grid was built for
    std::map<QString, Cells> m_cells;
    std::vector<QLabel*> m_sectionTitles;
    std::vector<std::pair<QString, QLabel*>> m_conventions;
};

} // namespace paramscope::ui
