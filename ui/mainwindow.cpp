// SPDX-License-Identifier: MIT
#include "mainwindow.h"

#include "derivation.h"
#include "lecturetools.h"

#include "about.h"
#include "appinfo.h"
#include "architecturemodel.h"
#include "document.h"
#include "edits.h"
#include "hyperparameterpanel.h"
#include "moduleeditor.h"
#include "overrides.h"
#include "presets.h"
#include "report.h"
#include "settings.h"
#include "source.h"
#include "summarywidget.h"
#include "weightsactions.h"
#include "weightscheck.h"

#ifdef PARAMSCOPE_HAVE_CHART
#include "chartwidget.h"
#include "sizingpanel.h"
#endif

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QEventLoop>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontMetrics>
#include <QGuiApplication>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QScrollArea>
#include <QShowEvent>
#include <QSignalBlocker>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QTimer>
#include <QToolBar>
#include <QTreeView>
#include <QUndoStack>
#include <QVBoxLayout>

namespace paramscope::ui {

namespace {

QString qs(const std::string& s)
{
    return QString::fromStdString(s);
}

constexpr double kMinZoom = 0.5;
constexpr double kMaxZoom = 4.0;
/// The zoom levels people know from browsers and slide software, in percent.
constexpr int kZoomSteps[] = { 50, 67, 75, 80, 90, 100, 110, 125, 150, 175, 200, 250, 300 };

/// The step after (@p direction 1) or before (-1) @p zoom; @p zoom itself need not be a step
/// (a remembered 1.15^n from an older version).
double nextZoom(double zoom, int direction)
{
    const double percent = zoom * 100;
    if (direction > 0) {
        for (int step : kZoomSteps)
            if (step > percent + 0.5)
                return step / 100.0;
        return kZoomSteps[std::size(kZoomSteps) - 1] / 100.0;
    }
    for (auto it = std::rbegin(kZoomSteps); it != std::rend(kZoomSteps); ++it)
        if (*it < percent - 0.5)
            return *it / 100.0;
    return kZoomSteps[0] / 100.0;
}

QWidget* titled(const QString& title, QWidget* content, QWidget* parent)
{
    auto* box = new QWidget(parent);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(4, 4, 4, 0);
    auto* label = new QLabel(QStringLiteral("<b>%1</b>").arg(title), box);
    layout->addWidget(label);
    layout->addWidget(content, 1);
    return box;
}

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_document(new Document(this))
    , m_model(new ArchitectureModel(m_document, this))
    , m_tree(new QTreeView(this))
    , m_panel(new HyperparameterPanel(m_document, this))
    , m_summary(new SummaryWidget(m_document, this))
    , m_editor(new ModuleEditor(m_document, this))
    , m_weights(new WeightsCheck(m_document, this))
    , m_presets(new QListWidget(this))
    , m_tabs(new QTabWidget(this))
    , m_mainSplitter(new QSplitter(Qt::Horizontal, this))
    , m_leftSplitter(new QSplitter(Qt::Vertical, this))
    , m_treeSplitter(new QSplitter(Qt::Vertical, this))
    , m_baseFont(QApplication::font())
{
    setAcceptDrops(true);
    setObjectName(QStringLiteral("MainWindow"));

    m_tree->setModel(m_model);
    m_tree->setObjectName(QStringLiteral("architectureTree"));
    m_tree->setUniformRowHeights(true);
    m_tree->setIndentation(std::max(12, qRound(QFontMetrics(m_baseFont).height() * 0.85))); // as setZoom()
    m_tree->setAlternatingRowColors(true);
    m_tree->setEditTriggers(QAbstractItemView::EditKeyPressed | QAbstractItemView::DoubleClicked);
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(QHeaderView::Interactive);
    m_tree->header()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_tree->header()->setSectionResizeMode(ArchitectureModel::FormulaColumn, QHeaderView::Stretch);
    m_tree->setToolTip(tr("The modules and what each one holds. F2 renames; hover for the exact shape and formula."));

    auto* panelScroll = new QScrollArea(this);
    panelScroll->setWidget(m_panel);
    panelScroll->setWidgetResizable(true);
    panelScroll->setFrameShape(QFrame::NoFrame);
    // Only when zoomed past what the window can hold (the panel never takes more than half of it).
    panelScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    m_presets->setToolTip(tr("Shipped designs: click to open one (Ctrl+1 … Ctrl+9)"));
    m_leftSplitter->addWidget(titled(tr("Presets"), m_presets, this));
    m_leftSplitter->addWidget(titled(tr("Hyperparameters"), panelScroll, this));
    m_leftSplitter->setStretchFactor(1, 3);

    m_tabs->addTab(m_tree, tr("Architecture"));
#ifdef PARAMSCOPE_HAVE_CHART
    auto* chart = new ChartWidget(this);
    m_chart = chart;
    m_tabs->addTab(chart, tr("Growth chart"));
#else
    // TODO(integrator): ui/chartwidget.cpp was not there yet; once it is, CMake defines
    // PARAMSCOPE_HAVE_CHART and the ChartWidget takes this tab (setDesign on every change).
    auto* placeholder = new QLabel(tr("The growth chart appears here."), this);
    placeholder->setAlignment(Qt::AlignCenter);
    m_tabs->addTab(placeholder, tr("Growth chart"));
#endif
    // Memory and compute, beside the chart; it idles while another tab is up.
    m_sizing = new SizingPanel(m_document, this);
    m_tabs->addTab(m_sizing, tr("Sizing"));
#ifdef PARAMSCOPE_HAVE_CHART
    connect(m_sizing, &SizingPanel::chartOptionsChanged, chart,
        [this, chart] { chart->setSizingOptions(m_sizing->chartOptions()); });
    chart->setSizingOptions(m_sizing->chartOptions());
#endif
    auto* editorScroll = new QScrollArea(this);
    editorScroll->setWidget(m_editor);
    editorScroll->setWidgetResizable(true);
    editorScroll->setFrameShape(QFrame::NoFrame);
    m_treeSplitter->addWidget(m_tabs);
    m_treeSplitter->addWidget(titled(tr("Module"), editorScroll, this));
    m_treeSplitter->setStretchFactor(0, 4);
    m_treeSplitter->setStretchFactor(1, 1);

    // Zoom changes fonts, never the window: the summary's long lines are clipped at the right
    // rather than widen the window past the screen.
    m_summary->setSizePolicy(QSizePolicy::Ignored, m_summary->sizePolicy().verticalPolicy());
    // Whole when there is room; scrolled when the window is at its smallest, so that its height
    // (notes, an error, at 300 %) never makes the window taller than the screen.
    m_summaryScroll = new QScrollArea(this);
    m_summaryScroll->setWidget(m_summary);
    m_summaryScroll->setWidgetResizable(true);
    m_summaryScroll->setFrameShape(QFrame::NoFrame);
    m_summaryScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_summaryScroll->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_summary->installEventFilter(this); // its height decides the scroll area's minimum
    auto* right = new QWidget(this);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_summaryScroll);
    rightLayout->addWidget(m_treeSplitter, 1);

