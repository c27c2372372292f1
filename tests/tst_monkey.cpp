// SPDX-License-Identifier: MIT
// A seeded, deterministic "monkey": drives the real MainWindow through random sequences of what
// people do (presets and configs, tree/chart tabs, sliders, typing into spin boxes, structural
// edits, rename, undo/redo runs, zoom, resize, save/reopen, export, the Sizing panel's formats,
// context, batch and devices, good and bad) and checks the invariants
// after every step. States are reached by sequences, as users reach them: a test of one state at
// a time missed a crash on the first edit after the chart was shown.
//
//   PARAMSCOPE_MONKEY_SEED   first seed (default 1)
//   PARAMSCOPE_MONKEY_SEEDS  how many seeds, one after another (default 1)
//   PARAMSCOPE_MONKEY_STEPS  steps per seed (default: CI's bounded run)
//   PARAMSCOPE_MONKEY_TRACE  print each step before it runs (to replay a crash)
// `./dev.sh monkey --seed S --steps N` sets them. A failure prints the seed and the step list.

#include "architecturemodel.h"
#include "comparewidget.h"
#include "derivationpane.h"
#include "designio.h"
#include "diagramwidget.h"
#include "document.h"
#include "evaluate.h"
#include "hyperparameterpanel.h"
#include "int64spinbox.h"
#include "lecturetools.h"
#include "mainwindow.h"
#include "presentationwindow.h"
#include "presets.h"
#include "report.h"
#include "sizingpanel.h"
#include "sizingreport.h"
#include "summarywidget.h"

#include <QAbstractButton>
#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDir>
#include <QDockWidget>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QRegularExpression>
#include <QScreen>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeView>
#include <QUndoStack>

#include <nlohmann/json.hpp>

#include <csignal>
#include <cstdio>
#include <functional>
#include <limits>
#include <optional>
#include <random>
#include <unistd.h>

using namespace paramscope;
using core::Count;
using ui::MainWindow;

namespace {

/// The step list so far, also reachable from a crash handler (written with write(2) there).
std::string g_log;

void printLog()
{
    const std::string text = "\nmonkey steps so far:\n" + g_log;
    [[maybe_unused]] auto n = ::write(STDERR_FILENO, text.data(), text.size());
}

extern "C" void onFatalSignal(int sig)
{
    printLog();
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

} // namespace

// Under ASan/UBSan a finding ends the process from inside the sanitizer: print the steps then too.
extern "C" void __sanitizer_set_death_callback(void (*)(void)) __attribute__((weak));

namespace {

qint64 envNumber(const char* name, qint64 fallback)
{
    bool ok = false;
    const qint64 v = qEnvironmentVariable(name).toLongLong(&ok);
    return ok ? v : fallback;
}

/// The integer a label or spin box shows ("124,439,808" → 124439808); nullopt when it shows none.
std::optional<Count> shownNumber(QString text)
{
    text.remove(QRegularExpression(QStringLiteral("[^0-9-]")));
    bool ok = false;
    const qint64 v = text.toLongLong(&ok);
    return ok ? std::optional<Count>(v) : std::nullopt;
}

class Monkey {
public:
    Monkey(MainWindow& w, std::uint64_t seed, const QString& scratch)
        : m_w(w)
        , m_rng(seed)
        , m_scratch(scratch)
    {
        for (const core::Preset& p : core::presets())
            m_presets << QString::fromUtf8(p.name.data(), static_cast<qsizetype>(p.name.size()));
        for (const char* folder : { "hf-configs", "hf-extra", "hf-families", "hf-beyond" })
            for (const QFileInfo& f : QDir(QStringLiteral(PARAMSCOPE_TEST_DATA "/") + QLatin1String(folder))
                                          .entryInfoList({ QStringLiteral("*__*.json") }, QDir::Files, QDir::Name))
                m_configs << f.absoluteFilePath();
        QObject::connect(w.document(), &ui::Document::resetDone, &m_context, [this] { m_baseline = designText(); });
        m_baseline = designText();
    }

    /// Runs one random step, then checks every invariant. Returns an empty string or the failure.
    QString step()
    {
        const int kind = pick(100);
        QString what;
        if (kind < 4)
            what = openPreset();
        else if (kind < 7)
            what = openConfig();
        else if (kind < 13)
            what = trigger(pick(3) ? QStringLiteral("showChart") : QStringLiteral("showSizing"));
        else if (kind < 30)
            what = moveSlider();
        else if (kind < 44)
            what = typeValue();
        else if (kind < 48)
            what = sizingControl();
        else if (kind < 60)
            what = structuralEdit();
        else if (kind < 66)
            what = editExpression();
        else if (kind < 69)
            what = rename();
        else if (kind < 77)
            what = undoRedo();
        else if (kind < 79)
            what = undoAll();
        else if (kind < 84)
            what = zoom();
        else if (kind < 88)
            what = resize();
        else if (kind < 91)
            what = exportTable();
        else if (kind < 93)
            what = saveAndReopen();
        else if (kind < 95)
            what = selectRandom();
        else if (kind < 96)
            what = toggleLock();
        else if (kind < 97)
            what = pick(2) ? chartControl() : sizingControl();
        else if (kind < 98)
            what = lecture();
        else
            what = trigger(pick(2) ? QStringLiteral("expandAll") : QStringLiteral("collapseAll"));
        if (what.startsWith(QLatin1String("FAIL")))
            return what;
        return settleAndCheck();
    }

