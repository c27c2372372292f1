// SPDX-License-Identifier: MIT
#include "hyperparameterpanel.h"

#include "document.h"
#include "int64spinbox.h"
#include "theme.h"
#include "usedsymbols.h"

#include <QEvent>
#include <QGridLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSlider>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>
#include <numeric>

namespace paramscope::ui {

namespace {

using core::Count;

constexpr Count kMaxCount = std::numeric_limits<Count>::max();
/// Positions a ladder spends on even steps before it turns log-like.
constexpr Count kLinearPositions = 256;

/// Four times the power of two at or above @p current, at least @p floor: where a ladder ends.
/// A function of the value alone, so the same value always sits at the same slider position.
Count ladderTop(Count current, Count floor)
{
    if (current <= 1)
        return floor;
    const int bits = 64 - __builtin_clzll(static_cast<unsigned long long>(current - 1)); // 2^bits >= current
    return bits + 2 >= 63 ? kMaxCount : std::max(floor, Count(1) << (bits + 2));
}

Count saturatedAdd(Count a, Count b)
{
    const auto r = core::checkedAdd(a, b);
    return r ? *r : kMaxCount;
}

Count saturatedMul(Count a, Count b)
{
    const auto r = core::checkedMul(a, b);
    return r ? *r : kMaxCount;
}

/// The smallest multiple of @p step at or above @p v (v >= 0), saturated.
Count roundUp(Count v, Count step)
{
    const Count r = v % step;
    return r == 0 ? v : saturatedAdd(v, step - r);
}

/// The head count E's ladder steps by (1 when H is absent or derived).
Count headsOf(const core::Design& d)
{
    const core::Symbol* h = d.symbol("H");
    return h && !h->isDerived() && h->value > 0 ? h->value : 1;
}

bool contains(const std::string& s, const char* part)
{
    return s.find(part) != std::string::npos;
}

} // namespace

int HyperparameterPanel::spinWidth() const
{
    return fontMetrics().horizontalAdvance(QStringLiteral("0,000,000,000")) + 32;
}

void HyperparameterPanel::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    // Zoomed for a projector: the spin boxes keep room for their digits.
    if (event->type() == QEvent::FontChange && m_grid)
        m_grid->setColumnMinimumWidth(3, spinWidth());
    // Light or dark: the error red is chosen for the palette in use.
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange) {
        for (Row& row : m_rows)
            setErrorText(row.error);
        refreshError();
    }
}

HyperparameterPanel::HyperparameterPanel(Document* document, QWidget* parent)
    : QWidget(parent)
    , m_document(document)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    rebuild();
    connect(document, &Document::resetDone, this, &HyperparameterPanel::rebuild);
    connect(document, &Document::structureChanged, this, &HyperparameterPanel::rebuild);
    connect(document, &Document::valuesChanged, this, &HyperparameterPanel::refreshValues);
    connect(document, &Document::errorChanged, this, &HyperparameterPanel::refreshError);
    connect(document, &Document::changed, this, &HyperparameterPanel::onDocumentChanged);
}