    m_mainSplitter->addWidget(m_leftSplitter);
    m_mainSplitter->addWidget(right);
    m_mainSplitter->setStretchFactor(0, 0);
    m_mainSplitter->setStretchFactor(1, 1);
    m_mainSplitter->setSizes({ 440, 1000 });
    m_leftSplitter->setSizes({ 180, 520 });
    m_treeSplitter->setSizes({ 600, 200 });
    setCentralWidget(m_mainSplitter);

    createActions();
    createPresetList();
    m_lecture = new LectureTools(this);
    addHelpMenu(this);
    setWindowIcon(applicationIcon());

    connect(m_document, &Document::resetDone, this, &MainWindow::onDocumentReset);
    connect(m_document, &Document::changed, this, &MainWindow::onDocumentChanged);
    connect(m_document, &Document::filePathChanged, this, &MainWindow::updateTitle);
    connect(m_document->undoStack(), &QUndoStack::cleanChanged, this, &MainWindow::updateTitle);
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this, &MainWindow::onCurrentChanged);

    m_zoomLabel = new QLabel(this);
    m_zoomLabel->setObjectName(QStringLiteral("zoomLevel"));
    m_zoomLabel->setToolTip(tr("Text size (View ▸ Zoom In / Zoom Out, Ctrl+0 for 100 %)"));
    statusBar()->addPermanentWidget(m_zoomLabel);
    updateZoomLabel();
    readSettings();
    statusBar()->showMessage(tr("Open a preset, or drop a design file or a Hugging Face config.json here"));
    updateTitle();
    updateActions();
}

MainWindow::~MainWindow()
{
    // Children go after this destructor; their last signals must not reach a half-destroyed window.
    disconnect(m_tree->selectionModel(), nullptr, this, nullptr);
    disconnect(m_document, nullptr, this, nullptr);
    disconnect(m_document->undoStack(), nullptr, this, nullptr);
}

QAction* MainWindow::action(const QString& objectName) const
{
    return findChild<QAction*>(objectName);
}

