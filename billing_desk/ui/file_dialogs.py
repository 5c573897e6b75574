"""Every file dialog of the app: Qt's own dialog, with icons that never read a file.

A file dialog opened in the case file's folder must not read the case file or its
``-wal`` and ``-shm`` files. Qt's dialog guesses each file's type from its content
(QMimeDatabase, for the icon and the Type column), and the desktop's native dialog
(GTK's, loaded into this process) does the same: each such read opens and closes the
file, and closing any descriptor of a file drops every SQLite lock this process holds on
it (billing_desk/store/sqlite/openfiles.py explains what follows: saves written to a deleted
log). So the app uses Qt's dialog, never the native one, with an icon provider that
names files by kind (file or folder) from what the directory listing already says.
tests/ui/test_file_dialogs.py traces the system calls of a dialog opened in the folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .qt import QFileDialog, QFileIconProvider, QFileInfo

if TYPE_CHECKING:
    from .qt import QWidget


class PlainIcons(QFileIconProvider):
    """A folder icon for folders, a file icon for files: no content is read."""

    def icon(self, what):  # noqa: D401 - Qt's overloads: icon(IconType) and icon(QFileInfo)
        if isinstance(what, QFileInfo):
            kind = QFileIconProvider.IconType.Folder if what.isDir() else QFileIconProvider.IconType.File
            return super().icon(kind)
        return super().icon(what)

    def type(self, info: QFileInfo) -> str:
        if info.isDir():
            return "Folder"
        suffix = info.suffix()
        return f"{suffix.upper()} file" if suffix else "File"


_ICONS: PlainIcons | None = None


def make_dialog(parent: QWidget | None, caption: str, where: Path | str, filters: str,
                mode: QFileDialog.FileMode, *, save: bool = False) -> QFileDialog:
    """A Qt file dialog that reads no file's content (see the module's note)."""
    global _ICONS
    if _ICONS is None:
        _ICONS = PlainIcons()
    dialog = QFileDialog(parent, caption, str(where), filters)
    dialog.setObjectName("file_dialog")
    dialog.setAccessibleIdentifier("file_dialog")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setIconProvider(_ICONS)
    dialog.setFileMode(mode)
    if save:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setOption(QFileDialog.Option.DontConfirmOverwrite, False)
    return dialog


def _run(dialog: QFileDialog) -> list[Path]:
    try:
        if dialog.exec() != QFileDialog.DialogCode.Accepted:
            return []
        return [Path(p) for p in dialog.selectedFiles()]
    finally:
        dialog.deleteLater()


def open_file(parent: QWidget | None, caption: str, folder: Path, filters: str) -> Path | None:
    """One existing file chosen by the user, or None."""
    chosen = _run(make_dialog(parent, caption, folder, filters, QFileDialog.FileMode.ExistingFile))
    return chosen[0] if chosen else None


def open_files(parent: QWidget | None, caption: str, folder: Path, filters: str = "") -> list[Path]:
    """Existing files chosen by the user (none if cancelled)."""
    return _run(make_dialog(parent, caption, folder, filters, QFileDialog.FileMode.ExistingFiles))


def save_file(parent: QWidget | None, caption: str, suggested: Path, filters: str) -> Path | None:
    """Where to write a new file (the dialog asks before replacing one), or None."""
    chosen = _run(make_dialog(parent, caption, suggested, filters, QFileDialog.FileMode.AnyFile,
                              save=True))
    return chosen[0] if chosen else None
