"""Draw the app's SVG icon as PNG files for the desktop's icon theme (hicolor).

    .venv/bin/python installer/render_icons.py ICON.svg OUT_DIR [SIZE...]

Writes OUT_DIR/<N>x<N>/apps/billing-desk.png for each size (default 16 to 256) and
OUT_DIR/scalable/apps/billing-desk.svg, as /usr/share/icons/hicolor/ lays them out.
Uses Qt's SVG renderer from the virtual environment (offscreen, no display needed).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

SIZES = (16, 22, 24, 32, 48, 64, 128, 256)


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    svg, out = Path(argv[0]), Path(argv[1])
    sizes = [int(s) for s in argv[2:]] or SIZES
    app = QGuiApplication(sys.argv[:1])  # noqa: F841 - QPainter needs the application
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        print(f"render_icons: {svg} is not an SVG Qt can draw", file=sys.stderr)
        return 1
    name = svg.stem
    scalable = out / "scalable" / "apps"
    scalable.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(svg, scalable / f"{name}.svg")
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        target = out / f"{size}x{size}" / "apps"
        target.mkdir(parents=True, exist_ok=True)
        if not image.save(str(target / f"{name}.png")):
            print(f"render_icons: could not write {target / f'{name}.png'}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