void MainWindow::createActions()
{
    // Every action has a shortcut and a tooltip (for the lecture hall: keys, not menus).
    const auto make = [this](const QString& name, const QString& text, const QKeySequence& key, const QString& tip) {
        auto* a = new QAction(text, this);
        a->setObjectName(name);
        a->setShortcut(key);
        a->setToolTip(QStringLiteral("%1 (%2)").arg(tip, key.toString(QKeySequence::NativeText)));
        a->setStatusTip(tip);
        addAction(a);
        return a;
    };

    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = make(QStringLiteral("open"), tr("&Open…"), QKeySequence::Open,
        tr("Open a ParamScope design or a Hugging Face config.json"));
    connect(open, &QAction::triggered, this, &MainWindow::open);
    file->addAction(open);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    m_recentMenu->setToolTipsVisible(true);
    addWeightsActions(this, file, m_weights);
    m_model->setWeightsCheck(m_weights);
    m_summary->setWeightsCheck(m_weights);
    connect(m_weights, &WeightsCheck::attachedChanged, this, [this] { scheduleFitColumns(); });
    file->addSeparator();
    QAction* saveAct = make(QStringLiteral("save"), tr("&Save"), QKeySequence::Save, tr("Save the design file"));
    connect(saveAct, &QAction::triggered, this, &MainWindow::save);
    file->addAction(saveAct);
    QAction* saveAsAct = make(QStringLiteral("saveAs"), tr("Save &As…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S),
        tr("Save the design under a new name"));
    connect(saveAsAct, &QAction::triggered, this, &MainWindow::saveAs);
    file->addAction(saveAsAct);
    QAction* exportAct
        = make(QStringLiteral("exportTable"), tr("&Export Table…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_X),
            tr("Save the counts as CSV, Markdown, JSON or LaTeX for a report or a slide"));
    connect(exportAct, &QAction::triggered, this, &MainWindow::exportTable);
    file->addAction(exportAct);
    file->addSeparator();
    QAction* quit
        = make(QStringLiteral("quit"), tr("&Quit"), QKeySequence(Qt::CTRL | Qt::Key_Q), tr("Close ParamScope"));
    connect(quit, &QAction::triggered, this, &QWidget::close);
    file->addAction(quit);

    QMenu* editMenu = menuBar()->addMenu(tr("&Edit"));
    QAction* undo = m_document->undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setObjectName(QStringLiteral("undo"));
    undo->setShortcut(QKeySequence::Undo);
    undo->setToolTip(
        tr("Undo the last edit or slider drag (%1)").arg(undo->shortcut().toString(QKeySequence::NativeText)));
    QAction* redo = m_document->undoStack()->createRedoAction(this, tr("&Redo"));
    redo->setObjectName(QStringLiteral("redo"));
    redo->setShortcuts({ QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y) });
    redo->setToolTip(tr("Redo (%1)").arg(redo->shortcut().toString(QKeySequence::NativeText)));
    editMenu->addAction(undo);
    editMenu->addAction(redo);
    editMenu->addSeparator();

    QAction* rename
        = make(QStringLiteral("rename"), tr("Re&name"), QKeySequence(Qt::Key_F2), tr("Rename the selected module"));
    connect(rename, &QAction::triggered, this, [this] { m_tree->edit(m_tree->currentIndex().siblingAtColumn(0)); });
    editMenu->addAction(rename);
    QAction* copyRow = make(QStringLiteral("copy"), tr("&Copy"), QKeySequence::Copy,
        tr("Copy the selected module's name, shape, formula and count (tab-separated)"));
    connect(copyRow, &QAction::triggered, this, [this] { copySelected(false); });
    QAction* copyFormula = make(QStringLiteral("copyFormula"), tr("Copy &Formula"),
        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C), tr("Copy the selected module's whole formula"));
    connect(copyFormula, &QAction::triggered, this, [this] { copySelected(true); });
    editMenu->addAction(copyRow);
    editMenu->addAction(copyFormula);
    // The summary's Copy All Notes (on its notes' menu) is an Edit action with a key too.
    if (auto* notes = m_summary->findChild<QAction*>(QStringLiteral("copyNotes"))) {
        notes->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_C));
        notes->setToolTip(
            QStringLiteral("%1 (%2)").arg(notes->toolTip(), notes->shortcut().toString(QKeySequence::NativeText)));
        addAction(notes);
        editMenu->addAction(notes);
    }
    // Right-click on a row: what is read there (a formula elided with "…") can be taken whole.
    m_tree->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_tree->addActions({ copyRow, copyFormula, rename });

    QMenu* add = editMenu->addMenu(tr("&Add Child"));
    add->setToolTipsVisible(true);
    const struct {
        core::ModuleKind kind;
        const char* name;
        Qt::Key key;
    } kinds[] = { { core::ModuleKind::Linear, "Linear", Qt::Key_1 },
        { core::ModuleKind::Embedding, "Embedding", Qt::Key_2 },
        { core::ModuleKind::LayerNorm, "LayerNorm", Qt::Key_3 }, { core::ModuleKind::RMSNorm, "RMSNorm", Qt::Key_4 },
        { core::ModuleKind::Conv2d, "Conv2d", Qt::Key_5 }, { core::ModuleKind::Parameter, "Parameter", Qt::Key_6 },
        { core::ModuleKind::Container, "Container", Qt::Key_7 }, { core::ModuleKind::Conv1d, "Conv1d", Qt::Key_8 } };
    for (const auto& k : kinds) {
        const QString kindName = QString::fromLatin1(k.name);
        QAction* a = make(QStringLiteral("add") + kindName, kindName, QKeySequence(Qt::CTRL | Qt::ALT | k.key),
            tr("Add a %1 inside the selected container").arg(kindName));
        const core::ModuleKind kind = k.kind;
        connect(a, &QAction::triggered, this, [this, kind, kindName] {
            edit(tr("Add %1").arg(kindName), [this, kind](int node, QString* error) {
                int added = -1;
                const bool ok = m_document->applyEdit(
                    tr("Add %1").arg(qs(std::string(core::kindName(kind)))),
                    [&added, node, kind](core::Design& d) -> core::Status {
                        auto r = core::addChildModule(d, node, kind);
                        if (!r)
                            return r.error();
                        added = *r;
                        return core::Ok {};
                    },
                    {}, error);
                if (ok)
                    selectNode(added);
                return ok;
            });
        });
        add->addAction(a);
    }

    const auto nodeEdit = [this](const QString& text, auto fn) {
        return [this, text, fn] {
            edit(text, [this, text, fn](int node, QString* error) {
                int select = node;
                const bool ok = m_document->applyEdit(
                    text, [&](core::Design& d) { return fn(d, node, select); }, {}, error);
                if (ok)
                    selectNode(select);
                return ok;
            });
        };
    };
    QAction* del
        = make(QStringLiteral("delete"), tr("&Delete"), QKeySequence::Delete, tr("Delete the selected module"));
    connect(del, &QAction::triggered, this, nodeEdit(tr("Delete module"), [](core::Design& d, int node, int& select) {
        const core::Module* m = d.nodes()[static_cast<std::size_t>(node)];
        select = m->parent ? m->parent->index : 0;
        return core::removeModule(d, node);
    }));
    QAction* dup = make(QStringLiteral("duplicate"), tr("D&uplicate"), QKeySequence(Qt::CTRL | Qt::Key_D),
        tr("Insert a copy of the selected module after it"));
    connect(dup, &QAction::triggered, this,
        nodeEdit(tr("Duplicate module"), [](core::Design& d, int node, int& select) -> core::Status {
            auto r = core::duplicateModule(d, node);
            if (!r)
                return r.error();
            select = *r;
            return core::Ok {};
        }));
    QAction* up = make(QStringLiteral("moveUp"), tr("Move &Up"), QKeySequence(Qt::CTRL | Qt::Key_Up),
        tr("Move the selected module before its previous sibling"));
    connect(up, &QAction::triggered, this,
        nodeEdit(tr("Move module up"), [](core::Design& d, int node, int& select) -> core::Status {
            auto r = core::moveModule(d, node, -1);
            if (!r)
                return r.error();
            select = *r;
            return core::Ok {};
        }));
    QAction* down = make(QStringLiteral("moveDown"), tr("Move Do&wn"), QKeySequence(Qt::CTRL | Qt::Key_Down),
        tr("Move the selected module after its next sibling"));
    connect(down, &QAction::triggered, this,
        nodeEdit(tr("Move module down"), [](core::Design& d, int node, int& select) -> core::Status {
            auto r = core::moveModule(d, node, 1);
            if (!r)
                return r.error();
            select = *r;
            return core::Ok {};
        }));
    editMenu->addAction(del);
    editMenu->addAction(dup);
    editMenu->addAction(up);
    editMenu->addAction(down);
    editMenu->addSeparator();

    QAction* bias = make(QStringLiteral("toggleBias"), tr("Toggle &Bias"), QKeySequence(Qt::CTRL | Qt::Key_B),
        tr("Add or remove the selected module's bias"));
    connect(bias, &QAction::triggered, this, nodeEdit(tr("Toggle bias"), [](core::Design& d, int node, int&) {
        return core::setBias(d, node, !d.nodes()[static_cast<std::size_t>(node)]->bias);
    }));
    QAction* tie = make(QStringLiteral("toggleTie"), tr("&Tie/Untie LM Head"), QKeySequence(Qt::CTRL | Qt::Key_T),
        tr("Share the output head's weight with the token embedding, or stop sharing it"));
    connect(tie, &QAction::triggered, this, [this] {
        QString error;
        const int head = core::findOutputHead(m_document->design());
        const int node = head >= 0 ? head : currentNode();
        const bool tied = node >= 0 && !m_document->design().nodes()[static_cast<std::size_t>(node)]->tiedTo.empty();
        if (!m_document->applyEdit(
                tied ? tr("Untie LM head") : tr("Tie LM head"),
                [node](core::Design& d) { return core::toggleTie(d, node); }, {}, &error))
            showError(tr("Cannot tie"), error);
        else
            selectNode(node);
    });
    // The three switches act on the selected module when it is one of theirs, else on every one.
    using Switch = core::Status (*)(core::Design&, int);
    const auto makeSwitch
        = [this, &make](const QString& name, const QString& text, const QKeySequence& key, const QString& tip,
              const QString& undoText, const QString& failure, bool (*applies)(const core::Module&), Switch run) {
              QAction* a = make(name, text, key, tip);
              connect(a, &QAction::triggered, this, [this, undoText, failure, applies, run] {
                  QString error;
                  const int node = currentNode();
                  const auto* m = node >= 0 ? m_document->design().nodes()[static_cast<std::size_t>(node)] : nullptr;
                  const int target = m && applies(*m) ? node : -1;
                  if (!m_document->applyEdit(
                          undoText, [run, target](core::Design& d) { return run(d, target); }, {}, &error))
                      showError(failure, error);
              });
              return a;
          };
    QAction* norm = makeSwitch(
        QStringLiteral("switchNorm"), tr("LayerNorm ↔ &RMSNorm"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N),
        tr("Switch every norm (or the selected one) between LayerNorm and RMSNorm"), tr("Switch LayerNorm ↔ RMSNorm"),
        tr("Cannot switch norms"),
        [](const core::Module& m) {
            return m.kind == core::ModuleKind::LayerNorm || m.kind == core::ModuleKind::RMSNorm;
        },
        &core::switchNorm);
    QAction* mlp = makeSwitch(
        QStringLiteral("switchMlp"), tr("MLP ↔ &Gated MLP"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_G),
        tr("Switch every MLP (or the selected one) between a plain and a gated MLP"), tr("Switch MLP ↔ gated MLP"),
        tr("Cannot switch the MLP"), [](const core::Module& m) { return m.role == "mlp" && !m.isLeaf(); },
        &core::switchMlp);
    QAction* attn = makeSwitch(
        QStringLiteral("switchAttention"), tr("MHA ↔ G&QA"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A),
        tr("Switch attention between multi-head and grouped-query (K key/value heads)"), tr("Switch MHA ↔ GQA"),
        tr("Cannot switch attention"), [](const core::Module& m) { return m.role == "attention" && !m.isLeaf(); },
        &core::switchAttention);
    editMenu->addAction(bias);
    editMenu->addAction(tie);
    editMenu->addAction(norm);
    editMenu->addAction(mlp);
    editMenu->addAction(attn);
    QAction* repeat = make(QStringLiteral("editRepeat"), tr("Edit &Repeat Count"), QKeySequence(Qt::CTRL | Qt::Key_R),
        tr("Change how many copies of the selected block there are"));
    connect(repeat, &QAction::triggered, this, [this] {
        m_editor->repeatEdit()->setFocus();
        m_editor->repeatEdit()->selectAll();
    });
    editMenu->addAction(repeat);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->setObjectName(QStringLiteral("viewMenu"));
    QAction* zoomIn = make(QStringLiteral("zoomIn"), tr("Zoom &In"), QKeySequence(Qt::CTRL | Qt::Key_Equal),
        tr("Larger text, for a projector"));
    zoomIn->setShortcuts({ QKeySequence(Qt::CTRL | Qt::Key_Equal), QKeySequence(Qt::CTRL | Qt::Key_Plus) });
    connect(zoomIn, &QAction::triggered, this, [this] { setZoom(nextZoom(m_zoom, 1)); });
    QAction* zoomOut
        = make(QStringLiteral("zoomOut"), tr("Zoom &Out"), QKeySequence(Qt::CTRL | Qt::Key_Minus), tr("Smaller text"));
    connect(zoomOut, &QAction::triggered, this, [this] { setZoom(nextZoom(m_zoom, -1)); });
    QAction* zoomReset = make(QStringLiteral("zoomReset"), tr("&Actual Size"), QKeySequence(Qt::CTRL | Qt::Key_0),
        tr("Text at the system size"));
    connect(zoomReset, &QAction::triggered, this, [this] { setZoom(1.0); });
    QAction* expand = make(QStringLiteral("expandAll"), tr("&Expand All"), QKeySequence(Qt::CTRL | Qt::Key_E),
        tr("Open every module of the tree"));
    connect(expand, &QAction::triggered, m_tree, &QTreeView::expandAll);
    QAction* collapse = make(QStringLiteral("collapseAll"), tr("&Collapse All"),
        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E), tr("Close the tree down to the model"));
    connect(collapse, &QAction::triggered, this, [this] {
        m_tree->collapseAll();
        m_tree->expandToDepth(0);
    });
    QAction* chartTab = make(QStringLiteral("showChart"), tr("&Chart / Tree"), QKeySequence(Qt::CTRL | Qt::Key_J),
        tr("Switch between the architecture tree and the growth chart"));
    connect(
        chartTab, &QAction::triggered, this, [this] { m_tabs->setCurrentIndex(m_tabs->currentIndex() == 1 ? 0 : 1); });
    QAction* sizingTab = make(QStringLiteral("showSizing"), tr("&Sizing"), QKeySequence(Qt::CTRL | Qt::Key_M),
        tr("Show memory and compute: weights, KV cache, training, FLOPs, what fits on a device"));
    connect(sizingTab, &QAction::triggered, this, &MainWindow::showSizing);
    for (QAction* a : { zoomIn, zoomOut, zoomReset })
        view->addAction(a);
    view->addSeparator();
    for (QAction* a : { expand, collapse, chartTab, sizingTab })
        view->addAction(a);

    QToolBar* tools = addToolBar(tr("Edit"));
    tools->setObjectName(QStringLiteral("editToolBar"));
    tools->setToolButtonStyle(Qt::ToolButtonTextOnly);
    for (QAction* a : { open, saveAct, undo, redo })
        tools->addAction(a);
    tools->addSeparator();
    for (QAction* a : { dup, del, up, down, bias, tie, norm, mlp, attn })
        tools->addAction(a);
    for (QMenu* m : { file, editMenu, view })
        m->setToolTipsVisible(true);
}

