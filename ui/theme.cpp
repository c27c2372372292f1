// SPDX-License-Identifier: MIT
#include "theme.h"

#include <algorithm>
#include <cmath>

#include <QWidget>

namespace paramscope::ui {

namespace {

double luminance(const QColor& c)
{
    const auto channel = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

QColor mix(const QColor& a, const QColor& b, double t)
{
    return QColor::fromRgbF(static_cast<float>(a.redF() + (b.redF() - a.redF()) * t),
        static_cast<float>(a.greenF() + (b.greenF() - a.greenF()) * t),
        static_cast<float>(a.blueF() + (b.blueF() - a.blueF()) * t));
}

} // namespace

bool isDark(const QPalette& palette)
{
    return luminance(palette.color(QPalette::Window)) < luminance(palette.color(QPalette::WindowText));
}

double contrastRatio(const QColor& a, const QColor& b)
{
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

void setErrorText(QWidget* widget)
{
    QPalette p; // only WindowText is set: every other role still follows the parent
    // The parent's palette: the widget's own already holds the red of an earlier call.
    const QWidget* from = widget->parentWidget() ? widget->parentWidget() : widget;
    p.setColor(QPalette::WindowText, errorColor(from->palette()));
    widget->setPalette(p);
}

QColor errorColor(const QPalette& palette)
{
    // Start from a clear red and move it towards the text colour until it reads on both
    // backgrounds (a handful of steps at most; the text colour itself always does).
    const QColor window = palette.color(QPalette::Window);
    const QColor base = palette.color(QPalette::Base);
    const QColor red = isDark(palette) ? QColor(0xff, 0x6e, 0x6e) : QColor(0xc4, 0x1e, 0x1e);
    const QColor text = palette.color(QPalette::WindowText);
    for (int step = 0; step <= 10; ++step) {
        const QColor c = mix(red, text, step / 10.0);
        if (contrastRatio(c, window) >= 4.5 && contrastRatio(c, base) >= 4.5)
            return c;
    }
    return text;
}

QColor errorBackground(const QPalette& palette)
{
    const QColor base = palette.color(QPalette::Base);
    return mix(base, isDark(palette) ? QColor(0xc0, 0x20, 0x20) : QColor(0xff, 0x40, 0x40), 0.25);
}

QColor dimmedText(const QPalette& palette)
{
    const QColor text = palette.color(QPalette::Text);
    const QColor base = palette.color(QPalette::Base);
    QColor best = text;
    for (int step = 1; step <= 20; ++step) {
        const QColor c = mix(text, base, step / 20.0);
        if (contrastRatio(c, base) < 4.6)
            break;
        best = c;
    }
    return best;
}

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2b, 0x2e);
    const QColor base(0x1e, 0x1e, 0x20);
    const QColor text(0xe8, 0xe8, 0xea);
    const QColor disabled(0x80, 0x80, 0x86);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x27, 0x27, 0x2a));
    p.setColor(QPalette::ToolTipBase, QColor(0x3a, 0x3a, 0x3e));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, disabled);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x38, 0x38, 0x3c));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x6e, 0x6e));
    p.setColor(QPalette::Light, QColor(0x48, 0x48, 0x4c));
    p.setColor(QPalette::Midlight, QColor(0x3c, 0x3c, 0x40));
    p.setColor(QPalette::Mid, QColor(0x30, 0x30, 0x33));
    p.setColor(QPalette::Dark, QColor(0x18, 0x18, 0x1a));
    p.setColor(QPalette::Shadow, QColor(0x0a, 0x0a, 0x0a));
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x7a, 0xd6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x6c, 0xb0, 0xff));
    p.setColor(QPalette::LinkVisited, QColor(0xb0, 0x8c, 0xff));
    for (const auto role : { QPalette::WindowText, QPalette::Text, QPalette::ButtonText })
        p.setColor(QPalette::Disabled, role, disabled);
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0x4a, 0x4a, 0x4e));
    return p;
}

} // namespace paramscope::ui
