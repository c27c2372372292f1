// SPDX-License-Identifier: MIT
#pragma once

#include <QStringList>
#include <QWidget>

class QLabel;

namespace paramscope::ui {

class Document;

/// The design's totals, large enough for the back row: total, non-embedding, active per token
/// (MoE), the published size, the tied/shared notes, and a banner when the values are invalid.
class SummaryWidget : public QWidget {
    Q_OBJECT
public:
    explicit SummaryWidget(Document* document, QWidget* parent = nullptr);

    QString totalText() const;
    QString errorText() const;
    /// The notes, whole (each is shown on one line, elided to the width; the tooltip has them all).
    QStringList notes() const;

protected:
    void changeEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void refresh();
    void updateFonts();
    void updateNotes();
    void updateErrorStyle();

    Document* m_document;
    QLabel* m_title;
    QLabel* m_total;
    QLabel* m_compact;
    QLabel* m_details;
    QLabel* m_notes;
    QLabel* m_error;
    QStringList m_noteLines;
};

} // namespace paramscope::ui
