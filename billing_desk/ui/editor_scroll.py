"""The case editor's scroll area: it scrolls up and down when the window is short (a
small screen, the work queues open, 200% scaling) rather than squeezing the wrapped
clause texts into each other -- and never sideways. It tells the form its width, which
lays itself out for it (the account and the dates one above the other when narrow:
``CaseEditor.fit_width``), and it is never narrower than the form at its narrowest, so
the window's splitter cannot squeeze the form under a horizontal scroll bar."""

from __future__ import annotations

from .qt import QFrame, QResizeEvent, QScrollArea, QSize, QStyle, Qt

from .a11y import identify
from .case_editor import CaseEditor


class EditorScrollArea(QScrollArea):
    def __init__(self, editor: CaseEditor, parent=None) -> None:
        super().__init__(parent)
        identify(self, "case_editor_scroll", "Case editor")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Tab goes straight to the fields (the area scrolls to the field that has focus)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWidget(editor)
        self.editor = editor

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        hint = super().minimumSizeHint()
        scroll_bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)
        return QSize(self.editor.minimum_width() + scroll_bar + 2 * self.frameWidth(), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        # the width the form will have: the viewport's, less a scroll bar that may appear
        scroll_bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)
        self.editor.fit_width(event.size().width() - 2 * self.frameWidth() - scroll_bar)
        super().resizeEvent(event)
