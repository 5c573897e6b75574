"""The bundle's entry point: ``billing-desk`` with the same arguments (no arguments
opens the desktop app; a command runs headless)."""

import multiprocessing
import sys

from billing_desk.__main__ import main

if __name__ == "__main__":
    # the batch of letters runs in "spawn" worker processes: in a bundle they start the
    # bundle's executable again, and this lets such a start become a worker
    multiprocessing.freeze_support()
    sys.exit(main())
