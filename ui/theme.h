// SPDX-License-Identifier: MIT
#pragma once

#include <QColor>
#include <QPalette>

class QWidget;

namespace paramscope::ui {

/// Whether @p palette is a dark one (its window darker than its text).
bool isDark(const QPalette& palette);

/// WCAG 2 contrast ratio of two opaque colours, from 1 (none) to 21 (black on white).
double contrastRatio(const QColor& a, const QColor& b);

/// The colour of error text and of the border of an invalid field on @p palette: a red with at
/// least 4.5:1 contrast against the palette's Window and Base, light or dark.
QColor errorColor(const QPalette& palette);

/// Colours @p widget's text in errorColor() of its palette. A palette role, not a style sheet: a
/// style sheet's font stops the zoom reaching the widget (it stayed at 100 % beside 175 % text).
/// Call again when the palette changes.
void setErrorText(QWidget* widget);

/// The background of an invalid input field on @p palette: Base tinted towards red, keeping Text
/// readable (a palette change, not a style sheet, so the native frame and arrows stay).
QColor errorBackground(const QPalette& palette);

/// Secondary text on @p palette's Base (a shared weight, the last valid counts): as far from Text
/// towards Base as keeps 4.5:1 contrast, so it reads as grey yet stays legible on a projector
/// (the style's disabled text is often below 2:1).
QColor dimmedText(const QPalette& palette);

/// A dark Fusion palette, for `paramscope --palette dark` on a system without a dark theme.
QPalette darkPalette();

} // namespace paramscope::ui
