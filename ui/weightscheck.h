// SPDX-License-Identifier: MIT
#pragma once

#include "weights/tensorlist.h"
#include "weights/verify.h"

#include <QObject>
#include <QString>

#include <memory>
#include <optional>

namespace paramscope::ui {

class Document;

/// A checkpoint attached to the open design (File ▸ Verify Against Weights…): its tensor list,
/// read once (headers only), and the design checked against it, again after every change of the
/// design or its values. A new design (Document::resetDone) detaches it.
class WeightsCheck : public QObject {
    Q_OBJECT
public:
    explicit WeightsCheck(Document* document, QObject* parent = nullptr);

    /// Reads the checkpoint at @p path (a file, an index or a folder) and checks the design
    /// against it. On failure nothing changes and @p error says why (file and field).
    bool attach(const QString& path, QString* error = nullptr);
    void detach();

    bool isAttached() const { return m_tensors != nullptr; }
    QString path() const { return m_path; }
    /// The check at the current values; nullptr when detached or while the values are invalid.
    const core::Verification* result() const { return m_result ? &*m_result : nullptr; }
    /// ✓/✗ and what the file holds beyond the class's parameters, one line each (plain text).
    QStringList summaryLines() const;

signals:
    /// Attached or detached (the tree shows or hides its Stored column).
    void attachedChanged(bool attached);
    /// The check was redone (or dropped): views read result() again.
    void changed();

private:
    void recheck();

    Document* m_document;
    std::shared_ptr<const core::TensorList> m_tensors;
    QString m_path;
    std::optional<core::Verification> m_result;
};

} // namespace paramscope::ui
