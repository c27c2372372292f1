// SPDX-License-Identifier: MIT
// Every Hugging Face config in tests/data against its independently published total.
// hf-configs/ is a copy of ../shared/fixtures/hf-configs; hf-extra/ holds configs found for the
// other families, each with the published number and where it was published (expected.json);
// hf-families/ the multimodal and hybrid families of issue 13 (a copy of what they use from
// ../shared/fixtures/hf-configs-families, and configs found for the others).
// hf-beyond/ those of issue 15 (T5, BART, Mamba, Falcon, Cohere, StarCoder2, MoE variants).
#include "testutil.h"

#include <QtTest>

using namespace paramscope::core;
using namespace paramscope::test;

class TestHfImport : public QObject {
    Q_OBJECT
private slots:
    void publishedTotals_data()
    {
        QTest::addColumn<QString>("config");
        QTest::addColumn<QString>("className");
        QTest::addColumn<qint64>("total");
        QTest::addColumn<qint64>("active");
        for (const char* folder : { "hf-configs", "hf-extra", "hf-families", "hf-beyond" }) {
            const QString dir = QString::fromStdString(dataPath(folder));
            QFile file(dir + QStringLiteral("/expected.json"));
            QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
            const QJsonArray entries = QJsonDocument::fromJson(file.readAll()).array();
            for (const QJsonValue& v : entries) {
                const QJsonObject e = v.toObject();
                QTest::newRow(qPrintable(e[QStringLiteral("id")].toString()))
                    << dir + QLatin1Char('/') + e[QStringLiteral("config")].toString()
                    << e[QStringLiteral("class")].toString()
                    << static_cast<qint64>(e[QStringLiteral("total_params")].toDouble())
                    << static_cast<qint64>(e[QStringLiteral("active_params")].toDouble(0));
            }
        }
    }
    void publishedTotals()
    {
        QFETCH(QString, config);
        QFETCH(QString, className);
        QFETCH(qint64, total);
        QFETCH(qint64, active);
        // Totals above 2^53 would not survive QJsonValue::toDouble(); the largest here is 6.7e11.
        QVERIFY(total < (qint64(1) << 53));
        auto design = loadSource(config.toStdString(), { className.toStdString() });
        QVERIFY2(design.ok(), design.ok() ? "" : design.error().text().c_str());
        QCOMPARE(QString::fromStdString(design->className), className);
        auto e = evaluate(*design);
        QVERIFY2(e.ok(), e.ok() ? "" : e.error().text().c_str());
        QCOMPARE(e->total, total);
        if (active > 0)
            QCOMPARE(e->active, active);
    }
};

QTEST_APPLESS_MAIN(TestHfImport)
#include "tst_hfimport.moc"
