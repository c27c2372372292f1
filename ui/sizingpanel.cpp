// SPDX-License-Identifier: MIT
#include "sizingpanel.h"

#include "document.h"
#include "int64spinbox.h"
#include "report.h"
#include "theme.h"

#include <QBoxLayout>
#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSlider>
#include <QTimer>

#include <algorithm>
#include <array>
#include <limits>

namespace paramscope::ui {

namespace {

using core::Count;

QString qs(const std::string& s)
{
    return QString::fromStdString(s);
}

/// The context of a design without P until one is chosen.
constexpr Count kContextWithoutP = 512;

/// Slider positions for a context or a batch: 1, 2, 3, 4, 6, 8, 12, 16 … (powers of two and one
/// and a half times them) up to 2^40. The spin box beside takes any value.
const std::vector<Count>& ladder()
{
    static const std::vector<Count> values = [] {
        std::vector<Count> v { 1 };
        for (int bit = 1; bit <= 40; ++bit) {
            v.push_back(Count(1) << bit);
            if (bit < 40)
                v.push_back((Count(1) << bit) + (Count(1) << (bit - 1)));
        }
        return v;
    }();
    return values;
}

int positionOf(Count value)
{
    const auto& l = ladder();
    const auto it = std::upper_bound(l.begin(), l.end(), value);
    return static_cast<int>(std::max<std::ptrdiff_t>(0, it - l.begin() - 1));
}

QSlider* ladderSlider(QWidget* parent)
{
    auto* s = new QSlider(Qt::Horizontal, parent);
    s->setRange(0, static_cast<int>(ladder().size()) - 1);
    s->setMinimumWidth(120);
    return s;
}

Int64SpinBox* countSpin(QWidget* parent)
{
    auto* s = new Int64SpinBox(parent);
    s->setRange(1, std::numeric_limits<qint64>::max());
    s->setValue(1);
    return s;
}

QComboBox* dtypeCombo(QWidget* parent)
{
    auto* box = new QComboBox(parent);
    box->setEditable(true);
    box->setInsertPolicy(QComboBox::NoInsert);
    box->addItems({ QStringLiteral("fp32"), QStringLiteral("bf16"), QStringLiteral("fp16"), QStringLiteral("fp8"),
        QStringLiteral("int8"), QStringLiteral("int4") });
    box->setCurrentText(QStringLiteral("bf16"));
    box->setMinimumContentsLength(8);
    box->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    box->setToolTip(QObject::tr("A number format, or any bits per weight (4.5 for GGUF-style quantisation), "
                                "up to 64; Enter applies"));
    return box;
}

/// What a label's shortcut focuses in @p input: itself, or the first box of a row of controls.
QWidget* buddyOf(QWidget* input)
{
    if (input->focusPolicy() != Qt::NoFocus)
        return input;
    if (auto* box = input->findChild<QComboBox*>())
        return box;
    if (auto* spin = input->findChild<Int64SpinBox*>())
        return spin;
    return input;
}

/// The control an error of the core's reports belongs to ("--context" → "context").
QString controlOf(const std::string& where)
{
    if (where == "--encoder-context")
        return QStringLiteral("encoder");
    for (const char* c : { "context", "batch", "devices", "tokens" }) {
        if (where == std::string("--") + c || where == c)
            return QString::fromLatin1(c);
    }
    return QStringLiteral("design");
}

} // namespace

SizingPanel::SizingPanel(Document* document, QWidget* parent)
    : QWidget(parent)
    , m_document(document)
{
    setObjectName(QStringLiteral("sizingPanel"));
    m_options.deviceMemory = { 80'000'000'000 };
    auto* content = new QWidget;
    auto* outer = new QVBoxLayout(content);
    m_title = new QLabel(content);
    m_title->setTextFormat(Qt::RichText);
    outer->addWidget(m_title);
    m_controlsWidget = buildControls();
    outer->addWidget(m_controlsWidget);
    m_status = new QLabel(content);
    m_status->setObjectName(QStringLiteral("sizingError"));
    m_status->setWordWrap(true);
    m_status->hide();
    outer->addWidget(m_status);
    m_figuresWidget = new QWidget(content);
    outer->addWidget(m_figuresWidget);
    outer->addStretch(1);

    m_scroll = new QScrollArea(this);
    m_scroll->setWidget(content);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_scroll);

    updateFonts();
    updateErrors();
    connect(document, &Document::resetDone, this, &SizingPanel::onDocumentReset);
    connect(document, &Document::changed, this, &SizingPanel::refresh);
    onDocumentReset();
}

QWidget* SizingPanel::buildControls()
{
    auto* w = new QWidget;
    auto* grid = new QGridLayout(w);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setHorizontalSpacing(12);
    grid->setVerticalSpacing(2);

    m_dtype = dtypeCombo(w);
    m_dtype->setObjectName(QStringLiteral("sizingDtype"));
    m_kvDtype = dtypeCombo(w);
    m_kvDtype->setObjectName(QStringLiteral("sizingKvDtype"));
    m_contextSlider = ladderSlider(w);
    m_contextSlider->setObjectName(QStringLiteral("sizingContextSlider"));
    m_contextSlider->setToolTip(tr("Context length in tokens (default: P, the design's own)"));
    m_contextSpin = countSpin(w);
    m_contextSpin->setObjectName(QStringLiteral("sizingContext"));
    m_contextSpin->setToolTip(m_contextSlider->toolTip());
    m_batchSlider = ladderSlider(w);
    m_batchSlider->setObjectName(QStringLiteral("sizingBatchSlider"));
    m_batchSlider->setToolTip(tr("Sequences held at once"));
    m_batchSpin = countSpin(w);
    m_batchSpin->setObjectName(QStringLiteral("sizingBatch"));
    m_batchSpin->setToolTip(m_batchSlider->toolTip());
    m_device = new QComboBox(w);
    m_device->setObjectName(QStringLiteral("sizingDevice"));
    m_device->setEditable(true);
    m_device->setInsertPolicy(QComboBox::NoInsert);
    m_device->addItems({ QStringLiteral("24 GB"), QStringLiteral("40 GB"), QStringLiteral("80 GB") });
    m_device->setCurrentText(QStringLiteral("80 GB"));
    m_device->setMinimumContentsLength(8);
    m_device->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    m_device->setToolTip(tr("Memory of one device: a preset, or type any size (96 GB, 48 GiB); Enter applies"));
    m_zero = new QComboBox(w);
    m_zero->setObjectName(QStringLiteral("sizingZero"));
    m_zero->addItems({ tr("0 (none)"), QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3") });
    m_zero->setToolTip(tr("ZeRO stage: 1 shards the optimizer states over the devices, 2 also the gradients, "
                          "3 also the weights"));
    m_devices = countSpin(w);
    m_devices->setObjectName(QStringLiteral("sizingDevices"));
    m_devices->setToolTip(tr("Training devices the ZeRO stage shards over"));
    m_optimalTokens = new QCheckBox(tr("compute-optimal"), w);
    m_optimalTokens->setChecked(true);
    m_optimalTokens->setToolTip(tr("Train on 20 tokens per parameter (Hoffmann et al. 2022)"));
    m_tokensSpin = countSpin(w);
    m_tokensSpin->setObjectName(QStringLiteral("sizingTokens"));
    m_tokensSpin->setValue(1'000'000'000'000);
    m_tokensSpin->setEnabled(false);
    m_tokensSpin->setToolTip(tr("Training tokens, for the training FLOPs"));

    m_encoderAsContext = new QCheckBox(tr("as the context"), w);
    m_encoderAsContext->setObjectName(QStringLiteral("sizingEncoderAsContext"));
    m_encoderAsContext->setChecked(true);
    m_encoderAsContext->setToolTip(tr("The encoder's input as long as the context"));
    m_encoderSpin = countSpin(w);
    m_encoderSpin->setObjectName(QStringLiteral("sizingEncoderContext"));
    m_encoderSpin->setValue(512);
    m_encoderSpin->setEnabled(false);
    m_encoderSpin->setToolTip(
        tr("Tokens of the encoder's input, whose keys and values every decoder layer's cross-attention caches"));

    auto* context = new QWidget(w);
    auto* contextRow = new QHBoxLayout(context);
    contextRow->setContentsMargins(0, 0, 0, 0);
    contextRow->addWidget(m_contextSlider, 1);
    contextRow->addWidget(m_contextSpin);
    auto* batch = new QWidget(w);
    auto* batchRow = new QHBoxLayout(batch);
    batchRow->setContentsMargins(0, 0, 0, 0);
    batchRow->addWidget(m_batchSlider, 1);
    batchRow->addWidget(m_batchSpin);
    auto* training = new QWidget(w);
    auto* trainingRow = new QHBoxLayout(training);
    trainingRow->setContentsMargins(0, 0, 0, 0);
    trainingRow->addWidget(new QLabel(tr("ZeRO"), training));
    trainingRow->addWidget(m_zero);
    trainingRow->addSpacing(8);
    trainingRow->addWidget(new QLabel(tr("over"), training));
    trainingRow->addWidget(m_devices);
    trainingRow->addWidget(new QLabel(tr("devices"), training));
    trainingRow->addStretch(1);
    auto* tokens = new QWidget(w);
    auto* tokensRow = new QHBoxLayout(tokens);
    tokensRow->setContentsMargins(0, 0, 0, 0);
    tokensRow->addWidget(m_optimalTokens);
    tokensRow->addWidget(m_tokensSpin);
    tokensRow->addStretch(1);
    m_encoderRow = new QWidget(w);
    auto* encoderRow = new QHBoxLayout(m_encoderRow);
    encoderRow->setContentsMargins(0, 0, 0, 0);
    encoderRow->addWidget(m_encoderAsContext);
    encoderRow->addWidget(m_encoderSpin);
    encoderRow->addStretch(1);

    // Two columns of controls: formats and sizes on the left, devices and training on the right.
    addControl(grid, 0, QStringLiteral("dtype"), tr("&Weights"), m_dtype);
    addControl(grid, 2, QStringLiteral("kvDtype"), tr("&KV cache"), m_kvDtype);
    addControl(grid, 4, QStringLiteral("context"), tr("C&ontext"), context);
    addControl(grid, 6, QStringLiteral("batch"), tr("&Batch"), batch);
    grid->setColumnMinimumWidth(2, 24);
    m_controlsGrid = grid;
    auto right = [&](int row, const QString& key, const QString& label, QWidget* input) {
        auto* l = new QLabel(label, w);
        l->setBuddy(buddyOf(input));
        auto* error = new QLabel(w);
        error->setWordWrap(true);
        error->hide();
        m_controls[key] = { input, error, {} };
        m_rightControls.push_back({ l, input, error, row });
    };
    right(0, QStringLiteral("device"), tr("&Device"), m_device);
    right(2, QStringLiteral("devices"), tr("&Training"), training);
    right(4, QStringLiteral("tokens"), tr("T&okens"), tokens);
    right(6, QStringLiteral("encoder"), tr("Encoder &input"), m_encoderRow);
    placeControls(false);

    connect(m_dtype->lineEdit(), &QLineEdit::editingFinished, this, [this] { applyDtype(m_dtype, false); });
    connect(m_dtype, &QComboBox::activated, this, [this] { applyDtype(m_dtype, false); });
    connect(m_kvDtype->lineEdit(), &QLineEdit::editingFinished, this, [this] { applyDtype(m_kvDtype, true); });
    connect(m_kvDtype, &QComboBox::activated, this, [this] { applyDtype(m_kvDtype, true); });
    connect(m_device->lineEdit(), &QLineEdit::editingFinished, this, &SizingPanel::applyDevice);
    connect(m_device, &QComboBox::activated, this, &SizingPanel::applyDevice);
    connect(m_contextSlider, &QSlider::valueChanged, this, [this](int position) {
        if (position >= 0 && static_cast<std::size_t>(position) < ladder().size())
            setContext(ladder()[static_cast<std::size_t>(position)], true);
    });
    connect(m_contextSpin, &Int64SpinBox::valueChanged, this, [this](qint64 v) { setContext(v, true); });
    connect(m_contextSpin, &Int64SpinBox::refused, this,
        [this](const QString& why) { setRefusal(QStringLiteral("context"), why); });
    connect(m_batchSlider, &QSlider::valueChanged, this, [this](int position) {
        if (position >= 0 && static_cast<std::size_t>(position) < ladder().size())
            setBatch(ladder()[static_cast<std::size_t>(position)]);
    });
    connect(m_batchSpin, &Int64SpinBox::valueChanged, this, [this](qint64 v) { setBatch(v); });
    connect(m_batchSpin, &Int64SpinBox::refused, this,
        [this](const QString& why) { setRefusal(QStringLiteral("batch"), why); });
    connect(m_zero, &QComboBox::currentIndexChanged, this, [this](int stage) {
        m_options.zeroStage = std::max(0, stage);
        m_options.zeroGiven = stage > 0;
        refresh();
    });
    connect(m_devices, &Int64SpinBox::valueChanged, this, [this](qint64 v) {
        m_options.devices = v;
        setRefusal(QStringLiteral("devices"), {});
        refresh();
    });
    connect(m_devices, &Int64SpinBox::refused, this,
        [this](const QString& why) { setRefusal(QStringLiteral("devices"), why); });
    connect(m_optimalTokens, &QCheckBox::toggled, this, [this](bool optimal) {
        m_tokensSpin->setEnabled(!optimal);
        m_tokens = optimal ? 0 : m_tokensSpin->value();
        refresh();
    });
    connect(m_tokensSpin, &Int64SpinBox::valueChanged, this, [this](qint64 v) {
        m_tokens = m_optimalTokens->isChecked() ? 0 : v;
        setRefusal(QStringLiteral("tokens"), {});
        refresh();
    });
    connect(m_tokensSpin, &Int64SpinBox::refused, this,
        [this](const QString& why) { setRefusal(QStringLiteral("tokens"), why); });
    connect(m_encoderAsContext, &QCheckBox::toggled, this, [this](bool same) {
        m_encoderSpin->setEnabled(!same);
        m_options.encoderContext = same ? std::nullopt : std::optional<Count>(m_encoderSpin->value());
        setRefusal(QStringLiteral("encoder"), {});
        refresh();
    });
    connect(m_encoderSpin, &Int64SpinBox::valueChanged, this, [this](qint64 v) {
        if (m_encoderAsContext->isChecked())
            return;
        m_options.encoderContext = v;
        setRefusal(QStringLiteral("encoder"), {});
        refresh();
    });
    connect(m_encoderSpin, &Int64SpinBox::refused, this,
        [this](const QString& why) { setRefusal(QStringLiteral("encoder"), why); });
    return w;
}

void SizingPanel::addControl(
    QGridLayout* grid, int row, const QString& key, const QString& label, QWidget* input, QWidget* extra)
{
    auto* l = new QLabel(label, grid->parentWidget());
    l->setBuddy(buddyOf(input));
    grid->addWidget(l, row, 0);
    grid->addWidget(input, row, 1, qobject_cast<QComboBox*>(input) ? Qt::AlignLeft : Qt::Alignment());
    if (extra)
        grid->addWidget(extra, row, 2);
    auto* error = new QLabel(grid->parentWidget());
    error->setWordWrap(true);
    error->hide();
    grid->addWidget(error, row + 1, 1);
    m_controls[key] = { input, error, {} };
}

void SizingPanel::placeControls(bool stacked)
{
    // Formats and sizes on the left, devices and training beside them; stacked under them when
    // the panel is narrow (zoomed for a projector).
    m_controlsStacked = stacked;
    QGridLayout* grid = m_controlsGrid;
    for (const RightControl& c : m_rightControls)
        for (QWidget* w : { static_cast<QWidget*>(c.label), c.input, static_cast<QWidget*>(c.error) })
            grid->removeWidget(w);
    for (const RightControl& c : m_rightControls) {
        const int row = stacked ? 8 + c.row : c.row;
        const int column = stacked ? 0 : 3;
        grid->addWidget(c.label, row, column);
        grid->addWidget(c.input, row, column + 1, qobject_cast<QComboBox*>(c.input) ? Qt::AlignLeft : Qt::Alignment());
        grid->addWidget(c.error, row + 1, column + 1);
    }
    // The sliders take what the right-hand controls leave, up to a point; the rest stays free.
    grid->setColumnMinimumWidth(2, stacked ? 0 : 24);
    grid->setColumnStretch(1, 2);
    grid->setColumnStretch(4, 0);
    grid->setColumnStretch(5, stacked ? 0 : 1);
}

core::SizingOptions SizingPanel::chartOptions() const
{
    core::SizingOptions o;
    o.dtype = m_options.dtype;
    o.kvDtype = m_options.kvDtype;
    if (m_contextSet)
        o.context = m_options.context;
    o.batch = m_options.batch;
    return o;
}

QString SizingPanel::figureText(const QString& key) const
{
    const auto it = m_cells.find(key);
    return it == m_cells.end() || !it->second.exact ? QString() : it->second.exact->text();
}

QString SizingPanel::humanText(const QString& key) const
{
    const auto it = m_cells.find(key);
    return it == m_cells.end() || !it->second.human ? QString() : it->second.human->text();
}

QString SizingPanel::errorText(const QString& control) const
{
    if (control == QStringLiteral("design"))
        return m_status->isHidden() ? QString() : m_status->text();
    const auto it = m_controls.find(control);
    return it == m_controls.end() || it->second.error->isHidden() ? QString() : it->second.error->text();
}

void SizingPanel::refresh()
{
    // Hidden (another tab is up): nothing to show; showEvent() catches up before the first frame.
    if (!isVisible()) {
        m_stale = true;
        return;
    }
    recompute();
}

void SizingPanel::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_stale)
        recompute();
}

void SizingPanel::onDocumentReset()
{
    // A new design: the context follows its P again.
    m_contextSet = false;
    m_options.context.reset();
    refresh();
    emit chartOptionsChanged();
}

void SizingPanel::setContext(Count tokens, bool byUser)
{
    if (m_options.context == tokens && (m_contextSet || !byUser))
        return;
    m_contextSet = m_contextSet || byUser;
    m_options.context = tokens;
    if (byUser)
        m_lastControl = QStringLiteral("context");
    setRefusal(QStringLiteral("context"), {});
    syncSliders();
    refresh();
    emit chartOptionsChanged();
}

void SizingPanel::setBatch(Count batch)
{
    if (m_options.batch == batch)
        return;
    m_options.batch = batch;
    m_lastControl = QStringLiteral("batch");
    setRefusal(QStringLiteral("batch"), {});
    syncSliders();
    refresh();
    emit chartOptionsChanged();
}

void SizingPanel::syncSliders()
{
    const QSignalBlocker a(m_contextSlider), b(m_contextSpin), c(m_batchSlider), d(m_batchSpin);
    if (m_options.context) {
        m_contextSlider->setValue(positionOf(*m_options.context));
        m_contextSpin->setValue(*m_options.context);
    }
    m_batchSlider->setValue(positionOf(m_options.batch));
    m_batchSpin->setValue(m_options.batch);
}

void SizingPanel::applyDtype(QComboBox* box, bool kv)
{
    const QString key = kv ? QStringLiteral("kvDtype") : QStringLiteral("dtype");
    auto t = core::parseDataType(box->currentText().trimmed().toStdString());
    if (!t) {
        setRefusal(key, tr("%1: %2 (not applied)").arg(box->currentText().trimmed(), qs(t.error().message)));
        return;
    }
    setRefusal(key, {});
    core::DataType& target = kv ? m_options.kvDtype : m_options.dtype;
    if (target.name == t->name && target.milliBits == t->milliBits)
        return;
    target = *t;
    refresh();
    emit chartOptionsChanged();
}

void SizingPanel::applyDevice()
{
    auto bytes = core::parseMemorySize(m_device->currentText().trimmed().toStdString());
    if (!bytes) {
        setRefusal(QStringLiteral("device"),
            tr("%1: %2 (not applied)").arg(m_device->currentText().trimmed(), qs(bytes.error().message)));
        return;
    }
    setRefusal(QStringLiteral("device"), {});
    if (m_options.deviceMemory == std::vector<Count> { *bytes })
        return;
    m_options.deviceMemory = { *bytes };
    refresh();
}

void SizingPanel::setRefusal(const QString& control, const QString& reason)
{
    auto it = m_controls.find(control);
    if (it == m_controls.end() || it->second.refusal == reason)
        return;
    it->second.refusal = reason;
    updateErrors();
}

void SizingPanel::recompute()
{
    m_stale = false;
    const core::Design& design = m_document->design();
    if (!design.root)
        return;
    m_title->setText(
        QStringLiteral("<b>%1</b> — memory and compute, exact").arg(m_document->displayName().toHtmlEscaped()));
    if (m_document->error() || !m_document->countsValid()) {
        // The last valid figures stay (they are those of the last valid counts).
        m_error = m_document->error()
            ? tr("Invalid hyperparameters (%1): showing the last valid figures.").arg(qs(m_document->error()->text()))
            : tr("The design does not evaluate: showing the last valid figures.");
        m_errorControl = QStringLiteral("design");
        updateErrors();
        return;
    }
    const core::Evaluation& e = m_document->evaluation();
    if (!m_contextSet) {
        // The context follows P, the design's own, until it is chosen here. A design without P
        // (T5's relative positions, Mamba) starts at 512 tokens, T5's own training length, rather
        // than showing no figures at all; the figures' headings say the context used.
        const int p = design.symbolIndex("P");
        std::optional<Count> context = kContextWithoutP;
        if (p >= 0)
            context = e.symbols[static_cast<std::size_t>(p)];
        if (context != m_options.context) {
            m_options.context = context;
            syncSliders();
        }
    }
    auto memory = core::memoryReport(design, e, m_options);
    auto flops = memory ? core::flopsReport(design, e, m_options.context, m_tokens, m_options.encoderContext)
                        : core::Result<core::FlopsReport>(memory.error());
    if (!memory || !flops) {
        const core::Error& error = memory ? flops.error() : memory.error();
        m_errorControl = controlOf(error.where);
        // The cache overflows by the context times the batch: named under the one just changed.
        if (m_errorControl == QStringLiteral("context") && m_lastControl == QStringLiteral("batch"))
            m_errorControl = m_lastControl;
        m_error = m_errorControl == QStringLiteral("design")
            ? tr("%1 — showing the last valid figures.").arg(qs(error.text()))
            : tr("%1 — showing the last valid figures.").arg(qs(error.message));
        updateErrors();
        return;
    }
    // The encoder's input length matters only where a decoder attends to an encoder.
    for (const RightControl& c : m_rightControls)
        if (c.input == m_encoderRow) {
            c.label->setVisible(!memory->cross.empty());
            c.input->setVisible(!memory->cross.empty());
        }
    m_memory = std::move(*memory);
    m_flops = std::move(*flops);
    m_error.clear();
    m_errorControl.clear();
    const bool rebuilt = showSections(sizingSections(*m_memory, *m_flops));
    if (rebuilt)
        updateDirection(); // the new rows' widths are known once they hold their texts
    updateErrors();
}

bool SizingPanel::showSections(const std::vector<SizingSection>& sections)
{
    bool rebuilt = false;
    std::vector<QString> keys;
    for (const SizingSection& s : sections) {
        keys.push_back(QStringLiteral("#") + s.key);
        for (const SizingRow& r : s.rows)
            keys.push_back(r.key);
    }
    if (keys != m_layoutKeys) {
        m_layoutKeys = keys;
        rebuildFigures(sections);
        rebuilt = true;
    }
    // The same rows as last time: only their texts change (QLabel skips an unchanged text).
    std::size_t title = 0, convention = 0;
    for (const SizingSection& s : sections) {
        if (title < m_sectionTitles.size())
            m_sectionTitles[title++]->setText(s.title);
        if (convention < m_conventions.size())
            m_conventions[convention++].second->setText(s.convention);
        for (const SizingRow& r : s.rows) {
            Cells& c = m_cells[r.key];
            c.label->setText(r.label);
            c.exact->setText(r.exact);
            c.unit->setText(r.unit);
            c.human->setText(r.human);
            c.note->setText(r.note);
            c.note->setHidden(r.note.isEmpty() || r.exact.isEmpty()); // an empty row takes no room
        }
    }
    return rebuilt;
}

void SizingPanel::rebuildFigures(const std::vector<SizingSection>& sections)
{
    // Two blocks of figures, each a grid (its numbers line up); built anew only when the rows change.
    delete m_figuresWidget->layout();
    for (QWidget* w : m_figuresWidget->findChildren<QWidget*>(Qt::FindDirectChildrenOnly))
        w->deleteLater();
    m_placements.clear();
    m_cells.clear();
    m_sectionTitles.clear();
    m_conventions.clear();
    m_blocks = new QBoxLayout(QBoxLayout::TopToBottom, m_figuresWidget);
    m_blocks->setContentsMargins(0, 0, 0, 0);
    for (int i = 0; i < 2; ++i) {
        auto* block = new QWidget(m_figuresWidget);
        m_grids[i] = new QGridLayout(block);
        m_grids[i]->setContentsMargins(0, 0, 0, 0);
        m_grids[i]->setHorizontalSpacing(10);
        m_grids[i]->setVerticalSpacing(1);
        m_grids[i]->setColumnStretch(4, 1);
        m_blocks->addWidget(block, 1, Qt::AlignTop);
    }
    m_twoColumns = false;
    int rows[2] = { 0, 0 };
    auto label = [this](int block, const QString& role) {
        auto* l = new QLabel(m_grids[block]->parentWidget());
        if (!role.isEmpty())
            l->setProperty("sizingRole", role);
        return l;
    };
    for (const SizingSection& s : sections) {
        // Weights and the KV cache in the first block; training, compute and fits in the second.
        const int block = s.key == QStringLiteral("weights") || s.key == QStringLiteral("kv") ? 0 : 1;
        int& row = rows[block];
        if (row > 0)
            m_placements.push_back({ nullptr, block, row++, 0, 5 }); // a gap between sections
        QLabel* title = label(block, QStringLiteral("title"));
        m_placements.push_back({ title, block, row++, 0, 5 });
        m_sectionTitles.push_back(title);
        for (const SizingRow& r : s.rows) {
            Cells c;
            c.label = label(block, r.headline ? QStringLiteral("headline") : QString());
            c.exact = label(block, r.headline ? QStringLiteral("headline") : QString());
            c.unit = label(block, {});
            c.human = label(block, {});
            c.note = label(block, QStringLiteral("note"));
            c.exact->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
            c.human->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
            c.exact->setTextInteractionFlags(Qt::TextSelectableByMouse);
            c.exact->setObjectName(QStringLiteral("figure:") + r.key);
            if (r.exact.isEmpty()) { // a detail line: across the row
                for (QLabel* l : { c.exact, c.unit, c.human, c.note })
                    l->hide();
                c.label->setProperty("sizingRole", QStringLiteral("note"));
                c.label->setWordWrap(true);
                m_placements.push_back({ c.label, block, row++, 0, 5 });
            } else {
                int column = 0;
                for (QLabel* l : { c.label, c.exact, c.unit, c.human, c.note })
                    m_placements.push_back({ l, block, row, column++, 1 });
                ++row;
            }
            m_cells[r.key] = c;
        }
        QLabel* convention = label(block, QStringLiteral("note"));
        convention->setWordWrap(true);
        convention->setTextInteractionFlags(Qt::TextSelectableByMouse);
        m_placements.push_back({ convention, block, row++, 0, 5 });
        m_conventions.emplace_back(s.key, convention);
    }
    for (const Placement& p : m_placements) {
        if (p.widget)
            m_grids[p.block]->addWidget(p.widget, p.row, p.column, 1, p.span);
        else
            m_grids[p.block]->setRowMinimumHeight(p.row, fontMetrics().height() / 2);
    }
    m_placedOnce = false;
    updateFonts();
    updateGrey();
}

void SizingPanel::placeFigures(bool twoColumns, int compact)
{
    // Narrower: each note goes under its figure (1), and then its GiB · GB too (2).
    if (compact != m_compact || m_placedOnce == false) {
        m_compact = compact;
        m_placedOnce = true;
        std::array<int, 2> extra {};
        for (const Placement& p : m_placements) {
            if (!p.widget)
                continue;
            m_grids[p.block]->removeWidget(p.widget);
            const bool note = p.column == 4 && p.span == 1;
            const bool human = p.column == 3 && p.span == 1;
            if (p.column == 0 && p.span == 1)
                static_cast<QLabel*>(p.widget)->setWordWrap(compact > 0);
            if ((compact == 1 && note) || (compact == 2 && (note || human))) {
                // The second line of a figure: its note, and its GiB · GB under the number.
                if (note)
                    m_grids[p.block]->addWidget(p.widget, p.row + extra[p.block] + 1, 0, 1, compact == 2 ? 1 : 4);
                else
                    m_grids[p.block]->addWidget(p.widget, p.row + extra[p.block] + 1, 1, 1, 2);
                if (note)
                    ++extra[p.block];
            } else {
                m_grids[p.block]->addWidget(p.widget, p.row + extra[p.block], p.column, 1, p.span);
            }
        }
        for (QGridLayout* g : m_grids)
            g->setColumnStretch(4, compact ? 0 : 1);
    }
    // Side by side, or one under the other with the same column widths, so that every number of
    // the panel lines up with those above it.
    m_twoColumns = twoColumns;
    m_blocks->setDirection(twoColumns ? QBoxLayout::LeftToRight : QBoxLayout::TopToBottom);
    m_blocks->setSpacing(twoColumns ? 2 * fontMetrics().height() : fontMetrics().height() / 2);
    const auto widths = columnWidths();
    for (QGridLayout* g : m_grids)
        for (int c = 0; c < 4; ++c)
            g->setColumnMinimumWidth(
                c, twoColumns || compact == 2 || (compact == 1 && c == 0) ? 0 : std::max(widths[0][c], widths[1][c]));
}

void SizingPanel::updateErrors()
{
    for (auto& [key, control] : m_controls) {
        QString text = control.refusal;
        if (text.isEmpty() && m_errorControl == key)
            text = m_error;
        control.error->setText(text);
        control.error->setVisible(!text.isEmpty());
        setErrorText(control.error);
        // The field itself is tinted, as the hyperparameter panel's are.
        QPalette tinted = control.input->palette();
        tinted.setColor(QPalette::Base, errorBackground(palette()));
        for (auto* child : control.input->findChildren<QWidget*>(Qt::FindDirectChildrenOnly))
            if (qobject_cast<QLineEdit*>(child) || qobject_cast<QAbstractSpinBox*>(child)
                || qobject_cast<QComboBox*>(child))
                child->setPalette(text.isEmpty() ? QPalette() : tinted);
        if (qobject_cast<QComboBox*>(control.input) || qobject_cast<QAbstractSpinBox*>(control.input))
            control.input->setPalette(text.isEmpty() ? QPalette() : tinted);
    }
    const bool design = m_errorControl == QStringLiteral("design") && !m_error.isEmpty();
    m_status->setText(design ? m_error : QString());
    m_status->setVisible(design);
    setErrorText(m_status);
    const bool greyed = !m_error.isEmpty();
    if (greyed != m_greyed) {
        m_greyed = greyed;
        updateGrey();
    }
}

void SizingPanel::updateGrey()
{
    // The last valid figures stay while something is invalid, greyed like the summary's.
    QPalette p;
    if (m_greyed)
        p.setColor(QPalette::WindowText, dimmedText(palette()));
    for (auto& [key, c] : m_cells)
        for (QLabel* l : { c.label, c.exact, c.unit, c.human })
            l->setPalette(p);
}

void SizingPanel::updateFonts()
{
    // Sizes relative to the widget's font, which the window's zoom sets: they follow it.
    const QFont base = font();
    QFont title = base;
    title.setBold(true);
    title.setPointSizeF(base.pointSizeF() * 1.1);
    QFont headline = base;
    headline.setBold(true);
    QFont note = base;
    note.setItalic(true);
    QFont big = base;
    big.setPointSizeF(base.pointSizeF() * 1.2);
    m_title->setFont(big);
    for (QLabel* l : m_figuresWidget->findChildren<QLabel*>()) {
        const QString role = l->property("sizingRole").toString();
        l->setFont(role == QStringLiteral("title")   ? title
                : role == QStringLiteral("headline") ? headline
                : role == QStringLiteral("note")     ? note
                                                     : base);
    }
    QFont bold = base;
    bold.setBold(true);
    m_status->setFont(bold);
}

void SizingPanel::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::ApplicationFontChange) {
        updateFonts();
        m_controlsWideWidth = 0;
        if (m_controlsStacked)
            placeControls(false); // measured side by side again, then stacked if need be
        // The labels' new sizes are known once the font has reached them (it is posted).
        QTimer::singleShot(0, this, &SizingPanel::updateDirection);
    }
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange) {
        updateErrors();
        updateGrey();
    }
}

