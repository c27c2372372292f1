#include <QtTest>
class Testdesignio : public QObject { Q_OBJECT private slots: void todo() {} };
QTEST_APPLESS_MAIN(Testdesignio)
#include "tst_designio.moc"
