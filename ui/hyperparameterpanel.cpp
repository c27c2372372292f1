// SPDX-License-Identifier: MIT
#include "hyperparameterpanel.h"

#include "document.h"
#include "theme.h"

#include <QEvent>
#include <QGridLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>
#include <numeric>

namespace paramscope::ui {

namespace {

using core::Count;

constexpr Count kMaxSpin = std::numeric_limits<int>::max();

/// 1, 1.25, 1.5, 1.75 × powers of two between @p lo and @p hi: even steps on a log scale.
std::vector<Count> logLadder(Count lo, Count hi)
{
    std::vector<Count> out;
    for (Count base = 1; base <= hi; base *= 2)
        for (Count quarter : { 4, 5, 6, 7 })
            if (const Count v = base * quarter / 4; v >= lo && v <= hi && (base >= 4 || quarter == 4))
                out.push_back(v);
    return out;
}

std::vector<Count> stepLadder(Count step, Count lo, Count hi)
{
    std::vector<Count> out;
    for (Count v = std::max(step, lo - lo % step); v <= hi; v += step)
        if (v >= lo)
            out.push_back(v);
    if (lo == 0)
        out.insert(out.begin(), 0);
    return out;
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

QString errorStyle(const QPalette& palette)
{
    return QStringLiteral("color: %1;").arg(errorColor(palette).name());
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
            row.error->setStyleSheet(errorStyle(palette()));
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
}

void HyperparameterPanel::rebuild()
{
    const core::Design& d = m_document->design();
    std::vector<std::string> names;
    for (const auto& s : d.symbols)
        names.push_back(s.name + (s.isDerived() ? "=" + s.definition.text() : ""));
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
        row.slider = new QSlider(Qt::Horizontal, m_rowsWidget);
        row.slider->setObjectName(QStringLiteral("slider_") + name);
        row.slider->setToolTip(tr("%1 — %2. Drag to change; one drag is one undo step.").arg(name, description));
        row.spin = new QSpinBox(m_rowsWidget);
        row.spin->setObjectName(QStringLiteral("spin_") + name);
        row.spin->setRange(static_cast<int>(std::clamp<Count>(s.minimum, 0, kMaxSpin)), static_cast<int>(kMaxSpin));
        row.spin->setGroupSeparatorShown(true);
        row.spin->setKeyboardTracking(false);
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
        row.error->setStyleSheet(errorStyle(palette()));
        row.error->hide();
        m_grid->addWidget(row.error, gridRow, 0, 1, 4);
        ++gridRow;
        m_grid->setRowMinimumHeight(gridRow++, 6);

        updateLadder(row);
        connect(row.slider, &QSlider::valueChanged, this, [this, i](int p) { onSliderMoved(i, p); });
        connect(row.slider, &QSlider::sliderPressed, m_document, &Document::beginDrag);
        connect(row.slider, &QSlider::sliderReleased, m_document, &Document::endDrag);
        connect(row.spin, &QSpinBox::valueChanged, this, [this, i](int v) { onSpinChanged(i, v); });
    }
    m_grid->setRowStretch(gridRow, 1);
    refreshValues();
    refreshError();
}

void HyperparameterPanel::updateLadder(Row& row)
{
    const core::Design& d = m_document->design();
    const core::Symbol* s = d.symbol(row.name);
    const core::Evaluation& e = m_document->evaluation();
    const int i = d.symbolIndex(row.name);
    Count current = s->isDerived() && static_cast<std::size_t>(i) < e.symbols.size() ? e.symbols[i] : s->value;
    current = std::clamp<Count>(current, 0, kMaxSpin);
    const Count lo = std::max<Count>(s->minimum, 0);
    const std::string& n = s->name;
    std::vector<Count> ladder;
    if (n == "V" || n == "P" || contains(s->description, "vocab") || contains(s->description, "position")
        || contains(s->description, "context")) {
        ladder = logLadder(std::max<Count>(lo, 16), std::max<Count>(current * 4, Count(1) << 20));
    } else if (n == "E") {
        const Count heads = headsOf(d);
        row.ladderHeads = heads;
        const Count lcm = std::lcm(heads, Count(64));
        const Count step = lcm <= 256 ? lcm : heads;
        ladder = stepLadder(step, std::max<Count>(lo, step), std::max<Count>(current * 4, 16384));
    } else if (current <= 128) {
        ladder = stepLadder(1, lo, std::max<Count>(64, current * 4));
    } else {
        ladder = stepLadder(64, lo, current * 4);
    }
    ladder.push_back(current);
    std::sort(ladder.begin(), ladder.end());
    ladder.erase(std::unique(ladder.begin(), ladder.end()), ladder.end());
    row.ladder = std::move(ladder);
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
        // E steps in multiples of the heads: a new H gives E a new ladder (16 heads reach 1024).
        const bool headsChanged = row.name == "E" && row.ladderHeads != headsOf(d);
        if (value >= 0 && !row.slider->isSliderDown()
            && (headsChanged || !std::binary_search(row.ladder.begin(), row.ladder.end(), std::min(value, kMaxSpin))))
            updateLadder(row);
        const QSignalBlocker b1(row.slider);
        const QSignalBlocker b2(row.spin);
        if (value < 0) {
            row.spin->setSpecialValueText(QStringLiteral("—"));
            row.spin->setValue(row.spin->minimum());
            continue;
        }
        row.spin->setSpecialValueText({});
        row.spin->setValue(static_cast<int>(std::min(value, kMaxSpin)));
        if (!row.slider->isSliderDown()) {
            const auto it = std::lower_bound(row.ladder.begin(), row.ladder.end(), value);
            row.slider->setValue(static_cast<int>(
                std::min<std::ptrdiff_t>(it - row.ladder.begin(), static_cast<std::ptrdiff_t>(row.ladder.size()) - 1)));
        }
    }
}

void HyperparameterPanel::refreshError()
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
        row.error->setText(here ? QString::fromStdString(error->text()) : QString());
        row.error->setVisible(here);
        // A tinted background rather than a style sheet, which would replace the native arrows.
        QPalette tinted = palette();
        tinted.setColor(QPalette::Base, errorBackground(tinted));
        row.spin->setPalette(here ? tinted : QPalette());
    }
    refreshValues();
}

void HyperparameterPanel::onSliderMoved(std::size_t row, int position)
{
    if (row >= m_rows.size() || position < 0 || static_cast<std::size_t>(position) >= m_rows[row].ladder.size())
        return;
    m_document->pushValue(m_rows[row].name, m_rows[row].ladder[static_cast<std::size_t>(position)]);
}

void HyperparameterPanel::onSpinChanged(std::size_t row, int value)
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

QSpinBox* HyperparameterPanel::spinBox(const QString& symbol) const
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

} // namespace paramscope::ui
