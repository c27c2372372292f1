// SPDX-License-Identifier: MIT
#include "architecturemodel.h"
#include "document.h"
#include "evaluate.h"
#include "hyperparameterpanel.h"
#include "mainwindow.h"
#include "moduleeditor.h"
#include "report.h"
#include "source.h"
#include "summarywidget.h"

#include <QAction>
#include <QLineEdit>
#include <QSlider>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <QUndoStack>

using namespace paramscope;
using ui::ArchitectureModel;
using ui::MainWindow;

class TestMainWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void sliderChangesCounts();
    void sliderDragIsOneUndoStep();
    void invalidValueShowsMessageAndKeepsCounts();
    void expressionValidatedAsYouType();
    void editUndoSaveReopen();
    void zoomScalesFonts();
    void screenshot();
};

namespace {

/// The total core gives for @p source with @p symbol = @p value.
core::Count coreTotal(const char* source, const char* symbol, core::Count value)
{
    auto d = core::loadSource(source);
    d->setValue(symbol, value);
    d->compile();
    return core::evaluate(*d)->total;
}

QString rootCount(MainWindow& w)
{
    return w.model()->index(0, ArchitectureModel::ParametersColumn).data().toString();
}

} // namespace

void TestMainWindow::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("ParamScopeTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
}

void TestMainWindow::sliderChangesCounts()
{
    MainWindow w;
    QVERIFY(w.openSource(QStringLiteral("gpt2"), nullptr, false));
    w.show();
    QSlider* slider = w.hyperparameterPanel()->slider(QStringLiteral("E"));
    QSpinBox* spin = w.hyperparameterPanel()->spinBox(QStringLiteral("E"));
    QVERIFY(slider && spin);
    QCOMPARE(spin->value(), 768);
    QCOMPARE(rootCount(w), QStringLiteral("124,439,808"));
    slider->setFocus();
    QTest::keyClick(slider, Qt::Key_Right);
    const int e = spin->value();
    QVERIFY(e > 768);
    QCOMPARE(e % 12, 0);
    const core::Count expected = coreTotal("gpt2", "E", e);
    QCOMPARE(rootCount(w), QString::fromStdString(core::groupDigits(expected)));
    QCOMPARE(w.summary()->totalText(), QString::fromStdString(core::groupDigits(expected)));
    // L too: the repeated block follows.
    QSlider* l = w.hyperparameterPanel()->slider(QStringLiteral("L"));
    l->setFocus();
    QTest::keyClick(l, Qt::Key_Right);
    QCOMPARE(w.hyperparameterPanel()->spinBox(QStringLiteral("L"))->value(), 13);
    auto d = core::loadSource("gpt2");
    d->setValue("E", e);
    d->setValue("L", 13);
    d->compile();
    QCOMPARE(rootCount(w), QString::fromStdString(core::groupDigits(core::evaluate(*d)->total)));
}

void TestMainWindow::sliderDragIsOneUndoStep()
{
    MainWindow w;
    QVERIFY(w.openSource(QStringLiteral("gpt2"), nullptr, false));
    w.show();
    QSlider* slider = w.hyperparameterPanel()->slider(QStringLiteral("E"));
    const QPersistentModelIndex current = w.treeView()->currentIndex();
    const int start = slider->value();
    slider->setSliderDown(true); // as a mouse press on the handle does
    for (int step = 1; step <= 5; ++step)
        slider->setValue(start + step);
    slider->setSliderDown(false);
    QCOMPARE(w.document()->undoStack()->count(), 1);
    const int e = w.hyperparameterPanel()->spinBox(QStringLiteral("E"))->value();
    QCOMPARE(rootCount(w), QString::fromStdString(core::groupDigits(coreTotal("gpt2", "E", e))));
    QCOMPARE(QPersistentModelIndex(w.treeView()->currentIndex()), current); // selection kept
    w.action(QStringLiteral("undo"))->trigger();
    QCOMPARE(w.hyperparameterPanel()->spinBox(QStringLiteral("E"))->value(), 768);
    QCOMPARE(rootCount(w), QStringLiteral("124,439,808"));
    w.action(QStringLiteral("redo"))->trigger();
    QCOMPARE(w.hyperparameterPanel()->spinBox(QStringLiteral("E"))->value(), e);
    QVERIFY(w.isWindowModified());
}

