// SPDX-License-Identifier: MIT
// The icon built into the binary and the About box that shows it with the version.
#include "about.h"
#include "appinfo.h"
#include "mainwindow.h"

#include <QAction>
#include <QMessageBox>
#include <QTest>

using namespace paramscope;

class TestAbout : public QObject {
    Q_OBJECT

private slots:
    void iconHasEverySize_data()
    {
        QTest::addColumn<int>("size");
        for (const int size : { 16, 32, 48, 64, 128, 256 })
            QTest::newRow(qPrintable(QString::number(size))) << size;
    }
    void iconHasEverySize()
    {
        // Each size is drawn for itself (16 px from its own drawing), not scaled from another.
        QFETCH(int, size);
        const QIcon icon = applicationIcon();
        QVERIFY(icon.availableSizes().contains(QSize(size, size)));
        const QImage image = icon.pixmap(size, size).toImage();
        QCOMPARE(image.size(), QSize(size, size));
        QCOMPARE(qAlpha(image.pixel(0, 0)), 0); // rounded corner
        QCOMPARE(qAlpha(image.pixel(size / 2, size / 2)), 255);
    }

    void idAndVersion()
    {
        QCOMPARE(applicationId(), QStringLiteral("io.github.paramscope.ParamScope"));
        QCOMPARE(applicationVersion(), QStringLiteral(PARAMSCOPE_VERSION));
        QVERIFY(applicationHomepage().startsWith(QLatin1String("https://")));
    }

    void aboutBoxFromHelpMenu()
    {
        ui::MainWindow w;
        w.show();
        QVERIFY(!w.windowIcon().isNull());
        QAction* about = w.action(QStringLiteral("about"));
        QVERIFY(about);
        QCOMPARE(about->shortcut(), QKeySequence(QKeySequence::HelpContents));
        about->trigger();
        QMessageBox* box = nullptr;
        QTRY_VERIFY((box = w.findChild<QMessageBox*>(QStringLiteral("aboutBox"))) && box->isVisible());
        QVERIFY(box->text().contains(QStringLiteral("ParamScope " PARAMSCOPE_VERSION)));
        QVERIFY(box->text().contains(applicationHomepage()));
        QCOMPARE(box->iconPixmap().size(), QSize(64, 64));
        box->close();
        QTRY_VERIFY(!w.findChild<QMessageBox*>(QStringLiteral("aboutBox"))); // deletes itself
    }
};

QTEST_MAIN(TestAbout)
#include "tst_about.moc"
