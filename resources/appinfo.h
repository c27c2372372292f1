// SPDX-License-Identifier: MIT
#pragma once
// What the desktop knows ParamScope by: its id (the .desktop file, icon, metainfo and MIME names
// under share/), version and homepage from CMake, and the icon built into the binary.
#include <QIcon>
#include <QString>

namespace paramscope {

/// The reverse-DNS id: io.github.paramscope.ParamScope.
QString applicationId();
/// The project version (CMake's PROJECT_VERSION).
QString applicationVersion();
/// Where the project lives (CMake's PROJECT_HOMEPAGE_URL).
QString applicationHomepage();
/// The icon, from the PNG renderings built into the binary at 16 … 256 px (16 px from its
/// hand-aligned drawing), so that it needs neither an installed theme nor the SVG icon plugin.
QIcon applicationIcon();

} // namespace paramscope