    /// Describes the next step in the log (before it runs, so a crash names it).
    void note(const QString& text)
    {
        g_log += "  " + text.toStdString() + "\n";
        if (qEnvironmentVariableIsSet("PARAMSCOPE_MONKEY_TRACE"))
            fprintf(stderr, "%s\n", qPrintable(text));
    }

private:
    int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(m_rng); }
    template <typename T> const T& pickFrom(const QList<T>& list) { return list[pick(int(list.size()))]; }

    std::string designText() const { return core::designToJson(m_w.document()->design()); }

    QString trigger(const QString& name)
    {
        note(QStringLiteral("trigger %1").arg(name));
        QAction* a = m_w.action(name);
        if (!a)
            return QStringLiteral("FAIL: no action %1").arg(name);
        if (a->isEnabled())
            a->trigger();
        return name;
    }

    QString openPreset()
    {
        const QString name = pickFrom(m_presets);
        note(QStringLiteral("open preset %1").arg(name));
        // As the user does: the Presets menu (which asks first when there are unsaved edits).
        if (QAction* a = m_w.action(QStringLiteral("preset_") + name))
            a->trigger();
        else if (!m_w.openSource(name, nullptr, false))
            return QStringLiteral("FAIL: preset %1 did not open").arg(name);
        return name;
    }

    QString openConfig()
    {
        const QString path = pickFrom(m_configs);
        note(QStringLiteral("open config %1").arg(QFileInfo(path).fileName()));
        QString error;
        if (!m_w.openSource(path, &error, false))
            return QStringLiteral("FAIL: %1 did not open: %2").arg(path, error);
        return path;
    }

    /// Symbols with a visible control of @p type, by name.
    template <typename W> QList<QPair<QString, W*>> controls(const QString& prefix)
    {
        QList<QPair<QString, W*>> out;
        for (W* c : m_w.findChildren<W*>())
            if (c->objectName().startsWith(prefix) && c->isVisibleTo(&m_w) && c->isEnabled())
                out.append({ c->objectName().mid(prefix.size()), c });
        return out;
    }

    QString moveSlider()
    {
        const auto sliders = controls<QAbstractSlider>(QStringLiteral("slider_"));
        if (sliders.isEmpty())
            return QStringLiteral("no slider");
        const auto& [name, slider] = sliders[pick(int(sliders.size()))];
        const int steps = 1 + pick(8);
        const int direction = pick(2) ? 1 : -1;
        if (pick(3) == 0) {
            note(QStringLiteral("slider %1: %2 key steps %3").arg(name).arg(steps).arg(direction));
            for (int i = 0; i < steps; ++i)
                QTest::keyClick(slider, direction > 0 ? Qt::Key_Right : Qt::Key_Left);
        } else {
            note(QStringLiteral("slider %1: drag %2 steps %3").arg(name).arg(steps).arg(direction));
            slider->setSliderDown(true);
            for (int i = 0; i < steps; ++i) {
                slider->setValue(slider->value() + direction * (1 + pick(3)));
                QCoreApplication::processEvents();
            }
            slider->setSliderDown(false);
        }
        return name;
    }

    Count interestingValue(Count current)
    {
        constexpr Count max = std::numeric_limits<Count>::max();
        switch (pick(14)) {
        case 0:
            return 0;
        case 1:
            return -1 - pick(100);
        case 2:
            return max;
        case 3:
            return Count(1000000000000);
        case 4:
            return Count(1) << (20 + pick(43));
        case 5:
            return 1000; // the README's invalid E
        case 6:
            return 4100;
        case 7:
            return current / 2;
        case 8:
            return current + 1;
        case 9:
            return current - 1;
        default:
            return current > max / 2 ? current : current * 2;
        }
    }

    QString typeValue()
    {
        const auto spins = controls<QAbstractSpinBox>(QStringLiteral("spin_"));
        if (spins.isEmpty())
            return QStringLiteral("no spin box");
        const auto& [name, spin] = spins[pick(int(spins.size()))];
        const core::Design& d = m_w.document()->design();
        const core::Symbol* s = d.symbol(name.toStdString());
        if (!s)
            return QStringLiteral("FAIL: spin box %1 names no symbol").arg(name);
        const bool wasSet = !s->isDerived();
        const Count before = s->value;
        const Count value = interestingValue(shownNumber(spin->text()).value_or(1));
        note(QStringLiteral("type %1 = %2").arg(name).arg(value));
        spin->setFocus();
        QTest::keyClick(spin, Qt::Key_A, Qt::ControlModifier);
        QTest::keyClicks(spin, QString::number(value));
        QTest::keyClick(spin, Qt::Key_Return);
        // Leave the field as a user does (click elsewhere): what it shows must be the value.
        m_w.treeView()->setFocus();
        QCoreApplication::processEvents();
        const core::Symbol* after = m_w.document()->design().symbol(name.toStdString());
        if (!after)
            return name;
        // Applied, or refused (unchanged, with the reason shown): never clipped to something else.
        if (!after->isDerived() && after->value != value && !(wasSet && after->value == before))
            return QStringLiteral("FAIL: typed %1 = %2, the design holds %3 (clipped?)")
                .arg(name)
                .arg(value)
                .arg(after->value);
        // Refused: the row says why.
        if (wasSet && !after->isDerived() && after->value == before && value != before) {
            bool shown = false;
            for (auto* reason : m_w.findChildren<QLabel*>(QStringLiteral("error_") + name))
                shown = shown || (reason->isVisibleTo(&m_w) && !reason->text().isEmpty());
            if (!shown)
                return QStringLiteral("FAIL: typed %1 = %2 was refused with no reason shown").arg(name).arg(value);
        }
        return name;
    }