void MainWindow::createPresetList()
{
    QMenu* menu = menuBar()->addMenu(tr("&Presets"));
    menu->setToolTipsVisible(true);
    int n = 0;
    for (const core::Preset& p : core::presets()) {
        const QString name = qs(std::string(p.name));
        QString label = name;
        QString tip = name;
        if (auto d = core::loadText(p.json, "preset " + std::string(p.name)); d) {
            if (auto e = core::evaluate(*d); e)
                label = QStringLiteral("%1 — %2").arg(qs(d->name), qs(core::compactCount(e->total)));
            tip = qs(d->source);
        }
        auto* item = new QListWidgetItem(label, m_presets);
        item->setData(Qt::UserRole, name);
        item->setToolTip(tip);
        auto* a = new QAction(label, this);
        a->setObjectName(QStringLiteral("preset_") + name);
        if (n < 27) // Ctrl+1 … Ctrl+9, then Alt+1 … Alt+9, then Alt+Shift+1 … Alt+Shift+9
            a->setShortcut(QKeySequence((n < 9           ? Qt::CTRL
                                                : n < 18 ? Qt::ALT
                                                         : Qt::ALT | Qt::SHIFT)
                | static_cast<Qt::Key>(Qt::Key_1 + n % 9)));
        a->setToolTip(QStringLiteral("%1 (%2)").arg(tip, a->shortcut().toString(QKeySequence::NativeText)));
        connect(a, &QAction::triggered, this, [this, name] {
            QString error;
            if (!openSource(name, &error) && !error.isEmpty())
                showError(tr("Cannot open %1").arg(name), error);
        });
        menu->addAction(a);
        addAction(a);
        ++n;
    }
    connect(m_presets, &QListWidget::itemActivated, this, [this](QListWidgetItem* item) {
        QString error;
        if (!openSource(item->data(Qt::UserRole).toString(), &error) && !error.isEmpty())
            showError(tr("Cannot open"), error);
    });
    connect(m_presets, &QListWidget::itemClicked, m_presets, &QListWidget::itemActivated);
}

