"""What goes into the one-folder bundle, and what stays out: the rules that
installer/billing-desk.spec applies to what PyInstaller collected. Plain functions of a
file's place in the bundle and its source path, so that they can be read in one place.

Kept:
- the Qt plugins the app loads (QT_DEBUG_PLUGINS=1 shows them) or needs for what it
  does: the xcb and offscreen platforms (with xcb's GL integrations), the compose and
  IBus input methods (accented names typed on any keyboard), print support (CUPS), the
  SVG icon engine and the image formats for icons (SVG, ICO, JPEG, GIF; PNG is built into
  QtGui), and the XDG desktop portal theme (file dialogs in sandboxed desktops);
- the Qt libraries those plugins and the app's Qt modules link against, and no others;
- Babel's locale data for English and Spanish only (the app's locales are en_US and
  es_US; their parents, such as es_419 and the root locale, are kept with them), and
  Qt's own translations for the same two languages;
- every library from the virtual environment (Qt, pdfium, Pillow's) and Python's own.

Left out:
- Qt plugins for what the app does not do (Wayland, EGLFS/KMS, linuxfb, VNC, Vulkan
  display, evdev input, the virtual keyboard and its QML, TLS, network information, the
  GTK 3 theme, which would need GTK 3 installed) and the libraries only they need
  (QtQml, QtQuick, QtWaylandClient, QtVirtualKeyboard...). On a Wayland desktop the app
  runs through XWayland;
- PySide6's other modules (WebEngine, QML, 3D, Multimedia...): the app never imports
  them, so PyInstaller never collects them;
- the system's shared libraries (libc, GL, fontconfig, glib, xcb, CUPS, OpenSSL,
  SQLite...): the Debian package depends on the packages that provide them, derived by
  installer/debian_depends.py from what the bundle's files actually need.
"""

from __future__ import annotations

import fnmatch
import re
import sys
from pathlib import PurePosixPath

#: plugin folder -> file patterns kept; a folder not listed is left out entirely
QT_PLUGINS: dict[str, tuple[str, ...]] = {
    "platforms": ("libqxcb.so", "libqoffscreen.so", "qwindows.dll", "qoffscreen.dll"),
    "xcbglintegrations": ("*",),
    "platforminputcontexts": ("libcomposeplatforminputcontextplugin.so",
                              "libibusplatforminputcontextplugin.so"),
    "platformthemes": ("libqxdgdesktopportal.so",),
    "printsupport": ("*",),
    "iconengines": ("*svg*",),
    "imageformats": ("*qsvg.*", "*qico.*", "*qjpeg.*", "*qgif.*"),
    "styles": ("*",),  # Windows: the native widget style
}

#: Babel's locale data kept: the app's languages and the root all locales fall back to
LOCALE_PREFIXES = ("en", "es")

_SYSTEM_LIB_DIRS = ("/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/")


def _parts(dest: str) -> tuple[str, ...]:
    return PurePosixPath(dest.replace("\\", "/")).parts


def qt_plugin(dest: str) -> tuple[str, str] | None:
    """(plugin folder, file name) when ``dest`` is a Qt plugin in the bundle."""
    parts = _parts(dest)
    for i in range(len(parts) - 2):
        if parts[i] == "plugins" and i and parts[i - 1] in ("Qt", "Qt6", "PySide6"):
            return parts[i + 1], parts[-1]
    return None


def keep_qt_plugin(dest: str) -> bool:
    plugin = qt_plugin(dest)
    if plugin is None:
        return True
    folder, name = plugin
    return any(fnmatch.fnmatch(name, p) for p in QT_PLUGINS.get(folder, ()))


def is_qt_library(dest: str) -> bool:
    """A Qt library collected with PySide6 (PySide6/Qt/lib/libQt6Foo.so.6, libicu...)."""
    parts = _parts(dest)
    return len(parts) >= 4 and parts[:3] == ("PySide6", "Qt", "lib")


def keep_data(dest: str) -> bool:
    parts = _parts(dest)
    if len(parts) == 3 and parts[:2] == ("babel", "locale-data"):
        name = parts[2].removesuffix(".dat")
        return name == "root" or name.split("_")[0] in LOCALE_PREFIXES
    if len(parts) >= 4 and parts[:3] == ("PySide6", "Qt", "translations"):
        match = re.search(r"_([a-z]{2})(_[A-Z]{2})?\.qm$", parts[-1])
        return bool(match) and match.group(1) in LOCALE_PREFIXES
    return True


def is_system_library(src: str, python_paths: list[str] | None = None) -> bool:
    """A shared library of the operating system (Linux): under /lib or /usr/lib, and not
    Python's own (libpython3.x, or an extension module of a distribution's Python, under
    /usr/lib/python3.x). Left out of the bundle; the package depends on it."""
    if not sys.platform.startswith("linux") or not src.startswith(_SYSTEM_LIB_DIRS):
        return False
    if PurePosixPath(src).name.startswith("libpython"):
        return False  # the bootloader loads Python's own library from the bundle
    paths = python_paths if python_paths is not None else [p for p in sys.path if p]
    return not any(src.startswith(p.rstrip("/") + "/") for p in paths
                   if p.startswith(_SYSTEM_LIB_DIRS) and "python" in p)
