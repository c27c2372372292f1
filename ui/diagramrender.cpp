// SPDX-License-Identifier: MIT
#include "diagramrender.h"

#include "chartrender.h" // componentColor: a component looks the same in the chart and the diagram

#include <QFileInfo>
#include <QImage>
#include <QPageSize>
#include <QPainter>
#include <QPainterPath>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>

#include <cmath>

namespace paramscope::ui {

namespace {

QFont font(double pixels, bool bold = false)
{
    QFont f;
    f.setPixelSize(static_cast<int>(pixels));
    f.setBold(bold);
    return f;
}

QColor mix(const QColor& a, const QColor& b, double t)
{
    return QColor::fromRgbF(static_cast<float>(a.redF() * (1 - t) + b.redF() * t),
        static_cast<float>(a.greenF() * (1 - t) + b.greenF() * t),
        static_cast<float>(a.blueF() * (1 - t) + b.blueF() * t));
}

/// Black or white, whichever reads better on @p fill.
QColor textOn(const QColor& fill)
{
    const double luminance = 0.2126 * fill.redF() + 0.7152 * fill.greenF() + 0.0722 * fill.blueF();
    return luminance > 0.5 ? QColor(0x11, 0x11, 0x11) : QColor(0xff, 0xff, 0xff);
}

void drawText(QPainter& p, const QRectF& r, const QString& text, const QFont& f, Qt::Alignment align = Qt::AlignLeft)
{
    p.setFont(f);
    const QString shown = QFontMetricsF(f).elidedText(text, Qt::ElideRight, r.width());
    p.drawText(r, static_cast<int>(align | Qt::AlignVCenter), shown);
}

void drawArrow(QPainter& p, const DiagramArrow& a, const QColor& color)
{
    if (a.points.size() < 2)
        return;
    QPen pen(color, 2.2);
    pen.setStyle(a.dashed ? Qt::DashLine : Qt::SolidLine);
    p.setPen(pen);
    p.setBrush(Qt::NoBrush);
    QPolygonF line;
    for (const QPointF& pt : a.points)
        line << pt;
    p.drawPolyline(line);
    // The head, along the last segment.
    const QPointF tip = a.points.back(), from = a.points[a.points.size() - 2];
    const double angle = std::atan2(tip.y() - from.y(), tip.x() - from.x());
    const double size = 10;
    QPolygonF head;
    head << tip << tip - QPointF(size * std::cos(angle - 0.45), size * std::sin(angle - 0.45))
         << tip - QPointF(size * std::cos(angle + 0.45), size * std::sin(angle + 0.45));
    p.setPen(Qt::NoPen);
    p.setBrush(color);
    p.drawPolygon(head);
    if (!a.label.isEmpty()) {
        // Beside the longest vertical segment.
        std::size_t best = 0;
        double longest = -1;
        for (std::size_t i = 0; i + 1 < a.points.size(); ++i) {
            const double len = std::abs(a.points[i + 1].y() - a.points[i].y());
            if (len > longest) {
                longest = len;
                best = i;
            }
        }
        const QPointF mid = (a.points[best] + a.points[best + 1]) / 2;
        p.save();
        p.translate(mid);
        p.rotate(-90);
        p.setPen(color);
        drawText(p, QRectF(-80, 4, 160, 16), a.label, font(12), Qt::AlignHCenter); // right of the line
        p.restore();
    }
}

} // namespace

QTransform paintDiagram(QPainter& p, const Diagram& d, const QRectF& target, const DiagramStyle& style)
{
    const QColor page = style.dark ? QColor(0x0b, 0x0d, 0x12) : QColor(0xff, 0xff, 0xff);
    const QColor ink = style.dark ? QColor(0xf5, 0xf5, 0xf5) : QColor(0x1a, 0x1a, 0x1a);
    const QColor dim = style.dark ? QColor(0xb8, 0xbc, 0xc6) : QColor(0x55, 0x5a, 0x66);
    const QColor frameFill = style.dark ? QColor(0x1a, 0x1e, 0x28) : QColor(0xf3, 0xf4, 0xf8);
    const QColor highlight = style.dark ? QColor(0xff, 0xd5, 0x4f) : QColor(0x00, 0x5f, 0xd6);
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    p.fillRect(target, page);
    QTransform t;
    if (d.size.isEmpty()) {
        p.restore();
        return t;
    }
    const double scale = std::min(target.width() / d.size.width(), target.height() / d.size.height());
    t.translate(target.left() + (target.width() - d.size.width() * scale) / 2,
        target.top() + (target.height() - d.size.height() * scale) / 2);
    t.scale(scale, scale);
    p.setTransform(t, true);

    p.setPen(ink);
    drawText(p, QRectF(36, 24, d.size.width() - 72, 34), d.title, font(26, true));
    p.setPen(dim);
    p.setFont(font(15));
    p.drawText(QRectF(36, 60, d.size.width() - 72, 48), Qt::TextWordWrap | Qt::AlignLeft | Qt::AlignTop, d.subtitle);

    for (const DiagramFrame& f : d.frames) {
        const bool selected = f.node == style.selected;
        p.setPen(QPen(selected ? highlight : dim, selected ? 4 : 2));
        p.setBrush(frameFill);
        p.drawRoundedRect(f.rect, 14, 14);
        p.setPen(ink);
        drawText(p, QRectF(f.rect.left() + 16, f.rect.top() + 8, f.rect.width() - 32, 26), f.label, font(20, true));
        p.setPen(dim);
        drawText(p, QRectF(f.rect.left() + 16, f.rect.top() + 34, f.rect.width() - 32, 20), f.detail, font(14));
    }
    for (const auto& [pos, text] : d.labels) {
        p.setPen(dim);
        drawText(p, QRectF(pos.x() - 150, pos.y() - 4, 300, 22), text, font(15, true), Qt::AlignHCenter);
    }
    for (const DiagramArrow& a : d.arrows)
        drawArrow(p, a, a.dashed ? componentColor(core::Component::LmHead) : dim);

    for (const DiagramBox& b : d.boxes) {
        const bool selected = b.node >= 0 && b.node == style.selected;
        if (b.kind == DiagramBox::Kind::Residual) {
            p.setPen(QPen(ink, 2));
            p.setBrush(page);
            p.drawEllipse(b.rect);
            p.drawLine(QPointF(b.rect.center().x() - 8, b.rect.center().y()),
                QPointF(b.rect.center().x() + 8, b.rect.center().y()));
            p.drawLine(QPointF(b.rect.center().x(), b.rect.center().y() - 8),
                QPointF(b.rect.center().x(), b.rect.center().y() + 8));
            continue;
        }
        const QColor base = componentColor(b.component);
        // The larger its share, the deeper the colour: a glance shows where the parameters are.
        const double depth = b.tied ? 0.08 : 0.16 + 0.7 * std::sqrt(std::clamp(b.fraction, 0.0, 1.0));
        const QColor fill = mix(page, base, depth);
        QPen border(selected ? highlight : base.darker(style.dark ? 90 : 130), selected ? 5 : 2);
        if (b.tied)
            border.setStyle(Qt::DashLine);
        p.setPen(border);
        p.setBrush(fill);
        p.drawRoundedRect(b.rect, 9, 9);
        const QColor text = textOn(fill);
        const QColor textDim = mix(text, fill, 0.28);
        const double x = b.rect.left() + 10, w = b.rect.width() - 20;
        double y = b.rect.top() + (b.kind == DiagramBox::Kind::Norm ? 0 : 8);
        if (b.kind == DiagramBox::Kind::Norm) {
            // One line: name, formula, share.
            p.setPen(text);
            drawText(p, QRectF(x, y, w * 0.46, b.rect.height()), b.title, font(16, true));
            drawText(p, QRectF(x + w * 0.46, y, w * 0.24, b.rect.height()), b.formula, font(15));
            p.setPen(textDim);
            drawText(p, QRectF(x + w * 0.7, y, w * 0.3, b.rect.height()), b.share, font(14), Qt::AlignRight);
            continue;
        }
        // The share takes what it needs on the right; the title the rest.
        const double shareWidth = b.share.isEmpty() ? 0 : QFontMetricsF(font(14)).horizontalAdvance(b.share) + 12;
        p.setPen(text);
        drawText(p, QRectF(x, y, w - shareWidth, 24), b.title, font(18, true));
        p.setPen(textDim);
        drawText(p, QRectF(x + w - shareWidth, y, shareWidth, 24), b.share, font(14), Qt::AlignRight);
        y += 24;
        if (!b.detail.isEmpty()) {
            p.setPen(text);
            drawText(p, QRectF(x, y, w, 20), b.detail, font(15));
            y += 20;
        }
        p.setPen(text);
        drawText(p, QRectF(x, y, w, 20), b.formula, font(16, true));
        for (const DiagramChip& c : b.chips) {
            const bool chipSelected = c.node == style.selected;
            p.setPen(QPen(chipSelected ? highlight : mix(base, page, 0.2), chipSelected ? 3 : 1));
            p.setBrush(mix(page, base, 0.1));
            p.drawRoundedRect(c.rect, 6, 6);
            p.setPen(textOn(mix(page, base, 0.1)));
            drawText(p, c.rect.adjusted(8, 0, -6, 0), c.text, font(13));
        }
    }
    p.restore();
    return t;
}

bool exportDiagram(const Diagram& d, const QString& file, double scale, QString* error)
{
    auto fail = [error](const QString& message) {
        if (error)
            *error = message;
        return false;
    };
    const QString suffix = QFileInfo(file).suffix().toLower();
    if (suffix != QLatin1String("svg") && suffix != QLatin1String("pdf") && suffix != QLatin1String("png"))
        return fail(QStringLiteral("%1: the diagram is written as .svg, .pdf or .png").arg(file));
    if (d.size.isEmpty())
        return fail(QStringLiteral("%1: nothing to draw").arg(file));
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly))
        return fail(QStringLiteral("%1: %2").arg(file, out.errorString()));
    const QRectF page(QPointF(0, 0), d.size);
    if (suffix == QLatin1String("svg")) {
        QSvgGenerator svg;
        svg.setOutputDevice(&out);
        svg.setSize(d.size.toSize());
        svg.setViewBox(page);
        svg.setTitle(d.title);
        svg.setDescription(QStringLiteral("Architecture diagram by ParamScope"));
        QPainter p(&svg);
        paintDiagram(p, d, page, {});
    } else if (suffix == QLatin1String("pdf")) {
        QPdfWriter pdf(&out);
        pdf.setTitle(d.title);
        pdf.setCreator(QStringLiteral("ParamScope"));
        pdf.setResolution(96);
        pdf.setPageSize(QPageSize(d.size * 72.0 / 96.0, QPageSize::Point));
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        QPainter p(&pdf);
        paintDiagram(p, d, QRectF(QPointF(0, 0), QSizeF(pdf.width(), pdf.height())), {});
    } else {
        QImage image((d.size * scale).toSize(), QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::white);
        {
            QPainter p(&image);
            paintDiagram(p, d, QRectF(image.rect()), {});
        }
        if (!image.save(&out, "PNG"))
            return fail(QStringLiteral("%1: could not encode the PNG").arg(file));
    }
    if (!out.commit())
        return fail(QStringLiteral("%1: %2").arg(file, out.errorString()));
    return true;
}

} // namespace paramscope::ui
