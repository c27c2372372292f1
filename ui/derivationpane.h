// SPDX-License-Identifier: MIT
#pragma once

#include "derivation.h"

#include <QWidget>

#include <optional>

class QLabel;
class QPushButton;
class QTextBrowser;

namespace paramscope::ui {

class Document;

/// Where the selected module's count comes from: the formula, the same with the values, the
/// result; a container's children added up; a block's copies. Follows the node it is given and
/// every change of the document (a slider step recomputes it). Copies as text, Markdown or LaTeX.
class DerivationPane : public QWidget {
    Q_OBJECT

public:
    explicit DerivationPane(Document* document, QWidget* parent = nullptr);

    /// Shows the derivation of node @p node (Module::index); -1 shows nothing.
    void setNode(int node);
    int node() const { return m_node; }
    /// Larger type and a dark, high-contrast page (presentation mode).
    void setPresentation(bool on);

    /// The derivation shown, if the current values give one.
    const std::optional<core::Derivation>& derivation() const { return m_derivation; }
    /// What the view shows, as plain text (for tests and Copy as text).
    QString plainText() const;
    /// The derivation as Copy puts it on the clipboard.
    QString text(core::DerivationFormat format) const;

public slots:
    void copyText();
    void copyMarkdown();
    void copyLatex();

private:
    void refresh();
    void copy(core::DerivationFormat format);

    Document* m_document;
    QTextBrowser* m_view;
    QPushButton* m_copyText;
    QPushButton* m_copyMarkdown;
    QPushButton* m_copyLatex;
    std::optional<core::Derivation> m_derivation;
    QString m_reason; ///< why there is no derivation
    int m_node = -1;
    bool m_presentation = false;
};

} // namespace paramscope::ui
