#include <QtTest>
class Testexpr : public QObject { Q_OBJECT private slots: void todo() {} };
QTEST_APPLESS_MAIN(Testexpr)
#include "tst_expr.moc"
