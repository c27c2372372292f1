// SPDX-License-Identifier: MIT
// QCustomPlot for the chart's own files (chartrender.cpp, chartwidget.cpp, bench_ui.cpp), included first: its 2.1
// headers still use foreach, which the project turns off.
#pragma once

#undef QT_NO_FOREACH
#include <qcustomplot.h>
#undef foreach
#define QT_NO_FOREACH