void TestMainWindow::invalidValueShowsMessageAndKeepsCounts()
{
    MainWindow w;
    QVERIFY(w.openSource(QStringLiteral("gpt2"), nullptr, false));
    w.show();
    QSpinBox* spin = w.hyperparameterPanel()->spinBox(QStringLiteral("E"));
    spin->setValue(770); // 770 / 12 is not whole
    QVERIFY(!w.hyperparameterPanel()->errorText(QStringLiteral("E")).isEmpty());
    QVERIFY(w.summary()->errorText().contains(QStringLiteral("last valid")));
    QCOMPARE(rootCount(w), QStringLiteral("124,439,808"));
    QCOMPARE(w.summary()->totalText(), QStringLiteral("124,439,808"));
    spin->setValue(780);
    QVERIFY(w.hyperparameterPanel()->errorText(QStringLiteral("E")).isEmpty());
    QVERIFY(w.summary()->errorText().isEmpty());
    QCOMPARE(rootCount(w), QString::fromStdString(core::groupDigits(coreTotal("gpt2", "E", 780))));
}

void TestMainWindow::expressionValidatedAsYouType()
{
    MainWindow w;
    QVERIFY(w.openSource(QStringLiteral("gpt2"), nullptr, false));
    w.show();
    QVERIFY(w.selectPath(QStringLiteral("transformer.h.*.mlp.c_fc")));
    QLineEdit* nf = w.moduleEditor()->argumentEdit(0);
    QCOMPARE(nf->text(), QStringLiteral("F"));
    nf->setFocus();
    nf->selectAll();
    QTest::keyClicks(nf, QStringLiteral("3*E+"));
    QVERIFY(!w.moduleEditor()->message().isEmpty());
    QCOMPARE(w.document()->undoStack()->count(), 0);
    QTest::keyClick(nf, Qt::Key_Return); // refused: nothing applied
    QCOMPARE(w.document()->undoStack()->count(), 0);
    QTest::keyClicks(nf, QStringLiteral("Q"));
    QVERIFY(w.moduleEditor()->message().contains(QStringLiteral("Q")));
    nf->selectAll();
    QTest::keyClicks(nf, QStringLiteral("2*F"));
    QVERIFY(w.moduleEditor()->message().isEmpty());
    QTest::keyClick(nf, Qt::Key_Return);
    QCOMPARE(w.document()->undoStack()->count(), 1);
    QCOMPARE(w.document()->evaluation().total,
        124439808 + 12LL * (3072 * 768 + 3072)); // c_fc doubles in each of the 12 blocks
}

void TestMainWindow::editUndoSaveReopen()
{
    MainWindow w;
    QVERIFY(w.openSource(QStringLiteral("gpt2"), nullptr, false));
    w.show();
    QVERIFY(w.selectPath(QStringLiteral("transformer.h.*.attn")));
    w.action(QStringLiteral("addLinear"))->trigger();
    const core::Count withLinear = 124439808 + 12LL * 768 * 768;
    QCOMPARE(w.document()->evaluation().total, withLinear);
    QVERIFY(w.isWindowModified());
    w.action(QStringLiteral("undo"))->trigger();
    QCOMPARE(w.document()->evaluation().total, 124439808);
    QVERIFY(!w.isWindowModified());
    w.action(QStringLiteral("redo"))->trigger();
    QVERIFY(w.selectPath(QStringLiteral("transformer.ln_f")));
    w.action(QStringLiteral("switchNorm"))->trigger();
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("edited.json"));
    QString error;
    QVERIFY2(w.document()->save(file, &error), qPrintable(error));
    QVERIFY(!w.isWindowModified());
    const core::Count saved = w.document()->evaluation().total;
    MainWindow other;
    QVERIFY(other.openSource(file, &error, false));
    QCOMPARE(other.document()->evaluation().total, saved);
    QCOMPARE(other.document()->filePath(), QFileInfo(file).absoluteFilePath());
    QVERIFY(other.document()->design().find("transformer.h.*.attn.linear"));
}

void TestMainWindow::zoomScalesFonts()
{
    MainWindow w;
    const double before = QApplication::font().pointSizeF();
    w.action(QStringLiteral("zoomIn"))->trigger();
    QVERIFY(QApplication::font().pointSizeF() > before);
    QVERIFY(w.zoom() > 1.0);
    w.action(QStringLiteral("zoomReset"))->trigger();
    QCOMPARE(QApplication::font().pointSizeF(), before);
    for (QAction* a : w.findChildren<QAction*>())
        if (!a->objectName().isEmpty() && !a->objectName().startsWith(QLatin1String("qt_")))
            QVERIFY2(!a->shortcut().isEmpty() && !a->toolTip().isEmpty(), qPrintable(a->objectName()));
}

void TestMainWindow::screenshot()
{
    MainWindow w;
    QVERIFY(w.openSource(QStringLiteral("gpt2"), nullptr, false));
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("shot.png"));
    QVERIFY(w.saveScreenshot(file, { 1200, 800 }));
    QImage image(file);
    QCOMPARE(image.size(), QSize(1200, 800));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