bool MainWindow::openSource(const QString& source, QString* error, bool ask, const core::LoadOptions& load)
{
    if (ask && !maybeSave())
        return false;
    // The core reports bad input as values; should anything still throw (memory), say so
    // instead of aborting the app with unsaved work in it.
    auto design = [&]() -> core::Result<core::Design> {
        try {
            return core::loadSource(source.toStdString(), load);
        } catch (const std::exception& e) {
            return core::Error { source.toStdString(), std::string("cannot be loaded: ") + e.what() };
        }
    }();
    if (!design) {
        if (error)
            *error = qs(design.error().text());
        return false;
    }
    const bool isPreset = core::findPreset(source.toStdString()) && !QFileInfo::exists(source);
    const QString path = isPreset ? QString() : QFileInfo(source).absoluteFilePath();
    // Only a ParamScope design file is saved back to where it came from.
    const bool isDesignFile = !isPreset && QFileInfo(source).isFile() && [&] {
        auto text = core::readFile(source.toStdString());
        return text && text->find("paramscope-design") != std::string::npos;
    }();
    if (auto st = m_document->load(std::move(*design), isDesignFile ? path : QString()); !st) {
        if (error)
            *error = qs(st.error().text());
        return false;
    }
    if (!isPreset)
        addRecentFile(path);
    m_sourcePath = path;
    updateTitle();
    // The list shows which preset is open, and none while a file is.
    const QSignalBlocker blocker(m_presets);
    m_presets->setCurrentRow(-1);
    m_presets->clearSelection();
    for (int i = 0; i < m_presets->count(); ++i)
        if (isPreset && m_presets->item(i)->data(Qt::UserRole).toString() == source)
            m_presets->setCurrentRow(i);
    statusBar()->showMessage(tr("Opened %1").arg(isPreset ? source : QDir::toNativeSeparators(path)), 5000);
    return true;
}

bool MainWindow::applySetting(const QString& setting, QString* error)
{
    auto parsed = core::parseSetting(setting.toStdString());
    if (!parsed) {
        if (error)
            *error = qs(parsed.error().text());
        return false;
    }
    const auto [name, value] = *parsed;
    const core::Design& d = m_document->design();
    const core::Symbol* s = d.symbol(name);
    if (!s)
        for (const auto& sym : d.symbols)
            if (sym.field == name)
                s = &sym;
    if (s && !s->isDerived()) {
        m_document->pushValue(s->name, value);
        return true;
    }
    return m_document->applyEdit(
        tr("Set %1").arg(setting),
        [name, value](core::Design& design) { return core::applySetting(design, name, value); },
        QStringLiteral("symbol:") + qs(name), error);
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_summary && (event->type() == QEvent::LayoutRequest || event->type() == QEvent::Resize)) {
        // The summary whole, up to a quarter of the screen's height; beyond that it scrolls.
        const int width = m_summaryScroll->viewport()->width();
        const int whole
            = m_summary->hasHeightForWidth() ? m_summary->heightForWidth(width) : m_summary->sizeHint().height();
        const int cap = screen() ? screen()->availableGeometry().height() / 4 : 270;
        const int least = std::min(whole, cap);
        if (m_summaryScroll->minimumHeight() != least)
            m_summaryScroll->setMinimumHeight(least);
    }
    return QMainWindow::eventFilter(watched, event);
}

bool MainWindow::saveScreenshot(const QString& file, QSize size, double zoom, QString* error)
{
    m_headless = true; // no dialogs, no settings written
    resize(size);
    setZoom(zoom);
    show();
    QApplication::processEvents();
    // Column widths as a person would leave them: fit the contents once laid out.
    fitColumns();
    // Coalesced updates run now rather than after a wait: the chart's throttled rebuild, then the
    // posted events (its queued replot, deferred column fits).
    QApplication::processEvents();
#ifdef PARAMSCOPE_HAVE_CHART
    // A rebuild can resize what is around the chart (its status line, its details button), which
    // asks for another: lay the window out, then rebuild while one is asked for, a few rounds at most.
    auto* chart = static_cast<ChartWidget*>(m_chart);
    for (int round = 0; round < 4; ++round) {
        QApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
        QApplication::processEvents();
        if (!chart->rebuildPending())
            break;
        chart->flush();
    }
#else
    QApplication::processEvents();
#endif
    m_tree->doItemsLayout();
    const QPixmap pixmap = grab();
    if (!pixmap.save(file, "PNG")) {
        if (error)
            *error = tr("cannot write %1").arg(file);
        return false;
    }
    return true;
}

