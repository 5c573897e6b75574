"""Accessibility helpers: every control gets an identifier (tests and screen readers find
it by that) and, where it has no visible label of its own, an accessible name."""

from __future__ import annotations

from .qt import QLabel, QWidget


def identify(widget: QWidget, identifier: str, name: str | None = None,
             description: str | None = None) -> QWidget:
    widget.setObjectName(identifier)
    widget.setAccessibleIdentifier(identifier)
    if name is not None:
        widget.setAccessibleName(name)
    if description is not None:
        widget.setAccessibleDescription(description)
    return widget


def value_label(identifier: str, caption: str) -> QLabel:
    """A label that shows a changing value (a total). Its text must stay its accessible
    name, so the caption goes in the description, never in the name."""
    label = QLabel()
    identify(label, identifier, description=caption)
    label.setTextInteractionFlags(label.textInteractionFlags()
                                  | label.textInteractionFlags().TextSelectableByKeyboard
                                  | label.textInteractionFlags().TextSelectableByMouse)
    return label


def announce(widget: QWidget, message: str) -> None:
    """Say ``message`` to a screen reader (politely: after what it is saying), as a
    status bar message is not read out by itself."""
    from .qt import QAccessible, QAccessibleAnnouncementEvent

    QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(widget, message))
