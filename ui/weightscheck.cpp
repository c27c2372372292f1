// SPDX-License-Identifier: MIT
#include "weightscheck.h"

#include "document.h"
#include "report.h"
#include "weights/checkpoint.h"
#include "weights/verifyreport.h"

#include <QDir>
#include <QFileInfo>

namespace paramscope::ui {

WeightsCheck::WeightsCheck(Document* document, QObject* parent)
    : QObject(parent)
    , m_document(document)
{
    connect(document, &Document::changed, this, &WeightsCheck::recheck);
    connect(document, &Document::resetDone, this, &WeightsCheck::detach);
}

bool WeightsCheck::attach(const QString& path, QString* error)
{
    // Headers only: a sharded 100 GB checkpoint reads in milliseconds, so no thread is needed.
    auto tensors = core::readCheckpoint(QDir::toNativeSeparators(path).toStdString());
    if (!tensors) {
        if (error)
            *error = QString::fromStdString(tensors.error().text());
        return false;
    }
    const bool was = isAttached();
    m_tensors = std::make_shared<const core::TensorList>(std::move(*tensors));
    m_path = QFileInfo(path).absoluteFilePath();
    recheck();
    if (!was)
        emit attachedChanged(true);
    return true;
}

void WeightsCheck::detach()
{
    if (!isAttached())
        return;
    m_tensors.reset();
    m_result.reset();
    m_path.clear();
    emit attachedChanged(false);
    emit changed();
}

void WeightsCheck::recheck()
{
    if (!isAttached())
        return;
    // The last valid counts belong to other values while one is invalid: no check then.
    if (m_document->error() || !m_document->countsValid())
        m_result.reset();
    else
        m_result = core::verify(m_document->design(), m_document->evaluation(), *m_tensors);
    emit changed();
}

QStringList WeightsCheck::summaryLines() const
{
    QStringList lines;
    if (!isAttached())
        return lines;
    const QString file = m_result && m_result->files.size() > 1
        ? tr("in %n files", nullptr, static_cast<int>(m_result->files.size()))
        : QFileInfo(m_result && !m_result->files.empty() ? QString::fromStdString(m_result->files.front()) : m_path)
              .fileName();
    if (!m_result) {
        lines << tr("Weights %1: not checked while a value is invalid").arg(file);
        return lines;
    }
    const core::Verification& v = *m_result;
    lines << tr("Weights %1 (%2, %3 tensors): %4")
                 .arg(file, QString::fromLatin1(core::formatName(v.format)),
                     QString::fromStdString(core::groupDigits(v.fileTensors)),
                     QString::fromStdString(core::verifySummary(v)));
    for (const auto& f : v.findings) {
        const QString count = QString::fromStdString(core::groupDigits(f.tensors));
        if (f.isProblem())
            lines << tr("✗ %1%2 — %3")
                         .arg(QString::fromStdString(f.name),
                             f.tensors > 1 ? tr(" (%1 tensors)").arg(count) : QString(),
                             QString::fromStdString(f.text));
        else
            lines << (f.values == 1 ? tr("%1 × %2 (%3 value): %4") : tr("%1 × %2 (%3 values): %4"))
                         .arg(count, QString::fromStdString(f.name),
                             QString::fromStdString(core::groupDigits(f.values)), QString::fromStdString(f.text));
    }
    return lines;
}

} // namespace paramscope::ui