void HyperparameterPanel::rebuild()
{
    const core::Design& d = m_document->design();
    std::vector<std::string> names;
    const std::vector<bool> usedNow = core::symbolsInUse(d);
    for (std::size_t i = 0; i < d.symbols.size(); ++i)
        names.push_back(d.symbols[i].name + (d.symbols[i].isDerived() ? "=" + d.symbols[i].definition.text() : "")
            + (usedNow[i] ? "" : " unused"));
    if (names == m_names && m_rowsWidget) {
        refreshValues();
        refreshError();
        return;
    }
    m_names = names;
    // Rebuilt from inside a lock button's signal: the old rows go later, not now.
    if (m_rowsWidget) {
        m_rowsWidget->hide();
        layout()->removeWidget(m_rowsWidget);
        m_rowsWidget->deleteLater();
    }
    m_rows.clear();
    m_rowsWidget = new QWidget(this);
    m_grid = new QGridLayout(m_rowsWidget);
    m_grid->setColumnStretch(2, 1);
    m_grid->setColumnMinimumWidth(3, spinWidth());
    m_grid->setVerticalSpacing(2);
    layout()->addWidget(m_rowsWidget);

    int gridRow = 0;
    m_rows.resize(d.symbols.size());
    const std::vector<bool> used = core::symbolsInUse(d);
    for (std::size_t i = 0; i < d.symbols.size(); ++i) {
        const core::Symbol& s = d.symbols[i];
        Row& row = m_rows[i];
        row.name = s.name;
        const QString name = QString::fromStdString(s.name);
        const QString description = QString::fromStdString(s.description)
            + (s.field.empty() ? QString() : QStringLiteral(" (%1)").arg(QString::fromStdString(s.field)));

        row.label = new QLabel(QStringLiteral("<b>%1</b>").arg(name.toHtmlEscaped()), m_rowsWidget);
        row.label->setToolTip(description);
        row.expression = new QLabel(m_rowsWidget);
        row.expression->setToolTip(description);
        row.expression->setTextFormat(Qt::RichText);
        row.expression->setWordWrap(true); // zoomed, a long description wraps rather than widen the panel
        row.slider = new QSlider(Qt::Horizontal, m_rowsWidget);
        row.slider->setObjectName(QStringLiteral("slider_") + name);
        row.slider->setToolTip(tr("%1 — %2. Drag to change; one drag is one undo step.").arg(name, description));
        row.spin = new Int64SpinBox(m_rowsWidget);
        row.spin->setObjectName(QStringLiteral("spin_") + name);
        row.spin->setRange(std::max<Count>(s.minimum, 0), kMaxCount);
        row.spin->setAlignment(Qt::AlignRight);
        row.spin->setToolTip(tr("%1 — %2. Type any value and press Enter.").arg(name, description));

        // Two lines per hyperparameter, so that the panel stays narrow:
        //   E  width (embedding size)                 [lock]
        //   [slider ..........................] [  768 ]
        m_grid->addWidget(row.label, gridRow, 0);
        m_grid->addWidget(row.expression, gridRow, 1, 1, 2);
        if (const auto def = m_document->originalDefinition(s.name)) {
            row.lock = new QToolButton(m_rowsWidget);
            row.lock->setObjectName(QStringLiteral("lock_") + name);
            row.lock->setCheckable(true);
            row.lock->setChecked(s.isDerived());
            row.lock->setText(s.isDerived() ? tr("locked") : tr("free"));
            row.lock->setToolTip(tr("Locked: %1 = %2 follows when its inputs move. Unlock to set %1 freely.")
                                     .arg(name, QString::fromStdString(def->text())));
            m_grid->addWidget(row.lock, gridRow, 3, Qt::AlignRight);
            connect(row.lock, &QToolButton::toggled, this, [this, i](bool on) { onLockToggled(i, on); });
        }
        ++gridRow;
        m_grid->addWidget(row.slider, gridRow, 0, 1, 3);
        m_grid->addWidget(row.spin, gridRow, 3);
        const QString desc = QString::fromStdString(s.description).toHtmlEscaped();
        if (s.isDerived()) {
            row.expression->setText(QStringLiteral("%1 &nbsp;<b>= %2</b>")
                                        .arg(desc, QString::fromStdString(s.definition.text()).toHtmlEscaped()));
            row.slider->setEnabled(false);
            row.spin->setReadOnly(true);
            row.spin->setButtonSymbols(QAbstractSpinBox::NoButtons);
        } else {
            row.expression->setText(desc);
        }
        ++gridRow;
        row.error = new QLabel(m_rowsWidget);
        row.error->setObjectName(QStringLiteral("error_") + name);
        row.error->setWordWrap(true);
        setErrorText(row.error);
        row.error->hide();
        m_grid->addWidget(row.error, gridRow, 0, 1, 4);
        ++gridRow;
        m_grid->setRowMinimumHeight(gridRow++, 6);

        if (!used[i] && !s.isDerived()) { // a derived one cannot be moved anyway
            // Qwen3-30B-A3B's F when every layer is a mixture of experts: moving it changes nothing.
            row.unused = true;
            row.label->setText(QStringLiteral("<b>%1</b>").arg(name.toHtmlEscaped()));
            row.label->setEnabled(false);
            row.expression->setText(tr("%1 — <i>unused: no count depends on it</i>").arg(row.expression->text()));
            const QString tip
                = tr("%1 — %2. No module of the tree uses %1: changing it changes no count.").arg(name, description);
            for (QWidget* w : std::initializer_list<QWidget*> { row.label, row.expression, row.slider, row.spin })
                w->setToolTip(tip);
        }
        connect(row.slider, &QSlider::valueChanged, this, [this, i](int p) { onSliderMoved(i, p); });
        connect(row.slider, &QSlider::sliderPressed, m_document, &Document::beginDrag);
        connect(row.slider, &QSlider::sliderReleased, m_document, &Document::endDrag);
        connect(row.spin, &Int64SpinBox::valueChanged, this, [this, i](qint64 v) { onSpinChanged(i, v); });
        connect(row.spin, &Int64SpinBox::refused, this, [this, i](const QString& why) { onSpinRefused(i, why); });
    }
    m_grid->setRowStretch(gridRow, 1);
    refreshValues();
    refreshError();
}

