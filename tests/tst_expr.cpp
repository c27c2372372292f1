// SPDX-License-Identifier: MIT
// Expressions, exact arithmetic and formula text.
#include "expr.h"
#include "polynomial.h"

#include <QtTest>

using namespace paramscope::core;

namespace {

/// Parses and binds @p text over the names E, H, K, L (indices 0..3).
Expr bound(const std::string& text)
{
    auto e = Expr::parse(text);
    if (!e)
        qFatal("%s", e.error().text().c_str());
    const std::vector<std::string> names { "E", "H", "K", "L" };
    auto st = e->bind([&](const std::string& n) {
        auto it = std::find(names.begin(), names.end(), n);
        return it == names.end() ? -1 : static_cast<int>(it - names.begin());
    });
    if (!st)
        qFatal("%s", st.error().text().c_str());
    return *e;
}

const std::vector<std::string> kNames { "E", "H", "K", "L" };

std::string formula(const std::string& text)
{
    std::vector<Polynomial> atoms;
    for (int i = 0; i < 4; ++i)
        atoms.push_back(Polynomial::symbol(i));
    auto p = bound(text).toPolynomial(atoms);
    if (!p)
        return "error: " + p.error().message;
    return formatPolynomial(*p, FormulaStyle { kNames, false });
}

} // namespace

class TestExpr : public QObject {
    Q_OBJECT
private slots:
    void evaluates_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("value");
        // E = 768, H = 12, K = 4, L = 24
        QTest::newRow("name") << "E" << qint64(768);
        QTest::newRow("product") << "4*E" << qint64(3072);
        QTest::newRow("precedence") << "2 + 3*E" << qint64(2 + 3 * 768);
        QTest::newRow("parentheses") << "(2 + 3)*E" << qint64(5 * 768);
        QTest::newRow("exact division") << "E/H" << qint64(64);
        QTest::newRow("left to right") << "E/H/K" << qint64(16);
        QTest::newRow("power") << "(E/H)^2" << qint64(4096);
        QTest::newRow("negation") << "-E + 1000" << qint64(232);
        QTest::newRow("subtraction") << "L - K - 1" << qint64(19);
    }
    void evaluates()
    {
        QFETCH(QString, text);
        QFETCH(qint64, value);
        const std::vector<Count> values { 768, 12, 4, 24 };
        auto v = bound(text.toStdString()).evaluate(values);
        QVERIFY2(v.ok(), v.ok() ? "" : v.error().text().c_str());
        QCOMPARE(*v, value);
    }

    void inexactDivisionNamesBothSides()
    {
        const std::vector<Count> values { 1000, 12, 4, 24 };
        auto v = bound("E/H").evaluate(values);
        QVERIFY(!v.ok());
        QCOMPARE(
            QString::fromStdString(v.error().message), QStringLiteral("E = 1000 is not divisible by H = 12 (in E/H)"));
        auto zero = bound("E/(H - 12)").evaluate(values);
        QVERIFY(!zero.ok());
        QVERIFY(QString::fromStdString(zero.error().message).contains(QStringLiteral("division by zero")));
    }

    void overflowIsReported()
    {
        const std::vector<Count> values { 4611686018427387904, 12, 4, 24 };
        QVERIFY(!bound("E*4").evaluate(values).ok());
        QVERIFY(!bound("E + E").evaluate(values).ok());
        QVERIFY(!bound("E^2").evaluate(values).ok());
        QVERIFY(bound("E + E - 1").evaluate(std::vector<Count> { 4611686018427387903, 1, 1, 1 }).ok());
    }

    void parseErrors_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << ""
                               << "empty expression";
        QTest::newRow("dangling") << "E +"
                                  << "expression ends too early";
        QTest::newRow("unbalanced") << "(E"
                                    << "missing ')'";
        QTest::newRow("implicit product") << "4E"
                                          << "write 4*E";
        QTest::newRow("stray") << "E $ H"
                               << "unexpected '$'";
        QTest::newRow("huge literal") << "99999999999999999999"
                                      << "too large for 64 bits";
        QTest::newRow("fraction") << "1.5*E"
                                  << "unexpected '.'";
        QTest::newRow("deep") << QString(200, QLatin1Char('(')) + QStringLiteral("E") + QString(200, QLatin1Char(')'))
                              << "nested deeper than";
        QTest::newRow("long") << QString(2000, QLatin1Char('E')) << "longer than";
        QTest::newRow("big exponent") << "E^99"
                                      << "exponent above 16";
    }
    void parseErrors()
    {
        QFETCH(QString, text);
        QFETCH(QString, message);
        auto e = Expr::parse(text.toStdString());
        QVERIFY(!e.ok());
        QVERIFY2(QString::fromStdString(e.error().message).contains(message), e.error().message.c_str());
    }

    void unknownNameIsReported()
    {
        auto e = Expr::parse("E*Q");
        QVERIFY(e.ok());
        auto st = e->bind([](const std::string& n) { return n == "E" ? 0 : -1; });
        QVERIFY(!st.ok());
        QVERIFY(QString::fromStdString(st.error().message).contains(QStringLiteral("'Q'")));
    }

    void formulas_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("formula");
        QTest::newRow("attention") << "3*E*E + 3*E + E*E + E"
                                   << "4E² + 4E";
        QTest::newRow("cancels") << "H*(E/H)*E"
                                 << "E²";
        QTest::newRow("laurent") << "K*(E/H)*E"
                                 << "E²K/H";
        QTest::newRow("constant last") << "E + 7 + E*E"
                                       << "E² + E + 7";
        QTest::newRow("negative") << "L - K"
                                  << "L − K";
        QTest::newRow("zero") << "E - E"
                              << "0";
        QTest::newRow("fraction") << "E/2"
                                  << "E/2";
        QTest::newRow("declaration order") << "L*E + H*E"
                                           << "EH + EL";
    }
    void formulas()
    {
        QFETCH(QString, text);
        QFETCH(QString, formula);
        QCOMPARE(QString::fromStdString(::formula(text.toStdString())), formula);
    }

    void asciiFormula()
    {
        std::vector<Polynomial> atoms;
        for (int i = 0; i < 4; ++i)
            atoms.push_back(Polynomial::symbol(i));
        auto p = bound("12*E*E + 13*E").toPolynomial(atoms);
        QVERIFY(p.ok());
        QCOMPARE(formatPolynomial(*p, FormulaStyle { kNames, true }), std::string("12*E^2 + 13*E"));
    }

    void divisionBySumIsNotAPolynomial()
    {
        std::vector<Polynomial> atoms;
        for (int i = 0; i < 4; ++i)
            atoms.push_back(Polynomial::symbol(i));
        QVERIFY(!bound("E/(H + 1)").toPolynomial(atoms).ok());
    }
};

QTEST_APPLESS_MAIN(TestExpr)
#include "tst_expr.moc"