    /// Every index of the model, in pre-order.
    void collect(const QModelIndex& parent, QModelIndexList& out) const
    {
        const QAbstractItemModel* model = m_w.treeView()->model();
        for (int r = 0; r < model->rowCount(parent); ++r) {
            const QModelIndex i = model->index(r, 0, parent);
            out << i;
            collect(i, out);
        }
    }

    QString selectRandom()
    {
        QModelIndexList all;
        collect({}, all);
        if (all.isEmpty())
            return QStringLiteral("empty tree");
        const QModelIndex i = all[pick(int(all.size()))];
        note(QStringLiteral("select %1").arg(i.data().toString()));
        m_w.treeView()->setCurrentIndex(i);
        return i.data().toString();
    }

    QString structuralEdit()
    {
        static const QStringList edits = { QStringLiteral("delete"), QStringLiteral("duplicate"),
            QStringLiteral("moveUp"), QStringLiteral("moveDown"), QStringLiteral("toggleBias"),
            QStringLiteral("toggleTie"), QStringLiteral("switchNorm"), QStringLiteral("switchMlp"),
            QStringLiteral("switchAttention"), QStringLiteral("addLinear"), QStringLiteral("addEmbedding"),
            QStringLiteral("addLayerNorm"), QStringLiteral("addRMSNorm"), QStringLiteral("addConv2d"),
            QStringLiteral("addParameter"), QStringLiteral("addContainer"), QStringLiteral("addConv1d") };
        if (pick(2))
            selectRandom();
        return trigger(pickFrom(edits));
    }

    /// Types an expression into the module editor (an argument, the repeat count or the name).
    QString editExpression()
    {
        if (pick(2))
            selectRandom();
        static const QStringList fields
            = { QStringLiteral("arg0"), QStringLiteral("arg1"), QStringLiteral("arg2"), QStringLiteral("repeat") };
        static const QStringList texts = { QStringLiteral("E"), QStringLiteral("2*E"), QStringLiteral("E/H"),
            QStringLiteral("E/0"), QStringLiteral("E^99"), QStringLiteral("("), QStringLiteral("-E^2"),
            QStringLiteral("9223372036854775807*2"), QStringLiteral("(-9223372036854775807-1)/-1"), QString(),
            QStringLiteral("L"), QStringLiteral("0"), QStringLiteral("(E+H+L+V+P+K)^16"), QStringLiteral("Q") };
        QList<QLineEdit*> edits;
        for (const QString& f : fields)
            if (auto* e = m_w.findChild<QLineEdit*>(f); e && e->isVisibleTo(&m_w) && e->isEnabled() && !e->isReadOnly())
                edits << e;
        if (edits.isEmpty())
            return QStringLiteral("no field");
        QLineEdit* edit = pickFrom(edits);
        const QString text = pickFrom(texts);
        note(QStringLiteral("editor %1 = '%2'").arg(edit->objectName(), text));
        edit->setFocus();
        edit->selectAll();
        QTest::keyClicks(edit, text);
        QTest::keyClick(edit, pick(5) ? Qt::Key_Return : Qt::Key_Escape);
        m_w.treeView()->setFocus();
        return text;
    }

    QString toggleLock()
    {
        const auto locks = controls<QAbstractButton>(QStringLiteral("lock_"));
        if (locks.isEmpty())
            return QStringLiteral("no lock");
        const auto& [name, button] = locks[pick(int(locks.size()))];
        note(QStringLiteral("lock %1").arg(name));
        button->click();
        return name;
    }

    /// The chart's own controls: its x axis and its check boxes (log axes, breakdown, presets).
    QString chartControl()
    {
        QList<QComboBox*> combos;
        for (QComboBox* c : m_w.findChildren<QComboBox*>())
            if (c->isVisibleTo(&m_w) && c->isEnabled() && c->count() > 0)
                combos << c;
        QList<QCheckBox*> boxes;
        for (QCheckBox* c : m_w.findChildren<QCheckBox*>())
            if (c->isVisibleTo(&m_w) && c->isEnabled())
                boxes << c;
        if (!combos.isEmpty() && (boxes.isEmpty() || pick(2))) {
            QComboBox* c = pickFrom(combos);
            const int i = pick(c->count());
            note(QStringLiteral("choose %1 in %2").arg(c->itemText(i), c->objectName()));
            c->setCurrentIndex(i);
            return c->itemText(i);
        }
        if (boxes.isEmpty())
            return QStringLiteral("no chart control");
        QCheckBox* b = pickFrom(boxes);
        note(QStringLiteral("click %1").arg(b->text()));
        b->click();
        return b->text();
    }

