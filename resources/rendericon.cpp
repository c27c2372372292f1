// SPDX-License-Identifier: MIT
// paramscope-rendericon SVG SIZE OUT.png: renders the icon at SIZE × SIZE pixels for the build,
// with QSvgRenderer (no display, no extra build dependency: the app links Qt Svg already).
#include <QImage>
#include <QPainter>
#include <QSvgRenderer>

#include <cstdio>

int main(int argc, char* argv[])
{
    if (argc != 4) {
        std::fprintf(stderr, "usage: paramscope-rendericon SVG SIZE OUT.png\n");
        return 2;
    }
    QSvgRenderer svg(QString::fromLocal8Bit(argv[1]));
    bool ok = false;
    const int size = QString::fromLocal8Bit(argv[2]).toInt(&ok);
    if (!svg.isValid() || !ok || size < 1 || size > 4096) {
        std::fprintf(stderr, "paramscope-rendericon: cannot render %s at %s px\n", argv[1], argv[2]);
        return 2;
    }
    QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    svg.render(&painter);
    painter.end();
    if (!image.save(QString::fromLocal8Bit(argv[3]), "PNG")) {
        std::fprintf(stderr, "paramscope-rendericon: cannot write %s\n", argv[3]);
        return 1;
    }
    return 0;
}
