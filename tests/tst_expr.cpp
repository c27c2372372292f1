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

    // INT64_MIN / -1 used to raise SIGFPE: the remainder was taken before the overflow check.
    void int64MinIsAnOverflowForEveryOperator_data()
    {
        QTest::addColumn<QString>("text");
        // K - 5 = -1 with K = 4; the minimum is built from literals since -9223372036854775808
        // has no literal of its own.
        QTest::newRow("divide") << "(-9223372036854775807 - 1) / (K - 5)";
        QTest::newRow("divide by literal") << "(-9223372036854775807 - 1) / -1";
        QTest::newRow("multiply") << "(-9223372036854775807 - 1) * (K - 5)";
        QTest::newRow("negate") << "-(-9223372036854775807 - 1)";
        QTest::newRow("subtract") << "(-9223372036854775807 - 1) - 1";
        QTest::newRow("add") << "(-9223372036854775807 - 1) + (K - 5)";
        QTest::newRow("power") << "(-9223372036854775807 - 1)^2";
    }
    void int64MinIsAnOverflowForEveryOperator()
    {
        QFETCH(QString, text);
        auto v = bound(text.toStdString()).evaluate(std::vector<Count> { 768, 12, 4, 24 });
        QVERIFY(!v.ok());
        QVERIFY2(QString::fromStdString(v.error().message).contains(QStringLiteral("overflows 64 bits")),
            v.error().message.c_str());
        // The same value divided by 2 is exact and representable: -2^62.
        auto half = bound("(-9223372036854775807 - 1) / 2").evaluate(std::vector<Count> { 768, 12, 4, 24 });
        QVERIFY(half.ok());
        QCOMPARE(*half, Count(-4611686018427387904));
    }

    // The usual reading: -E^2 is -(E^2), as in mathematics, Python and Fortran.
    void unaryMinusBindsLooserThanPower()
    {
        const std::vector<Count> values { 768, 12, 4, 24 };
        auto v = bound("-E^2 + 600000").evaluate(values);
        QVERIFY(v.ok());
        QCOMPARE(*v, Count(600000 - 768 * 768));
        auto w = bound("(-E)^2").evaluate(values);
        QVERIFY(w.ok());
        QCOMPARE(*w, Count(768 * 768));
        QCOMPARE(QString::fromStdString(formula("-E^2")), QStringLiteral("−E²"));
        QCOMPARE(QString::fromStdString(formula("2*-H^3")), QStringLiteral("−2H³"));
    }

    void rationalsAtTheEdges()
    {
        // -2^63 / 2 = -2^62; -2^63 / 4 = -2^61; 6 / -4 = -3/2; -2^63 / -1 does not fit.
        QCOMPARE(Rational::make(INT64_MIN, 2), std::optional<Rational>(Rational { -4611686018427387904, 1 }));
        QCOMPARE(Rational::make(INT64_MIN, 4), std::optional<Rational>(Rational { -2305843009213693952, 1 }));
        QCOMPARE(Rational::make(INT64_MIN, 3), std::optional<Rational>(Rational { INT64_MIN, 3 }));
        QCOMPARE(Rational::make(6, -4), std::optional<Rational>(Rational { -3, 2 }));
        QCOMPARE(Rational::make(0, -7), std::optional<Rational>(Rational { 0, 1 }));
        QVERIFY(!Rational::make(INT64_MIN, -1));
        QVERIFY(!Rational::make(1, 0));
    }

    // A coefficient of -2^63 used to be negated for printing (UB), which printed "5 − 0E".
    void int64MinCoefficientIsPrinted()
    {
        QCOMPARE(QString::fromStdString(formula("E*(-9223372036854775807 - 1) + 5")),
            QStringLiteral("5 − 9223372036854775808E"));
        QCOMPARE(QString::fromStdString(formula("-9223372036854775807 - 1")), QStringLiteral("−9223372036854775808"));
    }

    void powersAreExact_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("formula");
        // Binomial coefficients: (E + H)^3 and (E - H)^4.
        QTest::newRow("cube") << "(E + H)^3"
                              << "E³ + 3E²H + 3EH² + H³";
        QTest::newRow("fourth") << "(E - H)^4"
                                << "E⁴ + 6E²H² + H⁴ − 4E³H − 4EH³";
        QTest::newRow("zeroth") << "(E + H)^0"
                                << "1";
        QTest::newRow("laurent") << "(E/H)^2"
                                 << "E²/H²";
        QTest::newRow("nested") << "((E^2)^3)^2"
                                << "E¹²";
    }
    void powersAreExact()
    {
        QFETCH(QString, text);
        QFETCH(QString, formula);
        QCOMPARE(QString::fromStdString(::formula(text.toStdString())), formula);
    }

    // (A+B+C+D+E+F)^16 took over 30 s (the product copied its accumulator for every partial
    // product, the power multiplied 16 times) for a formula of 20,349 terms nobody can read;
    // nested powers E^(16^7) took 34 s, and at 16^8 the exponent wrapped and the formula read "1".
    void hugeFormulasAreRefused_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("many terms") << "(E + H + K + L + E*H + K*L + E*L)^16"
                                    << "more than 1000 terms";
        QTest::newRow("nested powers") << "((((((E^16)^16)^16)^16)^16)^16)^16"
                                       << "exponent above 64";
        QTest::newRow("wrapping powers") << "(((((((E^16)^16)^16)^16)^16)^16)^16)^16"
                                         << "exponent above 64";
        QTest::newRow("laurent powers") << "((1/E^16)^16)^16"
                                        << "exponent above 64";
    }
    void hugeFormulasAreRefused()
    {
        QFETCH(QString, text);
        QFETCH(QString, message);
        const QString got = QString::fromStdString(formula(text.toStdString()));
        QVERIFY2(got.startsWith(QStringLiteral("error: ")) && got.contains(message), qPrintable(got));
    }

    void largestAllowedFormulaStillWorks()
    {
        // (E + H + K + L)^9 has C(12, 3) = 220 terms, the largest coefficient 9!/(3!·2!·2!·2!) = 7560.
        std::vector<Polynomial> atoms;
        for (int i = 0; i < 4; ++i)
            atoms.push_back(Polynomial::symbol(i));
        auto p = bound("(E + H + K + L)^9").toPolynomial(atoms);
        QVERIFY(p.ok());
        QCOMPARE(p->terms().size(), std::size_t(220));
        Count largest = 0;
        for (const auto& [_, c] : p->terms())
            largest = std::max(largest, c.num);
        QCOMPARE(largest, Count(7560));
        // And it evaluates to 4^9 at E = H = K = L = 1.
        auto v = p->evaluate(std::vector<Count> { 1, 1, 1, 1 });
        QVERIFY(v.ok());
        QCOMPARE(*v, Count(262144));
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
