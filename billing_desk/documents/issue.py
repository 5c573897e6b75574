"""Issue preparation: every document a case calls for, rendered and read back against
the case, ready to be stored. Pure of storage — the case file calls this inside its
issue transaction and stores the result (bytes, sha256, kind, pages, fingerprint), or
stores nothing when it raises."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ..domain.fingerprint import case_fingerprint
from ..domain.mailing import is_former_customer, mailing_problems
from ..domain.rulepacks import get_rule_pack
from .errors import MissingMailingAddress, MissingSignoff, StaleDetermination
from .identity import Identity, identity_of
from .model import DocumentInput, DocumentKind
from .readback import check_document
from .render import render_document


@dataclass(frozen=True, slots=True)
class IssuedDocument:
    """One rendered, checked document of a case."""

    case_number: str
    kind: DocumentKind
    pdf: bytes
    sha256: str
    pages: int
    fingerprint: str
    copy: bool
    preview: bool = False


def verify_determination(inp: DocumentInput) -> None:
    """The input's determination must be the approved one of this very case: the case
    and the rule pack still give the fingerprint the approval bound to, and the
    determination is what the rule pack computes for the case (so no other case's
    amounts can ride along with this case's name)."""
    pack = get_rule_pack(inp.case.rule_pack)
    if (inp.determination.rule_pack, inp.determination.rule_pack_version) != (pack.name,
                                                                              pack.version):
        raise StaleDetermination(
            f"Case {inp.case_number} was determined under {inp.determination.rule_pack} "
            f"{inp.determination.rule_pack_version}, but the rules in force are {pack.name} "
            f"{pack.version}. Review the determination and approve it again before issuing.")
    if case_fingerprint(inp.case, pack.name, pack.version) != inp.fingerprint:
        raise StaleDetermination(
            f"Case {inp.case_number} changed after it was approved (its fingerprint no "
            f"longer matches the approval). Submit it for approval again before issuing.")
    if pack.determine(inp.case) != inp.determination:
        raise StaleDetermination(
            f"The determination given for case {inp.case_number} is not the one its case "
            f"produces; nothing was issued. Reopen the case and approve it again.")


def prepare_issue(inp: DocumentInput) -> tuple[IssuedDocument, ...]:
    """Render every document ``inp``'s case calls for (letter, and the credit and/or
    back-bill memo), read each back and check it against the case (a preview input gives
    watermarked previews, checked the same way, never to be stored). Raises a
    :class:`~.errors.DocumentError` (nothing is returned, nothing should be stored) when
    any document cannot be rendered or does not match its case."""
    verify_determination(inp)
    _require_signoffs(inp)
    _require_mailable(inp)
    ident = identity_of(inp.case.account, inp.case_number)
    return tuple(_prepared(inp, kind, ident) for kind in inp.kinds)


def prepare_document(inp: DocumentInput, kind: DocumentKind) -> IssuedDocument:
    """One document of the case (a reprint of one issued document), rendered and
    checked as :func:`prepare_issue` does."""
    verify_determination(inp)
    _require_signoffs(inp)
    _require_mailable(inp)
    if kind not in inp.kinds:
        raise StaleDetermination(f"Case {inp.case_number} calls for no "
                                 f"{kind.value.replace('_', ' ')} under its determination.")
    return _prepared(inp, kind, identity_of(inp.case.account, inp.case_number))


def _prepared(inp: DocumentInput, kind: DocumentKind, ident: Identity) -> IssuedDocument:
    rendered = render_document(inp, kind, ident)
    pages = check_document(inp, kind, rendered.pdf, ident)
    return IssuedDocument(inp.case_number, kind, rendered.pdf,
                          hashlib.sha256(rendered.pdf).hexdigest(), pages, inp.fingerprint,
                          inp.copy, inp.preview)


def _require_signoffs(inp: DocumentInput) -> None:
    if not inp.preview:
        missing = [what for what, signoff in (("prepared (submitted)", inp.prepared),
                                              ("approved", inp.approved)) if signoff is None]
        if missing:
            raise MissingSignoff(
                f"Case {inp.case_number} has no record of who {' or '.join(missing)} it; "
                f"its documents cannot be issued until it has been submitted and approved.")


def _require_mailable(inp: DocumentInput) -> None:
    """A refund check to a former customer goes to their forwarding address, never to
    the service address they left (the workflow refuses such a case at submission; an
    approval older than that rule is refused here)."""
    account = inp.case.account
    problems = mailing_problems(account, inp.determination.refund_total)
    if problems and is_former_customer(account) and (account.mailing_address or "").strip():
        raise MissingMailingAddress(
            f"Case {inp.case_number} cannot be mailed: {problems[0].message}. Nothing was "
            f"issued; correct the mailing address, then submit and approve the case again.")