    /// The Sizing panel's own controls, good values and bad (shown first, as a user opens it).
    QString sizingControl()
    {
        ui::SizingPanel* panel = m_w.sizingPanel();
        note(QStringLiteral("show sizing"));
        m_w.showSizing();
        auto typeCombo = [&](QComboBox* box, const QString& key, const QStringList& texts) {
            const QString text = pickFrom(texts);
            note(QStringLiteral("sizing %1 = '%2'").arg(key, text));
            box->setFocus();
            box->lineEdit()->selectAll();
            QTest::keyClicks(box->lineEdit(), text);
            QTest::keyClick(box->lineEdit(), Qt::Key_Return);
            m_w.treeView()->setFocus();
            return key;
        };
        auto typeSpin = [&](ui::Int64SpinBox* spin, const QString& key) {
            const Count value = interestingValue(spin->value());
            note(QStringLiteral("sizing %1 = %2").arg(key).arg(value));
            spin->setFocus();
            QTest::keyClick(spin, Qt::Key_A, Qt::ControlModifier);
            QTest::keyClicks(spin, QString::number(value));
            QTest::keyClick(spin, Qt::Key_Return);
            m_w.treeView()->setFocus();
            // A value below 1 is refused with its reason under the control.
            if (value < 1 && panel->errorText(key).isEmpty())
                return QStringLiteral("FAIL: sizing %1 = %2 refused with no reason shown").arg(key).arg(value);
            return key;
        };
        static const QStringList dtypes = { QStringLiteral("fp32"), QStringLiteral("bf16"), QStringLiteral("fp8"),
            QStringLiteral("int4"), QStringLiteral("4.5"), QStringLiteral("0"), QStringLiteral("65"),
            QStringLiteral("fp7"), QString(), QStringLiteral("0.001") };
        static const QStringList devices = { QStringLiteral("24 GB"), QStringLiteral("80 GB"), QStringLiteral("0 GB"),
            QStringLiteral("48GiB"), QStringLiteral("lots"), QStringLiteral("9999999999 TB") };
        switch (pick(8)) {
        case 0: {
            const QString key = typeCombo(panel->dtypeBox(), QStringLiteral("dtype"), dtypes);
            if (!core::parseDataType(panel->dtypeBox()->currentText().trimmed().toStdString())
                && panel->errorText(key).isEmpty())
                return QStringLiteral("FAIL: a bad weight format with no reason shown");
            return key;
        }
        case 1:
            return typeCombo(panel->kvDtypeBox(), QStringLiteral("kvDtype"), dtypes);
        case 2:
            return typeCombo(panel->deviceBox(), QStringLiteral("device"), devices);
        case 3: {
            QAbstractSlider* slider = pick(2) ? static_cast<QAbstractSlider*>(panel->contextSlider())
                                              : static_cast<QAbstractSlider*>(panel->batchSlider());
            const int steps = 1 + pick(6);
            const int direction = pick(2) ? 1 : -1;
            note(QStringLiteral("sizing %1: drag %2 steps %3").arg(slider->objectName()).arg(steps).arg(direction));
            slider->setSliderDown(true);
            for (int i = 0; i < steps; ++i)
                slider->setValue(slider->value() + direction * (1 + pick(4)));
            slider->setSliderDown(false);
            return slider->objectName();
        }
        case 4:
            return typeSpin(panel->contextSpin(), QStringLiteral("context"));
        case 5:
            return typeSpin(panel->batchSpin(), QStringLiteral("batch"));
        case 6:
            return typeSpin(panel->devicesSpin(), QStringLiteral("devices"));
        default: {
            const int stage = pick(4);
            note(QStringLiteral("sizing ZeRO-%1").arg(stage));
            panel->zeroBox()->setCurrentIndex(stage);
            return QStringLiteral("zero");
        }
        }
    }

