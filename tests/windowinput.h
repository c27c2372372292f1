// SPDX-License-Identifier: MIT
#pragma once

// Input to the real MainWindow as a user gives it, shared by the window tests.

#include "hyperparameterpanel.h"
#include "int64spinbox.h"
#include "mainwindow.h"

#include <QTest>

namespace paramscope::test {

/// Types @p text into @p symbol's spin box as a user does (select all, type, Enter).
inline void typeInto(ui::MainWindow& w, const QString& symbol, const QString& text)
{
    auto* spin = w.hyperparameterPanel()->spinBox(symbol);
    QVERIFY(spin);
    spin->setFocus();
    spin->selectAll();
    QTest::keyClicks(spin, text);
    QTest::keyClick(spin, Qt::Key_Return);
}

} // namespace paramscope::test