void SizingPanel::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    updateDirection();
}

std::array<std::array<int, 5>, 2> SizingPanel::columnWidths() const
{
    std::array<std::array<int, 5>, 2> widths {};
    for (const Placement& p : m_placements)
        if (p.widget && p.span == 1 && !p.widget->isHidden()) {
            // The text's own width: a wrapping label's size hint is a guess at a pleasing shape.
            const auto* l = static_cast<const QLabel*>(p.widget);
            const int w = l->fontMetrics().horizontalAdvance(l->text()) + 2 * l->margin() + 2 * l->frameWidth() + 2;
            widths[p.block][p.column] = std::max(widths[p.block][p.column], w);
        }
    return widths;
}

void SizingPanel::updateDirection()
{
    // Two blocks of figures side by side when both fit whole, else one under the other (narrow or
    // zoomed): never a horizontal scroll bar that hides half of every row.
    if (!m_blocks)
        return;
    const auto widths = columnWidths();
    int one = 0, notes = 0;
    for (int c = 0; c < 4; ++c)
        one += std::max(widths[0][c], widths[1][c]) + 10;
    notes = std::max(widths[0][4], widths[1][4]);
    int two = 2 * fontMetrics().height();
    for (const auto& block : widths)
        for (int w : block)
            two += w + 10;
    // The room the scroll area shows (the figures' own width grows with them: it cannot say).
    const QMargins margins = m_scroll->widget()->layout()->contentsMargins();
    const int room = m_scroll->viewport()->width() - margins.left() - margins.right();
    // Narrower, the figures' names may wrap: they keep room for a dozen lines' height of text.
    const int label = std::max(widths[0][0], widths[1][0]);
    const int wrapped = one - label + std::min(label, 12 * fontMetrics().height());
    placeFigures(two <= room, one + notes <= room ? 0 : wrapped <= room ? 1 : 2);
    if (m_controlsWideWidth == 0 && !m_controlsStacked)
        m_controlsWideWidth = m_controlsWidget->sizeHint().width();
    if ((m_controlsWideWidth > room) != m_controlsStacked)
        placeControls(m_controlsWideWidth > room);
}

} // namespace paramscope::ui
