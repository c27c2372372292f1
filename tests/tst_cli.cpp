#include <QtTest>
class Testcli : public QObject { Q_OBJECT private slots: void todo() {} };
QTEST_APPLESS_MAIN(Testcli)
#include "tst_cli.moc"
