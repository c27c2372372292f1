// SPDX-License-Identifier: MIT
#include "appinfo.h"

namespace paramscope {

QString applicationId()
{
    return QStringLiteral(PARAMSCOPE_APP_ID);
}

QString applicationVersion()
{
    return QStringLiteral(PARAMSCOPE_APP_VERSION);
}

QString applicationHomepage()
{
    return QStringLiteral(PARAMSCOPE_HOMEPAGE);
}

QIcon applicationIcon()
{
    QIcon icon;
    for (const int size : { 16, 32, 48, 64, 128, 256 })
        icon.addFile(QStringLiteral(":/paramscope/icon-%1.png").arg(size), QSize(size, size));
    return icon;
}

} // namespace paramscope
