"""``billing-desk``: no arguments opens the desktop app, ``billing-desk FILE.bdesk`` opens it
on that case file (as a file manager does) and ``billing-desk postgresql://...`` (or
``service=NAME``) on a database on a server; a command runs headless."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    server = len(args) == 1 and _is_server(args[0])
    if not args or (len(args) == 1 and args[0].endswith(".bdesk")) or server:
        from ._startup import pause_collector

        pause_collector()  # until the window is complete (see _startup.py)
        from .ui.app import run_app  # Qt is imported only for the GUI

        return run_app(path=(args[0] if server else Path(args[0])) if args else None)
    from .cli import main as cli_main

    return cli_main(args)


def _is_server(arg: str) -> bool:
    from .store.targets import is_server_target

    return is_server_target(arg)


if __name__ == "__main__":
    sys.exit(main())
