// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QSettings>
#include <QString>
#include <QStringList>

namespace paramscope::ui {

/// A typed QSettings key with its default, declared once in the table below.
/// The organization and application names are set in main().
template <typename T> struct Setting {
    const char* key;
    T defaultValue;

    T value() const
    {
        return QSettings().value(QString::fromLatin1(key), QVariant::fromValue(defaultValue)).template value<T>();
    }
    void setValue(const T& v) const { QSettings().setValue(QString::fromLatin1(key), QVariant::fromValue(v)); }
};

namespace settings {
inline const Setting<double> zoom { "view/zoom", 1.0 };
inline const Setting<QByteArray> windowGeometry { "window/geometry", {} };
inline const Setting<QByteArray> windowState { "window/state", {} };
inline const Setting<QByteArray> mainSplitter { "window/mainSplitter", {} };
inline const Setting<QByteArray> leftSplitter { "window/leftSplitter", {} };
inline const Setting<QByteArray> treeSplitter { "window/treeSplitter", {} };
inline const Setting<QByteArray> treeHeader { "window/treeHeader", {} };
inline const Setting<QStringList> recentFiles { "files/recent", {} };
inline const Setting<QString> lastDirectory { "files/lastDirectory", {} };
inline constexpr int kMaxRecentFiles = 8;
} // namespace settings

} // namespace paramscope::ui