HyperparameterPanel::LadderShape HyperparameterPanel::ladderShape(const Row& row, Count current) const
{
    const core::Design& d = m_document->design();
    const core::Symbol* s = d.symbol(row.name);
    const Count lo = std::max<Count>(s->minimum, 0);
    const std::string& n = s->name;
    LadderShape shape;
    if (n == "V" || n == "P" || contains(s->description, "vocab") || contains(s->description, "position")
        || contains(s->description, "context")) {
        // Log-like from 16: 16, 20, 24, 28, 32, 40 …
        shape.first = std::max<Count>(lo, 16);
        shape.linearLast = shape.first;
        shape.hi = ladderTop(current, Count(1) << 20);
    } else if (n == "E") {
        // Multiples of the heads (and of 64 where that fits), so that E / H stays whole.
        // Checked: std::lcm overflows (to -64) for a huge H, and a negative step walked E below zero.
        const Count heads = headsOf(d);
        const auto lcm = core::checkedMul(heads / std::gcd(heads, Count(64)), Count(64));
        shape.step = lcm && *lcm <= 256 ? *lcm : heads;
        shape.first = std::max(shape.step, roundUp(lo, shape.step));
        shape.linearLast = saturatedAdd(shape.first, saturatedMul(shape.step, kLinearPositions - 1));
        shape.hi = ladderTop(current, 16384);
    } else {
        // Counts (layers, heads, experts) one by one up to 128, then log-like.
        shape.first = std::max<Count>(lo, 1);
        shape.linearLast = std::max<Count>(shape.first, 128);
        shape.hi = ladderTop(current, 64);
        shape.zero = lo == 0;
    }
    return shape;
}

void HyperparameterPanel::updateLadder(Row& row, Count current)
{
    const LadderShape shape = ladderShape(row, std::max<Count>(current, 0));
    if (shape == row.shape && !row.ladder.empty())
        return;
    // At most 1 + kLinearPositions + 4 × 62 values, whatever the value: building and searching
    // the ladder costs the same for L = 12 and for L = 10^18.
    std::vector<Count> ladder;
    if (shape.zero)
        ladder.push_back(0);
    const Count linearEnd = std::min(shape.linearLast, shape.hi);
    for (Count v = shape.first; v <= linearEnd; v = saturatedAdd(v, shape.step)) {
        ladder.push_back(v);
        if (v == kMaxCount)
            break;
    }
    // Quarter steps of powers of two (1, 1.25, 1.5, 1.75 × 2^b), rounded up to the step. Above
    // 16 steps, neighbours differ by at least one step, so rounding keeps them apart.
    const Count last = ladder.empty() ? 0 : ladder.back();
    const Count from = std::max({ saturatedAdd(last, shape.step), saturatedMul(shape.step, 16), shape.first });
    bool done = false;
    for (int b = 2; b < 63 && !done; ++b) {
        const Count base = Count(1) << b;
        for (Count q = 0; q < 4; ++q) {
            const Count v = base + base / 4 * q; // at most 1.75 × 2^62: no overflow
            if (v < from)
                continue;
            const Count r = roundUp(v, shape.step);
            if (r > shape.hi) {
                done = true;
                break;
            }
            if (ladder.empty() || r > ladder.back())
                ladder.push_back(r);
        }
    }
    if (ladder.empty()) // a minimum above the ladder's top: the slider holds the value alone
        ladder.push_back(std::max(current, shape.first));
    row.ladder = std::move(ladder);
    row.shape = shape;
    const QSignalBlocker blocker(row.slider);
    row.slider->setRange(0, static_cast<int>(row.ladder.size()) - 1);
    row.slider->setPageStep(std::max(1, static_cast<int>(row.ladder.size()) / 16));
}

void HyperparameterPanel::refreshValues()
{
    const core::Design& d = m_document->design();
    const core::Evaluation& e = m_document->evaluation();
    for (Row& row : m_rows) {
        const int i = d.symbolIndex(row.name);
        if (i < 0)
            continue;
        const core::Symbol& s = d.symbols[static_cast<std::size_t>(i)];
        // A derived value is known only when the design evaluates; a set one always.
        Count value = s.value;
        if (s.isDerived())
            value = !m_document->error() && static_cast<std::size_t>(i) < e.symbols.size() ? e.symbols[i] : -1;
        // Not while a drag holds the handle: the ladder under it stays until it is released.
        if (value >= 0 && !row.slider->isSliderDown())
            updateLadder(row, value);
        const QSignalBlocker b1(row.slider);
        const QSignalBlocker b2(row.spin);
        if (value < 0) {
            row.spin->setUnknown();
            continue;
        }
        row.spin->setValue(value);
        if (!row.slider->isSliderDown() && !row.ladder.empty()) {
            // The highest position at or below the value: a function of the value alone.
            const auto it = std::upper_bound(row.ladder.begin(), row.ladder.end(), value);
            row.slider->setValue(static_cast<int>(std::max<std::ptrdiff_t>(it - row.ladder.begin() - 1, 0)));
        }
    }
}