void MainWindow::setZoom(double factor)
{
    m_zoom = std::clamp(factor, kMinZoom, kMaxZoom);
    QFont f = m_baseFont;
    f.setPointSizeF(m_baseFont.pointSizeF() * m_zoom);
    if (f != QApplication::font())
        QApplication::setFont(f);
    // Indent by the text's size: deep trees (Gemma's vision tower) keep room for their names at
    // 100 %, and the levels stay apart when zoomed.
    m_tree->setIndentation(std::max(12, qRound(QFontMetrics(f).height() * 0.85)));
    if (!m_headless)
        settings::zoom.setValue(m_zoom);
    balanceColumns();
    // Again once the font change has reached every widget (it is posted): the panel's needs are
    // measured in the new font only then.
    QTimer::singleShot(0, this, &MainWindow::balanceColumns);
    scheduleFitColumns();
    updateZoomLabel();
}

void MainWindow::updateZoomLabel()
{
    m_zoomLabel->setText(tr("Zoom %1 %").arg(qRound(m_zoom * 100)));
}

int MainWindow::panelWidthNeeded() const
{
    // The sliders and spin boxes, plus the scroll bar.
    return m_panel->minimumSizeHint().width() + style()->pixelMetric(QStyle::PM_ScrollBarExtent) + 16;
}

void MainWindow::keepPanelWhole()
{
    // A minimum the splitter respects, whatever state it restored or the user dragged: the spin
    // boxes (where values are read and errors shown) are never cut off. The panel's rows depend on
    // the design and its font on the zoom, so this follows both.
    // Zoomed so far that the panel would take more than half the window, it scrolls instead:
    // the window itself never grows with the zoom.
    const int need = std::min(panelWidthNeeded(), width() / 2);
    if (m_leftSplitter->minimumWidth() == need)
        return;
    m_leftSplitter->setMinimumWidth(need);
    scheduleFitColumns(); // the tree may have lost width to the panel
}

void MainWindow::balanceColumns()
{
    // The left column grows with the text, up to a third of the window: the tree and its
    // formulas matter more than the sliders when zoomed for a projector.
    const int total = width(); // the splitter may not be laid out yet
    keepPanelWhole();
    const int need = m_leftSplitter->minimumWidth();
    // From 200 % on, a quarter: at 300 % a third left the formulas a few letters wide.
    const int share = m_zoom >= 2.0 ? total / 4 : total / 3;
    const int left
        = std::min(total / 2, std::max(need, std::min(share, static_cast<int>(420 * std::max(1.0, m_zoom)))));
    m_mainSplitter->setSizes({ left, std::max(100, total - left) });
}

void MainWindow::showChart(bool chart)
{
    m_tabs->setCurrentIndex(chart ? 1 : 0);
}

void MainWindow::showSizing()
{
    m_tabs->setCurrentWidget(m_sizing);
}

bool MainWindow::selectPath(const QString& path)
{
    const core::Module* m = m_document->design().find(path.toStdString());
    // Layer indices too ("transformer.h.0.attn"), as paramscope-cli explain takes them.
    if (!m && m_document->countsValid()
        && m_document->evaluation().nodes.size() == m_document->design().nodes().size()) {
        const core::CountedRef counted { m_document->design(), m_document->evaluation(), m_document->formulas() };
        const auto found = core::resolvePath(counted, path.toStdString());
        m = found ? found->module : nullptr;
    }
    if (!m)
        return false;
    selectNode(m->index);
    return true;
}

QString MainWindow::selectedText(bool formulaOnly) const
{
    const QModelIndex current = m_tree->currentIndex();
    const core::Module* m = m_model->moduleFromIndex(current);
    if (!m)
        return {};
    const auto column = [&](int c) { return current.siblingAtColumn(c).data().toString(); };
    const QString formula = column(ArchitectureModel::FormulaColumn);
    if (formulaOnly)
        return formula;
    const std::string path = core::Design::path(*m);
    return QStringList { path.empty() ? qs(m->type) : qs(path), column(ArchitectureModel::ShapeColumn), formula,
        column(ArchitectureModel::ParametersColumn) }
        .join(QLatin1Char('\t'));
}

void MainWindow::copySelected(bool formulaOnly)
{
    const QString text = selectedText(formulaOnly);
    if (text.isEmpty()) {
        statusBar()->showMessage(tr("Select a module first"), 3000);
        return;
    }
    QGuiApplication::clipboard()->setText(text);
    statusBar()->showMessage(tr("Copied %1").arg(text.section(QLatin1Char('\t'), 0, 0)), 3000);
}

int MainWindow::currentNode() const
{
    const core::Module* m = m_model->moduleFromIndex(m_tree->currentIndex());
    return m ? m->index : -1;
}

void MainWindow::selectNode(int node)
{
    const QModelIndex index = m_model->indexOfNode(node);
    if (!index.isValid())
        return;
    m_tree->setCurrentIndex(index);
    m_tree->scrollTo(index);
    m_editor->setNode(node);
}

void MainWindow::edit(const QString& text, const std::function<bool(int, QString*)>& run)
{
    const int node = currentNode();
    if (node < 0) {
        statusBar()->showMessage(tr("Select a module first"), 3000);
        return;
    }
    QString error;
    if (!run(node, &error))
        showError(tr("Cannot %1").arg(text.toLower()), error);
}

void MainWindow::showError(const QString& title, const QString& message)
{
    if (m_headless || message.isEmpty()) {
        statusBar()->showMessage(message, 5000);
        return;
    }
    QMessageBox::warning(this, title, message);
}

void MainWindow::onCurrentChanged()
{
    m_editor->setNode(currentNode());
    updateActions();
}

