"""The item roles and the amount alignment the models use are written out as ints (so
the first frame need not import ``Qt``, see billing_desk/ui/roles.py): each must be the
value Qt itself has for it."""

from __future__ import annotations

from PySide6.QtCore import Qt

from billing_desk.ui import roles


def test_each_role_is_qts_own_value():
    r = Qt.ItemDataRole
    assert {name: getattr(roles, name) for name in (
        "DISPLAY", "DECORATION", "EDIT", "TOOLTIP", "FONT", "ALIGNMENT", "BACKGROUND",
        "ACCESSIBLE_DESCRIPTION", "USER")} == {
        "DISPLAY": r.DisplayRole.value, "DECORATION": r.DecorationRole.value,
        "EDIT": r.EditRole.value, "TOOLTIP": r.ToolTipRole.value, "FONT": r.FontRole.value,
        "ALIGNMENT": r.TextAlignmentRole.value, "BACKGROUND": r.BackgroundRole.value,
        "ACCESSIBLE_DESCRIPTION": r.AccessibleDescriptionRole.value, "USER": r.UserRole.value}


def test_amounts_are_aligned_right_and_centred_vertically():
    assert roles.RIGHT_ALIGNED == (Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value
