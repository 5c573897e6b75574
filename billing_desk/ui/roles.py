"""Item data roles (and the right alignment of amounts) as plain ints, for the models'
``data()``.

Qt hands ``data()`` its role as an int, and comparing an int with a Qt enum member costs
about ten times comparing two ints (0.28 against 0.02 µs here); ``data()`` runs for every
cell and role on every paint and every column sizing (2,560 calls to size a work queue's
columns), so the models compare with these."""

from __future__ import annotations

# Qt's values (qnamespace.h), written out: importing ``Qt`` creates all of its hundred
# enums at once (about 30 ms), which the first frame does without (ui/main_window.py);
# tests/ui/test_roles.py checks each against Qt's own.
DISPLAY = 0  # Qt.ItemDataRole.DisplayRole
DECORATION = 1  # DecorationRole
EDIT = 2  # EditRole
TOOLTIP = 3  # ToolTipRole
FONT = 6  # FontRole
ALIGNMENT = 7  # TextAlignmentRole
BACKGROUND = 8  # BackgroundRole
ACCESSIBLE_DESCRIPTION = 12  # AccessibleDescriptionRole
USER = 256  # UserRole

#: what ``data()`` returns for an amount's alignment: Qt.AlignRight | Qt.AlignVCenter
RIGHT_ALIGNED = 0x0002 | 0x0080
