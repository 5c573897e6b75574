"""The one base class of every failure a person may see.

``str(error)`` is the message, written for whoever meets it (what happened, what to do,
never a traceback or SQL); ``exit_code`` is what the command line exits with (documented
in docs/cli.md); ``title`` is what the app's dialog says above the message. Every family
of errors derives from it -- the case file's (:mod:`billing_desk.store.errors`), the
rules' (:class:`~billing_desk.domain.workflow.TransitionRefused`), an invalid case
(:class:`~billing_desk.domain.problems.CaseInvalid`), a user's details
(:class:`~billing_desk.domain.accounts.UserInvalid`) and the documents'
(:mod:`billing_desk.documents.errors`) -- so the app shows any of them with one helper
(billing_desk/ui/actions.py) and the CLI turns any of them into its exit code in one
place (billing_desk/cli/__init__.py).

An exception that is *not* one of these is a defect: the app shows it in its crash
dialog with the details kept, the CLI says "internal error" (exit 1).

This module is a leaf of the package (the standard library only), under every layer.
"""

from __future__ import annotations

from typing import ClassVar

#: the CLI's exit codes shared by every command; the others belong to the error classes
EXIT_INTERNAL = 1
EXIT_INVALID = 2
EXIT_REFUSED = 15


class BillingDeskError(Exception):
    """A failure with a message for the person who meets it."""

    #: what ``billing-desk`` exits with when this stops a command
    exit_code: ClassVar[int] = EXIT_INVALID
    #: the heading of the app's dialog, when the caller has none of its own
    title: ClassVar[str] = "Billing Desk"
    #: for the CLI's message: put before ``str(error)`` ("refused: ...")
    prefix: ClassVar[str] = ""
    #: one line for the list of exit codes in ``--help`` and docs/cli.md (classes with
    #: their own code say what it means; "" when a parent class already says it)
    meaning: ClassVar[str] = ""
