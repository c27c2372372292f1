// SPDX-License-Identifier: MIT
#pragma once

#include <QStringList>
#include <QWidget>

class QAction;
class QLabel;
class QToolButton;

namespace paramscope::ui {

class Document;
class WeightsCheck;

/// The design's totals, large enough for the back row: total, non-embedding, active per token
/// (MoE), the published size, the notes (derived ones such as shared weights, and kept ones), and
/// a banner when the values are invalid, with the last valid counts greyed.
class SummaryWidget : public QWidget {
    Q_OBJECT
public:
    explicit SummaryWidget(Document* document, QWidget* parent = nullptr);

    QString totalText() const;
    QString errorText() const;
    /// The notes, whole. Each is shown on one line, elided to the width, until the notes are
    /// expanded (the "More" button, or the notes' context menu): then they wrap, whole. Either way
    /// they are selectable by mouse and keyboard, and "Copy All Notes" copies them whole.
    QStringList notes() const;
    bool notesExpanded() const { return m_expanded; }
    void setNotesExpanded(bool expanded);
    /// Copies every note, whole, one per line, to the clipboard.
    void copyNotes() const;
    /// Whether the counts shown are the last valid ones while a value is invalid (greyed).
    bool countsGreyed() const { return m_greyed; }
    /// Shows @p check's result (✓/✗ and what the checkpoint holds beyond the parameters) below
    /// the notes while weights are attached.
    void setWeightsCheck(WeightsCheck* check);
    QString weightsText() const;

protected:
    void changeEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void refresh();
    void updateFonts();
    void updateNotes();
    void updateErrorStyle();
    void updateGrey();
    void showNotesMenu(const QPoint& pos);
    void updateWeights();

    Document* m_document;
    QLabel* m_title;
    QLabel* m_total;
    QLabel* m_compact;
    QLabel* m_details;
    QLabel* m_notes;
    QLabel* m_error;
    QLabel* m_weights = nullptr;
    WeightsCheck* m_check = nullptr;
    QToolButton* m_moreNotes;
    QAction* m_copyNotes;
    QStringList m_noteLines;
    QString m_errorText; ///< whole; the label may show it cut to a line when folded
    bool m_expanded = false;
    bool m_greyed = false;
};

} // namespace paramscope::ui