    /// The Sizing panel, when shown, shows the core's figures for the document's design at its
    /// options, or keeps the last valid ones, greyed, with a message.
    QString checkSizing()
    {
        const ui::SizingPanel* panel = m_w.sizingPanel();
        if (!panel || !panel->isVisible())
            return QString();
        if (panel->isStale())
            return QStringLiteral("FAIL: the Sizing panel is shown but stale");
        const ui::Document* doc = m_w.document();
        const bool anyMessage = !panel->errorText(QStringLiteral("design")).isEmpty()
            || !panel->errorText(QStringLiteral("context")).isEmpty()
            || !panel->errorText(QStringLiteral("batch")).isEmpty()
            || !panel->errorText(QStringLiteral("devices")).isEmpty()
            || !panel->errorText(QStringLiteral("tokens")).isEmpty();
        if (doc->error() || !doc->countsValid()) {
            if (panel->errorText(QStringLiteral("design")).isEmpty() || !panel->figuresGreyed())
                return QStringLiteral("FAIL: invalid values, the Sizing panel says nothing");
            return QString();
        }
        const auto expected = core::memoryReport(doc->design(), doc->evaluation(), panel->options());
        // The panel shows one consistent set: memory and compute, or the last valid of both.
        const auto flops = core::flopsReport(doc->design(), doc->evaluation(), panel->options().context,
            panel->tokens(), panel->options().encoderContext);
        if (!expected || !flops) {
            if (!anyMessage || !panel->figuresGreyed())
                return QStringLiteral("FAIL: sizing fails (%1) with no message, or not greyed")
                    .arg(QString::fromStdString((expected ? flops.error() : expected.error()).text()));
            if (panel->memory()
                && shownNumber(panel->figureText(QStringLiteral("weights"))) != panel->memory()->weights.bytes)
                return QStringLiteral("FAIL: the Sizing panel's weights are not its last valid ones");
            return QString();
        }
        if (panel->figuresGreyed())
            return QStringLiteral("FAIL: the Sizing panel is greyed, its figures valid");
        const std::pair<const char*, Count> figures[] = { { "weights", expected->weights.bytes },
            { "kv.perToken", expected->kvPerToken }, { "kv.bytes", expected->kvBytes },
            { "training.total", expected->training.total }, { "training.perDevice", expected->training.perDevice } };
        for (const auto& [key, value] : figures) {
            const QString shown = panel->figureText(QLatin1String(key));
            if (shownNumber(shown) != value)
                return QStringLiteral("FAIL: Sizing %1 shows '%2', the core says %3")
                    .arg(QLatin1String(key), shown)
                    .arg(value);
        }
        if (shownNumber(panel->figureText(QStringLiteral("flops.forward"))) != flops->flops.forwardPerToken)
            return QStringLiteral("FAIL: Sizing forward FLOPs show '%1'")
                .arg(panel->figureText(QStringLiteral("flops.forward")));
        return QString();
    }

    QString rename()
    {
        selectRandom();
        static const QStringList names = { QStringLiteral("block"), QStringLiteral("a.b"), QStringLiteral("x*"),
            QString(), QStringLiteral("ñame"), QStringLiteral("mlp"), QString(300, QLatin1Char('n')) };
        const QString name = pickFrom(names);
        note(QStringLiteral("rename to '%1'").arg(name.left(20)));
        QAction* a = m_w.action(QStringLiteral("rename"));
        if (!a || !a->isEnabled())
            return QStringLiteral("rename disabled");
        a->trigger();
        QCoreApplication::processEvents();
        QLineEdit* editor = nullptr;
        for (QLineEdit* e : m_w.treeView()->findChildren<QLineEdit*>())
            if (e->isVisible())
                editor = e;
        if (!editor)
            return QStringLiteral("no editor");
        // Typed as an input method would: QTest only simulates Latin-1 keys.
        editor->setText(name);
        QTest::keyClick(editor, pick(4) ? Qt::Key_Return : Qt::Key_Escape);
        return name;
    }

    QString undoRedo()
    {
        const bool undo = pick(3) != 0;
        const int times = 1 + pick(5);
        note(QStringLiteral("%1 x%2").arg(undo ? QStringLiteral("undo") : QStringLiteral("redo")).arg(times));
        QAction* a = m_w.action(undo ? QStringLiteral("undo") : QStringLiteral("redo"));
        for (int i = 0; i < times && a->isEnabled(); ++i)
            a->trigger();
        return QString();
    }

    /// Undo to the start: the design must be the one loaded.
    QString undoAll()
    {
        note(QStringLiteral("undo all"));
        QAction* a = m_w.action(QStringLiteral("undo"));
        for (int guard = 0; a->isEnabled() && guard < 100000; ++guard)
            a->trigger();
        if (m_w.document()->undoStack()->index() != 0)
            return QStringLiteral("FAIL: undo stopped at index %1").arg(m_w.document()->undoStack()->index());
        if (designText() != m_baseline)
            return QStringLiteral("FAIL: undoing everything does not give back the design that was loaded");
        return QString();
    }

    QString zoom()
    {
        static const QStringList zooms = { QStringLiteral("zoomIn"), QStringLiteral("zoomIn"),
            QStringLiteral("zoomOut"), QStringLiteral("zoomReset") };
        return trigger(pickFrom(zooms));
    }

    QString resize()
    {
        const QRect screen = m_w.screen()->availableGeometry();
        const QSize size(480 + pick(std::max(1, screen.width() - 480)), 360 + pick(std::max(1, screen.height() - 360)));
        note(QStringLiteral("resize %1x%2").arg(size.width()).arg(size.height()));
        m_w.resize(size);
        return QString();
    }

