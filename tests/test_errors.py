"""One base class for every error a person may see (billing_desk/errors.py): each family
derives from it, carries its message and its CLI exit code, and the CLI and the app need
no list of exception classes of their own."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import billing_desk
from billing_desk.cli.exit_codes import EXIT_CODES, exit_code
from billing_desk.errors import BillingDeskError

ROOT = Path(__file__).resolve().parents[1]

#: exceptions that never reach a person as such: the programming errors of an API used
#: wrongly (a float given as money), and a batch's internal stop signal
INTERNAL = {"MoneyError", "BatchInterrupted"}


def every_exception_class() -> list[type[BaseException]]:
    found = []
    for info in pkgutil.walk_packages(billing_desk.__path__, "billing_desk."):
        if info.name.startswith(("billing_desk.ui", "billing_desk.__main__")):
            continue  # (Qt: imported by the UI tests; ui/printing.py is checked below)
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, BaseException) and cls.__module__ == module.__name__:
                found.append(cls)
    return found


def test_every_error_of_the_package_is_one_family():
    classes = every_exception_class()
    assert len(classes) > 30
    strays = [c.__qualname__ for c in classes
              if not issubclass(c, BillingDeskError) and c.__name__ not in INTERNAL]
    assert strays == []


def test_every_error_carries_its_exit_code_and_the_cli_uses_it():
    from billing_desk.domain.problems import CaseInvalid, Problem
    from billing_desk.domain.workflow import WorkflowRefused
    from billing_desk.store.errors import CaseFileBusy, DiskFull

    assert exit_code(DiskFull(Path("x.bdesk"))) == 9
    assert exit_code(CaseFileBusy(Path("x.bdesk"))) == 10
    assert exit_code(WorkflowRefused("own_case", "no")) == 15
    assert exit_code(CaseInvalid([Problem("$", "not JSON")])) == 2
    assert exit_code(RuntimeError("a defect")) == 1
    from billing_desk.cli.exit_codes import EXIT_MAIL_UNUSABLE
    from billing_desk.issuing.mail_sender import MailServerUnreachable

    assert exit_code(MailServerUnreachable("no answer")) == EXIT_MAIL_UNUSABLE == 29
    for kind, code, _ in EXIT_CODES:
        assert kind.exit_code == code


def test_no_hand_written_lists_of_error_classes_remain_in_the_app_and_the_cli():
    """Each place that shows an error names the one base class (or asks ui/errors.py),
    never a tuple of families of its own."""
    families = {"StoreError", "TransitionRefused", "CaseInvalid", "DocumentError", "UserInvalid",
                "StaleRevision", "PrintFailed", "NoTerminal"}
    tuples = re.compile(r"except \(([^)]*)\)")
    offenders = []
    for path in list((ROOT / "billing_desk" / "ui").glob("*.py")) + list((ROOT / "billing_desk" / "cli").glob("*.py")):
        for m in tuples.finditer(path.read_text(encoding="utf-8")):
            named = {n.strip().split(".")[-1] for n in m.group(1).split(",")}
            if len(named & families) >= 1 and len(named) > 1:
                offenders.append(f"{path.name}: except ({m.group(1)})")
    assert offenders == []


def test_the_app_shows_every_family_as_a_message_not_a_crash():
    from billing_desk.ui.errors import expected_errors
    from billing_desk.ui.printing import PrintFailed

    assert BillingDeskError in expected_errors() and OSError in expected_errors()
    assert issubclass(PrintFailed, BillingDeskError)