void MainWindow::onDocumentReset()
{
    // After the panel has rebuilt its rows for the new design.
    QTimer::singleShot(0, this, &MainWindow::keepPanelWhole);
    m_tree->collapseAll();
    if (m_document->design().nodes().size() <= 48)
        m_tree->expandAll();
    else
        m_tree->expandToDepth(3);
    fitColumns();
    scheduleFitColumns(); // again once the expanded rows are laid out
    selectNode(0);
    updateTitle();
}

void MainWindow::onDocumentChanged()
{
    // New values can be wider (E = 1024 widens every shape): columns grow, never shrink, so a
    // width the user chose stays.
    if (!m_growPending) {
        m_growPending = true;
        QTimer::singleShot(0, this, [this] {
            m_growPending = false;
            keepPanelWhole(); // L = 10^12 needs a wider spin box
            fitColumns(true);
        });
    }
    // After a structural edit the persistent current index was remapped: follow it.
    if (m_editor->node() != currentNode())
        m_editor->setNode(currentNode());
    updateActions();
#ifdef PARAMSCOPE_HAVE_CHART
    static_cast<ChartWidget*>(m_chart)->setDesign(m_document->design());
#endif
}

static_assert(ArchitectureModel::ColumnCount == 5, "fittedWidths() returns one width per column");

std::array<int, 5> MainWindow::fittedWidths() const
{
    // What the back row reads is the formula and the count. Numbers fit exactly; names get what
    // they need up to a third of the width; the formula gets what it needs; the shape (whole in
    // the tooltip) takes what is left, at least two fifths of it, since a root formula can be
    // longer than any screen (Gemma 3's). The formula column stretches, so it takes any width
    // still free and is elided only when it must be.
    const int viewport = m_tree->viewport()->width();
    const int available = viewport > 200 ? viewport : std::max(400, m_tree->width() - 20); // not laid out yet
    const auto contents = [this](int column) {
        // QTreeView's override is protected; the public virtual of the base class reaches it.
        const QAbstractItemView* view = m_tree;
        return std::max(view->sizeHintForColumn(column), m_tree->header()->sectionSizeHint(column));
    };
    std::array<int, 5> w {};
    w[ArchitectureModel::ParametersColumn] = contents(ArchitectureModel::ParametersColumn);
    w[ArchitectureModel::ShareColumn] = contents(ArchitectureModel::ShareColumn);
    w[ArchitectureModel::ModuleColumn] = std::min(contents(ArchitectureModel::ModuleColumn), available / 3);
    // The Stored column, while weights are attached, fits exactly too (fitColumns() sets it).
    const int stored
        = m_model->columnCount() > ArchitectureModel::StoredColumn ? contents(ArchitectureModel::StoredColumn) : 0;
    const int rest = std::max(0,
        available - w[ArchitectureModel::ModuleColumn] - w[ArchitectureModel::ParametersColumn]
            - w[ArchitectureModel::ShareColumn] - stored);
    w[ArchitectureModel::FormulaColumn] = contents(ArchitectureModel::FormulaColumn);
    // A container's formula sums its children's and can be longer than any screen (Llama's root
    // at 175 %); giving it the width would cut every leaf's shape while most formulas leave
    // space. The shape gives way only to the leaves' formulas; a longer one is elided, whole in
    // its tooltip and by Edit ▸ Copy Formula.
    w[ArchitectureModel::ShapeColumn]
        = std::min(contents(ArchitectureModel::ShapeColumn), std::max(rest - leafFormulaWidth(), rest * 2 / 5));
    return w;
}

int MainWindow::leafFormulaWidth() const
{
    // The rows shown, as sizeHintForColumn() measures them, bounded for a huge expanded tree.
    int widest = 0;
    int rows = 0;
    const int margin = 2 * (m_tree->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, m_tree) + 1) + 4;
    for (QModelIndex i = m_model->index(0, ArchitectureModel::FormulaColumn); i.isValid() && rows < 4000;
         i = m_tree->indexBelow(i), ++rows) {
        if (m_model->rowCount(i.siblingAtColumn(0)) > 0)
            continue;
        const QFontMetrics fm(i.data(Qt::FontRole).value<QFont>());
        widest = std::max(widest, fm.horizontalAdvance(i.data().toString()) + margin);
    }
    return widest;
}

void MainWindow::fitColumns(bool growOnly)
{
    const auto widths = fittedWidths();
    for (int c = 0; c < ArchitectureModel::ColumnCount; ++c)
        if (c != ArchitectureModel::FormulaColumn && (!growOnly || widths[c] > m_tree->columnWidth(c)))
            m_tree->setColumnWidth(c, widths[c]);
    if (m_model->columnCount() > ArchitectureModel::StoredColumn)
        m_tree->resizeColumnToContents(ArchitectureModel::StoredColumn);
}

void MainWindow::scheduleFitColumns()
{
    // After a font or size change the views re-measure first; fit once that has settled.
    if (!m_fitPending) {
        m_fitPending = true;
        QTimer::singleShot(0, this, [this] {
            m_fitPending = false;
            m_tree->doItemsLayout();
            fitColumns();
        });
    }
}

void MainWindow::updateTitle()
{
    // The file the design is saved to, else the file or folder it was read from.
    const QString path = m_document->filePath().isEmpty() ? m_sourcePath : m_document->filePath();
    setWindowFilePath(path);
    const QString name = m_document->displayName();
    const QString file = QFileInfo(path).fileName();
    setWindowTitle(file.isEmpty() || file == name ? tr("%1[*] — ParamScope").arg(name)
                                                  : tr("%1[*] — %2 — ParamScope").arg(name, file));
    setWindowModified(!m_document->undoStack()->isClean());
}

void MainWindow::updateActions()
{
    const int node = currentNode();
    const core::Design& d = m_document->design();
    const core::Module* m = node >= 0 ? d.nodes()[static_cast<std::size_t>(node)] : nullptr;
    const bool child = m && m->parent;
    for (const char* name :
        { "addLinear", "addEmbedding", "addLayerNorm", "addRMSNorm", "addConv2d", "addParameter", "addContainer" })
        action(QString::fromLatin1(name))->setEnabled(m && !m->isLeaf());
    action(QStringLiteral("delete"))->setEnabled(child);
    action(QStringLiteral("duplicate"))->setEnabled(child);
    action(QStringLiteral("rename"))->setEnabled(child && !m->name.empty());
    action(QStringLiteral("moveUp"))->setEnabled(child && m->parent->children.front().get() != m);
    action(QStringLiteral("moveDown"))->setEnabled(child && m->parent->children.back().get() != m);
    action(QStringLiteral("toggleBias"))->setEnabled(m && core::hasBiasSwitch(m->kind));
    const int head = core::findOutputHead(d);
    QAction* tie = action(QStringLiteral("toggleTie"));
    tie->setEnabled(head >= 0);
    tie->setText(head >= 0 && !d.nodes()[static_cast<std::size_t>(head)]->tiedTo.empty() ? tr("Untie LM Head")
                                                                                         : tr("Tie LM Head"));
}