void HyperparameterPanel::refreshError()
{
    updateErrorLabels();
    refreshValues();
}

void HyperparameterPanel::updateErrorLabels()
{
    const auto& error = m_document->error();
    QString symbol;
    if (error) {
        const QString source = m_document->errorSource();
        if (source.startsWith(QStringLiteral("symbol:")))
            symbol = source.mid(7);
        else if (m_document->design().symbol(error->where))
            symbol = QString::fromStdString(error->where);
    }
    for (Row& row : m_rows) {
        const bool here = error && QString::fromStdString(row.name) == symbol;
        const QString text = here   ? QString::fromStdString(error->text())
            : row.refusal.isEmpty() ? QString()
                                    : tr("%1: %2 (not applied)").arg(QString::fromStdString(row.name), row.refusal);
        row.error->setText(text);
        row.error->setVisible(!text.isEmpty());
        // A tinted background rather than a style sheet, which would replace the native arrows.
        QPalette tinted = palette();
        tinted.setColor(QPalette::Base, errorBackground(tinted));
        row.spin->setPalette(here || !row.refusal.isEmpty() ? tinted : QPalette());
    }
}

void HyperparameterPanel::onDocumentChanged()
{
    // A refusal stands until something changes.
    bool any = false;
    for (Row& row : m_rows)
        if (!row.refusal.isEmpty()) {
            row.refusal.clear();
            any = true;
        }
    if (any)
        updateErrorLabels();
}

void HyperparameterPanel::onSpinRefused(std::size_t row, const QString& reason)
{
    if (row >= m_rows.size())
        return;
    m_rows[row].refusal = reason;
    updateErrorLabels();
}

void HyperparameterPanel::onSliderMoved(std::size_t row, int position)
{
    if (row >= m_rows.size() || position < 0 || static_cast<std::size_t>(position) >= m_rows[row].ladder.size())
        return;
    m_document->pushValue(m_rows[row].name, m_rows[row].ladder[static_cast<std::size_t>(position)]);
}

void HyperparameterPanel::onSpinChanged(std::size_t row, qint64 value)
{
    if (row < m_rows.size() && !m_rows[row].spin->isReadOnly())
        m_document->pushValue(m_rows[row].name, value);
}

void HyperparameterPanel::onLockToggled(std::size_t row, bool locked)
{
    if (row >= m_rows.size())
        return;
    const std::string name = m_rows[row].name;
    const QString qname = QString::fromStdString(name);
    const auto def = m_document->originalDefinition(name);
    const core::Design& d = m_document->design();
    const int i = d.symbolIndex(name);
    if (!def || i < 0)
        return;
    const core::Evaluation& e = m_document->evaluation();
    const Count current = static_cast<std::size_t>(i) < e.symbols.size() ? e.symbols[i] : d.symbols[i].value;
    const QString source = QStringLiteral("symbol:") + qname;
    if (locked) {
        m_document->applyEdit(
            tr("Lock %1 = %2").arg(qname, QString::fromStdString(def->text())),
            [name, def](core::Design& design) -> core::Status {
                design.symbols[design.symbolIndex(name)].definition = *def;
                return design.compile();
            },
            source);
    } else {
        m_document->applyEdit(
            tr("Unlock %1").arg(qname),
            [name, current](core::Design& design) -> core::Status {
                if (auto st = design.setValue(name, current); !st)
                    return st;
                return design.compile();
            },
            source);
    }
}

const HyperparameterPanel::Row* HyperparameterPanel::find(const QString& symbol) const
{
    for (const Row& r : m_rows)
        if (QString::fromStdString(r.name) == symbol)
            return &r;
    return nullptr;
}

QSlider* HyperparameterPanel::slider(const QString& symbol) const
{
    const Row* r = find(symbol);
    return r ? r->slider : nullptr;
}

Int64SpinBox* HyperparameterPanel::spinBox(const QString& symbol) const
{
    const Row* r = find(symbol);
    return r ? r->spin : nullptr;
}

QToolButton* HyperparameterPanel::lockButton(const QString& symbol) const
{
    const Row* r = find(symbol);
    return r ? r->lock : nullptr;
}

QString HyperparameterPanel::errorText(const QString& symbol) const
{
    const Row* r = find(symbol);
    return r && !r->error->isHidden() ? r->error->text() : QString();
}

int HyperparameterPanel::ladderSize(const QString& symbol) const
{
    const Row* r = find(symbol);
    return r ? static_cast<int>(r->ladder.size()) : 0;
}

bool HyperparameterPanel::isMarkedUnused(const QString& symbol) const
{
    const Row* r = find(symbol);
    return r && r->unused;
}

} // namespace paramscope::ui