    QString exportTable()
    {
        static const QStringList suffixes = { QStringLiteral("csv"), QStringLiteral("md"), QStringLiteral("json"),
            QStringLiteral("tex"), QStringLiteral("txt") };
        const QString path = m_scratch + QStringLiteral("/table.") + pickFrom(suffixes);
        note(QStringLiteral("export %1").arg(QFileInfo(path).fileName()));
        QFile::remove(path);
        QString error;
        const bool ok = m_w.document()->exportTable(path, &error);
        const bool valid = !m_w.document()->error() && m_w.document()->countsValid();
        if (ok != valid)
            return QStringLiteral("FAIL: export %1 while the values are %2 (%3)")
                .arg(ok ? QStringLiteral("succeeded") : QStringLiteral("failed"),
                    valid ? QStringLiteral("valid") : QStringLiteral("invalid"), error);
        if (ok && path.endsWith(QLatin1String(".json"))) {
            QFile f(path);
            if (!f.open(QIODevice::ReadOnly))
                return QStringLiteral("FAIL: exported JSON not readable");
            const auto j = nlohmann::json::parse(f.readAll().toStdString(), nullptr, false);
            if (j.is_discarded() || !j.contains("total")
                || j["total"].get<Count>() != m_w.document()->evaluation().total)
                return QStringLiteral("FAIL: exported JSON total differs from the document's");
        }
        return path;
    }

    /// Save, reopen: the same design and total come back (only when the values are valid).
    QString saveAndReopen()
    {
        const QString path = m_scratch + QStringLiteral("/design.json");
        note(QStringLiteral("save and reopen"));
        QString error;
        if (!m_w.document()->save(path, &error))
            return QStringLiteral("FAIL: save failed: %1").arg(error);
        if (m_w.document()->error() || !m_w.document()->countsValid())
            return path;
        const Count total = m_w.document()->evaluation().total;
        if (!m_w.openSource(path, &error, false))
            return QStringLiteral("FAIL: reopening the saved design failed: %1").arg(error);
        if (m_w.document()->evaluation().total != total)
            return QStringLiteral("FAIL: saved total %1, reopened %2")
                .arg(total)
                .arg(m_w.document()->evaluation().total);
        return path;
    }

    /// Lets what the step started finish: posted events, deferred deletes, and the short
    /// single-shot timers views use to coalesce work (waited for by their signal, not a sleep).
    void settle()
    {
        for (int round = 0; round < 4; ++round) {
            QCoreApplication::processEvents();
            QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
            bool waited = false;
            // Guarded: waiting on one timer runs the event loop, which may delete another
            // (QStatusBar::clearMessage deletes its message timer).
            QList<QPointer<QTimer>> timers;
            for (QTimer* t : m_w.findChildren<QTimer*>())
                timers << t;
            for (const QPointer<QTimer>& t : timers) {
                if (t && t->isActive() && t->isSingleShot() && t->interval() <= 200) {
                    QSignalSpy fired(t, &QTimer::timeout);
                    fired.wait(2000);
                    waited = true;
                }
            }
            if (!waited)
                break;
        }
    }

    QString settleAndCheck()
    {
        settle();
        const ui::Document* doc = m_w.document();
        // The numbers shown are the core's count of the document's design…
        core::Design copy = doc->design();
        if (auto st = copy.compile(); !st)
            return QStringLiteral("FAIL: the document's design does not compile: %1")
                .arg(QString::fromStdString(st.error().text()));
        const auto fresh = core::evaluate(copy);
        if (fresh.ok() == doc->error().has_value())
            return QStringLiteral("FAIL: the document says %1 but the core says %2")
                .arg(doc->error() ? QStringLiteral("invalid") : QStringLiteral("valid"),
                    fresh ? QStringLiteral("valid") : QString::fromStdString(fresh.error().text()));
        auto* total = m_w.findChild<QLabel*>(QStringLiteral("total"));
        auto* error = m_w.findChild<QLabel*>(QStringLiteral("summaryError"));
        if (!total || !error)
            return QStringLiteral("FAIL: no total or error label");
        const auto shown = shownNumber(total->text());
        if (fresh) {
            if (shown != fresh->total)
                return QStringLiteral("FAIL: total shows '%1', the core counts %2")
                    .arg(total->text())
                    .arg(fresh->total);
            const QString root = m_w.model()->index(0, ui::ArchitectureModel::ParametersColumn).data().toString();
            if (shownNumber(root) != fresh->total)
                return QStringLiteral("FAIL: the tree's root shows '%1', the core counts %2")
                    .arg(root)
                    .arg(fresh->total);
        } else {
            // …or, while a value is invalid, the last valid one (or none), with the reason shown.
            if (error->isHidden() || error->text().isEmpty())
                return QStringLiteral("FAIL: invalid values (%1) but no message")
                    .arg(QString::fromStdString(fresh.error().text()));
            if (doc->countsValid() && shown != doc->evaluation().total)
                return QStringLiteral("FAIL: invalid values, total shows '%1', the last valid is %2")
                    .arg(total->text())
                    .arg(doc->evaluation().total);
        }
        // Every spin box shows its symbol's exact value.
        const auto values = fresh ? fresh->symbols : std::vector<Count>();
        for (const auto& [name, spin] : controls<QAbstractSpinBox>(QStringLiteral("spin_"))) {
            const int i = copy.symbolIndex(name.toStdString());
            if (i < 0)
                return QStringLiteral("FAIL: a spin box for %1, which the design does not have").arg(name);
            const core::Symbol& s = copy.symbols[std::size_t(i)];
            std::optional<Count> expected;
            if (!s.isDerived())
                expected = s.value;
            else if (fresh)
                expected = values[std::size_t(i)];
            if (expected && shownNumber(spin->text()) != expected)
                return QStringLiteral("FAIL: %1's spin box shows '%2', the design holds %3")
                    .arg(name, spin->text())
                    .arg(*expected);
        }
        if (QString lectureFailure = checkLecture(fresh.ok()); !lectureFailure.isEmpty())
            return lectureFailure;
        if (const QString sizing = checkSizing(); !sizing.isEmpty())
            return sizing;
        // The window never grows past the screen.
        const QRect screen = m_w.screen()->availableGeometry();
        if (m_w.width() > screen.width() || m_w.height() > screen.height())
            return QStringLiteral("FAIL: window %1x%2 is larger than the screen %3x%4")
                .arg(m_w.width())
                .arg(m_w.height())
                .arg(screen.width())
                .arg(screen.height());
        return QString();
    }