bool MainWindow::maybeSave()
{
    if (m_document->undoStack()->isClean() || m_headless)
        return true;
    const auto answer = QMessageBox::warning(this, tr("Unsaved changes"),
        tr("%1 has unsaved edits. Save them first?").arg(m_document->displayName()),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
    if (answer == QMessageBox::Save)
        return save();
    return answer == QMessageBox::Discard;
}

bool MainWindow::save()
{
    if (m_document->filePath().isEmpty())
        return saveAs();
    QString error;
    if (!m_document->save(m_document->filePath(), &error)) {
        showError(tr("Cannot save"), error);
        return false;
    }
    statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(m_document->filePath())), 5000);
    return true;
}

bool MainWindow::saveAs()
{
    QString dir = settings::lastDirectory.value();
    QString name
        = m_document->displayName().toLower().replace(QLatin1Char(' '), QLatin1Char('-')) + QStringLiteral(".json");
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save Design"), QDir(dir).filePath(name), tr("ParamScope designs (*.json)"));
    if (path.isEmpty())
        return false;
    QString error;
    if (!m_document->save(path, &error)) {
        showError(tr("Cannot save"), error);
        return false;
    }
    settings::lastDirectory.setValue(QFileInfo(path).absolutePath());
    addRecentFile(path);
    statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)), 5000);
    return true;
}

void MainWindow::exportTable()
{
    const QString name = m_document->displayName().toLower().replace(QLatin1Char(' '), QLatin1Char('-'));
    QString filter = tr("CSV (*.csv)");
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Table"),
        QDir(settings::lastDirectory.value()).filePath(name + QStringLiteral(".csv")),
        tr("CSV (*.csv);;Markdown (*.md);;LaTeX booktabs (*.tex);;JSON (*.json);;Text (*.txt)"), &filter);
    if (path.isEmpty())
        return;
    QString error;
    if (!m_document->exportTable(path, &error)) {
        showError(tr("Cannot export the table"), error);
        return;
    }
    statusBar()->showMessage(tr("Exported %1").arg(QDir::toNativeSeparators(path)), 5000);
}

void MainWindow::open()
{
    if (!maybeSave())
        return;
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Design or config.json"),
        settings::lastDirectory.value(), tr("Designs and Hugging Face configs (*.json);;All files (*)"));
    if (path.isEmpty())
        return;
    settings::lastDirectory.setValue(QFileInfo(path).absolutePath());
    QString error;
    if (!openSource(path, &error, false))
        showError(tr("Cannot open %1").arg(QFileInfo(path).fileName()), error);
}

void MainWindow::addRecentFile(const QString& path)
{
    if (path.isEmpty() || m_headless)
        return;
    QStringList files = settings::recentFiles.value();
    files.removeAll(path);
    files.prepend(path);
    while (files.size() > settings::kMaxRecentFiles)
        files.removeLast();
    settings::recentFiles.setValue(files);
    updateRecentMenu();
}

void MainWindow::updateRecentMenu()
{
    m_recentMenu->clear();
    const QStringList files = settings::recentFiles.value();
    int n = 0;
    for (const QString& f : files) {
        QAction* a = m_recentMenu->addAction(QStringLiteral("&%1 %2").arg(++n).arg(QFileInfo(f).fileName()));
        a->setToolTip(QDir::toNativeSeparators(f));
        a->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::SHIFT | static_cast<Qt::Key>(Qt::Key_0 + n)));
        connect(a, &QAction::triggered, this, [this, f] {
            QString error;
            if (!openSource(f, &error) && !error.isEmpty())
                showError(tr("Cannot open %1").arg(QFileInfo(f).fileName()), error);
        });
    }
    m_recentMenu->setEnabled(!files.isEmpty());
}

void MainWindow::readSettings()
{
    if (const QByteArray g = settings::windowGeometry.value(); !g.isEmpty())
        restoreGeometry(g);
    else
        resize(1440, 900);
    if (const QByteArray s = settings::windowState.value(); !s.isEmpty())
        restoreState(s);
    if (const QByteArray s = settings::mainSplitter.value(); !s.isEmpty())
        m_mainSplitter->restoreState(s);
    if (const QByteArray s = settings::leftSplitter.value(); !s.isEmpty())
        m_leftSplitter->restoreState(s);
    if (const QByteArray s = settings::treeSplitter.value(); !s.isEmpty())
        m_treeSplitter->restoreState(s);
    if (const double z = settings::zoom.value(); z != 1.0)
        setZoom(z);
    updateRecentMenu();
}

void MainWindow::writeSettings()
{
    settings::windowGeometry.setValue(saveGeometry());
    settings::windowState.setValue(saveState());
    settings::mainSplitter.setValue(m_mainSplitter->saveState());
    settings::leftSplitter.setValue(m_leftSplitter->saveState());
    settings::treeSplitter.setValue(m_treeSplitter->saveState());
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    if (!m_headless)
        writeSettings();
    event->accept();
}

void MainWindow::showEvent(QShowEvent* event)
{
    QMainWindow::showEvent(event);
    // The first fit ran before the window had its size.
    if (!event->spontaneous()) {
        scheduleFitColumns();
        // A preset opened from the command line, before the list had its size.
        if (QListWidgetItem* item = m_presets->currentItem())
            m_presets->scrollToItem(item);
    }
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls() && !event->mimeData()->urls().isEmpty()
        && event->mimeData()->urls().front().isLocalFile())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const QString path = event->mimeData()->urls().front().toLocalFile();
    event->acceptProposedAction();
    QString error;
    if (!openSource(path, &error) && !error.isEmpty())
        showError(tr("Cannot open %1").arg(QFileInfo(path).fileName()), error);
}

} // namespace paramscope::ui
