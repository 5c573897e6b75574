"""``billing-desk``: no arguments opens the desktop app; a command runs headless."""

from __future__ import annotations

import sys
from typing import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        from .ui.app import run_app  # Qt is imported only for the GUI

        return run_app()
    from .cli import main as cli_main

    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
