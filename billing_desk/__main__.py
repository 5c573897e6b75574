"""``billing-desk``: no arguments opens the desktop app, ``billing-desk FILE.bdesk`` opens it
on that case file (as a file manager does); a command runs headless."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or (len(args) == 1 and args[0].endswith(".bdesk")):
        from ._startup import pause_collector

        pause_collector()  # until the window is complete (see _startup.py)
        from .ui.app import run_app  # Qt is imported only for the GUI

        return run_app(path=Path(args[0]) if args else None)
    from .cli import main as cli_main

    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