    /// The lecture tools: presentation mode on and off, steps through it, the diagram tab and its
    /// export, a comparison, the derivation pane.
    QString lecture()
    {
        ui::LectureTools* tools = m_w.lectureTools();
        switch (pick(6)) {
        case 0:
            return trigger(QStringLiteral("presentation"));
        case 1: {
            if (!tools->presentation())
                return trigger(QStringLiteral("presentation"));
            const int steps = 1 + pick(6);
            const bool forward = pick(3) != 0;
            note(QStringLiteral("presentation: %1 steps %2")
                     .arg(steps)
                     .arg(forward ? QStringLiteral("forward") : QStringLiteral("back")));
            for (int i = 0; i < steps; ++i)
                QTest::keyClick(tools->presentation()->tree(), forward ? Qt::Key_Right : Qt::Key_Left);
            if (pick(4) == 0) {
                note(QStringLiteral("presentation: Esc"));
                QTest::keyClick(tools->presentation()->tree(), Qt::Key_Escape);
            }
            return QStringLiteral("presentation step");
        }
        case 2:
            return trigger(QStringLiteral("showDiagram"));
        case 3: {
            static const char* const suffixes[] = { "svg", "pdf", "png" };
            const QString file = m_scratch + QStringLiteral("/diagram.") + QLatin1String(suffixes[pick(3)]);
            note(QStringLiteral("export diagram %1").arg(QFileInfo(file).fileName()));
            QFile::remove(file);
            QString error;
            const bool ok = tools->exportDiagram(file, &error);
            // Written whole, or refused with a reason (nothing counted yet), never a half file.
            if (ok && QFileInfo(file).size() == 0)
                return QStringLiteral("FAIL: diagram export wrote an empty %1").arg(file);
            if (!ok && (error.isEmpty() || QFile::exists(file)))
                return QStringLiteral("FAIL: diagram export failed without a reason or left %1").arg(file);
            return file;
        }
        case 4: {
            const QString other = pickFrom(m_presets);
            note(QStringLiteral("compare with %1").arg(other));
            QString error;
            if (!tools->compareWith(other, &error))
                return QStringLiteral("FAIL: compare with preset %1: %2").arg(other, error);
            return other;
        }
        default:
            return trigger(QStringLiteral("showDerivation"));
        }
    }

    /// What the lecture tools show agrees with the core's count of the document's design.
    QString checkLecture(bool valid)
    {
        ui::LectureTools* tools = m_w.lectureTools();
        const ui::Document* doc = m_w.document();
        const auto& e = doc->evaluation();
        // The presentation shows the main window's module and the current total.
        if (ui::PresentationWindow* p = tools->presentation()) {
            const core::Module* m = m_w.model()->moduleFromIndex(m_w.treeView()->currentIndex());
            if (p->currentNode() != (m ? m->index : -1))
                return QStringLiteral("FAIL: presentation shows node %1, the window %2")
                    .arg(p->currentNode())
                    .arg(m ? m->index : -1);
            if (doc->countsValid()
                && !p->totalLabel()->text().contains(QString::fromStdString(core::groupDigits(e.total))))
                return QStringLiteral("FAIL: presentation total '%1', the count is %2")
                    .arg(p->totalLabel()->text())
                    .arg(e.total);
        }
        // A derivation is shown only for valid values, and adds up to the node's count.
        for (ui::DerivationPane* pane : m_w.findChildren<ui::DerivationPane*>()) {
            const auto& d = pane->derivation();
            if (!d)
                continue;
            if (!valid)
                return QStringLiteral("FAIL: a derivation is shown for invalid values");
            const int node = pane->node();
            if (node < 0 || std::size_t(node) >= e.nodes.size())
                return QStringLiteral("FAIL: a derivation of node %1, which does not exist").arg(node);
            const core::NodeValue& v = e.nodes[std::size_t(node)];
            if (d->count != v.count || d->total != e.total)
                return QStringLiteral("FAIL: derivation of node %1 gives %2 (total %3), the core %4 (total %5)")
                    .arg(node)
                    .arg(d->count)
                    .arg(d->total)
                    .arg(v.count)
                    .arg(e.total);
            for (const auto& s : d->steps)
                if (s.result != v.each && s.result != v.count && s.result != v.active)
                    return QStringLiteral("FAIL: a derivation step of node %1 ends in %2, not its count")
                        .arg(node)
                        .arg(s.result);
        }
        // The comparison's A is the design as it is now.
        if (valid && tools->compare()->comparison() && tools->compare()->comparison()->total.a != e.total)
            return QStringLiteral("FAIL: the comparison's A total is not the current total %1").arg(e.total);
        // The diagram, once shown, titles the current total (it keeps the last picture while invalid).
        if (valid && tools->diagram()->isVisible()
            && !tools->diagram()->diagram().title.contains(QString::fromStdString(core::groupDigits(e.total))))
            return QStringLiteral("FAIL: the diagram says '%1', the count is %2")
                .arg(tools->diagram()->diagram().title)
                .arg(e.total);
        return QString();
    }

    MainWindow& m_w;
    std::mt19937_64 m_rng;
    QString m_scratch;
    QStringList m_presets;
    QStringList m_configs;
    std::string m_baseline;
    QObject m_context;
};

/// Closes any modal dialog as soon as it opens (Escape: cancel, don't save), as a user would who
/// only wanted to get on; the monkey's steps never wait for a person.
class DialogDismisser : public QObject {
public:
    DialogDismisser()
    {
        m_timer.setInterval(0);
        connect(&m_timer, &QTimer::timeout, this, [] {
            if (auto* d = qobject_cast<QDialog*>(QApplication::activeModalWidget()))
                d->reject();
        });
        m_timer.start();
    }

private:
    QTimer m_timer;
};

} // namespace

class TestMonkey : public QObject {
    Q_OBJECT
private slots:
    void randomSequences();
    void projectorZoomFitsTheScreen();
};

// What seed 11 found after 265 steps: at 300 % on a 1920 × 1080 screen, a design with several notes
// and an error, the Sizing tab and the Derivation pane up, the window was 57 px taller than the
// screen (the summary grew with its notes and a long error, and counted whole in the minimum).
void TestMonkey::projectorZoomFitsTheScreen()
{
    QTemporaryDir scratch;
    qputenv("XDG_CONFIG_HOME", scratch.filePath(QStringLiteral("config")).toUtf8());
    MainWindow w;
    w.resize(1033, 833);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(
        w.openSource(QStringLiteral(PARAMSCOPE_TEST_DATA "/hf-configs/EleutherAI__pythia-160m.json"), nullptr, false));
    QVERIFY(w.applySetting(QStringLiteral("H=20"))); // 768 is no multiple of 20: an error, kept
    w.showSizing();
    auto* dtype = w.findChild<paramscope::ui::SizingPanel*>()->findChild<QComboBox*>();
    QVERIFY(dtype && dtype->isEditable());
    dtype->setEditText(QStringLiteral("65")); // a dtype the panel refuses, said under it
    auto* dock = w.findChild<QDockWidget*>(QStringLiteral("derivationDock"));
    QVERIFY(dock);
    dock->show();
    w.setZoom(3.0);
    QVERIFY(!w.summary()->errorText().isEmpty());
    QVERIFY(w.summary()->notes().size() >= 3);
    QApplication::processEvents();
    // The smallest the window can be, which it grows to when made smaller: within the screen.
    const int screenHeight = w.screen()->availableGeometry().height();
    QVERIFY2(w.minimumSizeHint().height() <= screenHeight, qPrintable(QString::number(w.minimumSizeHint().height())));
    QVERIFY(w.height() <= screenHeight);
    w.document()->undoStack()->setClean();
}

void TestMonkey::randomSequences()
{
    QTemporaryDir scratch;
    QVERIFY(scratch.isValid());
    // No settings of the developer's leak in, none are left behind.
    qputenv("XDG_CONFIG_HOME", scratch.filePath(QStringLiteral("config")).toUtf8());
    qputenv("XDG_DATA_HOME", scratch.filePath(QStringLiteral("data")).toUtf8());
    std::signal(SIGSEGV, onFatalSignal);
    std::signal(SIGFPE, onFatalSignal);
    std::signal(SIGABRT, onFatalSignal);
    if (__sanitizer_set_death_callback)
        __sanitizer_set_death_callback(printLog);

    const qint64 firstSeed = envNumber("PARAMSCOPE_MONKEY_SEED", 1);
    const qint64 seeds = envNumber("PARAMSCOPE_MONKEY_SEEDS", 1);
    const qint64 steps = envNumber("PARAMSCOPE_MONKEY_STEPS", 1500);
    DialogDismisser dismisser;
    for (qint64 seed = firstSeed; seed < firstSeed + seeds; ++seed) {
        g_log = "seed " + std::to_string(seed) + " (replay: ./dev.sh monkey --seed " + std::to_string(seed)
            + " --steps " + std::to_string(steps) + ")\n";
        MainWindow w;
        w.resize(1280, 800);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        Monkey monkey(w, std::uint64_t(seed), scratch.path());
        for (qint64 n = 0; n < steps; ++n) {
            const QString failure = monkey.step();
            if (!failure.isEmpty()) {
                printLog();
                QFAIL(qPrintable(QStringLiteral("seed %1, step %2: %3").arg(seed).arg(n).arg(failure)));
            }
        }
        qInfo("seed %lld: %lld steps, no finding", seed, steps);
        w.document()->undoStack()->setClean(); // close without asking
    }
}

QTEST_MAIN(TestMonkey)
#include "tst_monkey.moc"
