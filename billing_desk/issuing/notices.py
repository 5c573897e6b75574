"""The email that carries a customer's letter, built from one notice's own case -- and
checked like a letter before it is handed to the mail server (issue 20).

:func:`prepare_notice` loads the notice's case and its issued letter from the case file,
composes the message (subject and body in the customer's language from
``resources/locales/<locale>/notices.toml``, the stored letter PDF attached as it is),
turns it into the exact bytes that will be sent, and then reads those bytes back as a
receiving mail program would and compares them with what this case must show:

- the envelope and the To header name exactly the case's own address, nobody else
  (no Cc, no Bcc), and the Message-ID is the notice's;
- the subject and the text are exactly the ones made from this case's account number,
  name and addresses (so no other customer's data can be in them), carry those values,
  and contain no link to any web page;
- there is exactly one attachment, and its bytes are the letter as stored: the same
  SHA-256 as the document row and the outbox row; read back with pdfium
  (:func:`~billing_desk.documents.readback.check_document`), it is this case's letter
  -- its envelope window, account and case numbers and every page's footer show this
  case and no other.

Any difference raises :class:`NoticeBlocked` naming each one; the message is not sent.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.charset import QP, Charset
from email.header import Header, decode_header, make_header
from email.message import Message
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.parser import BytesParser
from email.utils import format_datetime, formataddr, getaddresses
from functools import cache

from ..errors import BillingDeskError
from ..documents import DocumentInput, DocumentKind, DocumentMismatch, check_document
from ..documents.identity import Identity, identity_of
from ..documents.wording import wording_for
from ..domain.delivery import Delivery, by_email
from ..domain.workflow import CaseStatus
from ..resources import resource_path
from ..store import CaseFile, CaseRecord, NoticeRecord
from .inputs import checked_case, recorded_input
from .signoffs import current_fingerprint


class NoticeBlocked(BillingDeskError):
    """The message of a notice is not this case's, or cannot be made; nothing is sent."""

    def __init__(self, case_number: str, problems: list[str]) -> None:
        self.case_number = case_number
        self.problems = tuple(problems)
        super().__init__(f"Email notice of case {case_number} not sent: " + "; ".join(problems))


@dataclass(frozen=True, slots=True)
class Sender:
    """Who notices come from: the ``mail.from_address`` and ``mail.reply_to`` settings
    and the utility's name as the letter prints it."""

    address: str
    reply_to: str = ""


@dataclass(frozen=True, slots=True)
class ExpectedNotice:
    """What the message of one notice must be, computed from its case alone."""

    case_number: str
    to: str
    customer_name: str
    from_address: str
    from_name: str
    reply_to: str
    message_id: str
    subject: str
    body: str
    file_name: str
    attachment_sha256: str
    identity: Identity


@dataclass(frozen=True, slots=True)
class NoticeMessage:
    """A checked message, ready to hand over."""

    notice_id: int
    envelope_from: str
    to: str
    raw: bytes
    expected: ExpectedNotice


@cache
def notice_texts(locale: str) -> dict[str, str]:
    with open(resource_path("locales", locale, "notices.toml"), "rb") as f:
        return tomllib.load(f)


#: a link, or something a mail program would turn into one: a scheme, "www.", or a
#: domain followed by a path
LINK = re.compile(r"(?i)\b[a-z][a-z0-9+.-]*://|\bwww\.|\b[a-z0-9-]+(\.[a-z0-9-]+)+/")


def file_name(case_number: str) -> str:
    return f"{case_number}-letter.pdf"


def expected_notice(notice: NoticeRecord, inp: DocumentInput, sender: Sender) -> ExpectedNotice:
    """The subject and text of ``notice``'s message, from its case (``inp``: what its
    letter was rendered from) and nothing else."""
    case = inp.case
    account = case.account
    ident = identity_of(account, inp.case_number)
    locale = account.effective_locale
    t = notice_texts(locale)
    letterhead = inp.settings.letterhead
    service = wording_for(locale).text(f"services.{case.service.value}")
    values = {"account": ident.account_number, "case_number": ident.case_number,
              "name": ident.customer_name, "utility": letterhead.name, "service": service,
              "file_name": file_name(ident.case_number), "phone": letterhead.phone,
              "hours": letterhead.hours_in(locale),
              "utility_address": ", ".join(letterhead.address_lines)}
    paragraphs = [t["salutation"].format(**values)]
    if notice.copy:
        paragraphs.append(t["copy_note"].format(**values))
    lines = [t["attached"].format(**values)]
    if ident.service_address:
        lines.append(t["service_address"].format(address=ident.service_address))
    lines.append(t["mailing_address"].format(address=ident.mailing_one_line))
    paragraphs.append("\n".join(lines))
    read = t["read_it"].format(**values)
    if account.effective_delivery is Delivery.BOTH:
        read += " " + t["paper_too"]
    paragraphs += [read, t["contact"].format(**values), t["no_link"],
                   "\n".join((t["closing"], letterhead.department_in(locale), letterhead.name))]
    subject = t["copy_subject" if notice.copy else "subject"].format(**values)
    return ExpectedNotice(
        case_number=ident.case_number, to=notice.to_address, customer_name=ident.customer_name,
        from_address=sender.address, from_name=letterhead.name, reply_to=sender.reply_to,
        message_id=notice.message_id, subject=subject, body="\n\n".join(paragraphs) + "\n",
        file_name=file_name(ident.case_number), attachment_sha256=notice.document_sha256,
        identity=ident)


#: how messages are written: CRLF line ends, as SMTP carries them, and no header folded
#: (a Message-ID split over two lines reads back with a space in front: a receiving
#: system comparing it would not see the duplicate; SMTP allows 998 characters a line).
#: The classic email API: the same structure as the modern one, several times faster.
WIRE = policy.compat32.clone(linesep="\r\n", max_line_length=None)


#: the text in UTF-8, quoted-printable: readable as it travels, lines ending CRLF
_TEXT = Charset("utf-8")
_TEXT.body_encoding = QP


def _header(value: str | None) -> str:
    """A header's text as a reader sees it: encoded words decoded, folding undone."""
    if value is None:
        return ""
    return " ".join(str(make_header(decode_header(value))).split())


def build_message(expected: ExpectedNotice, pdf: bytes, date: datetime) -> Message:
    msg = MIMEMultipart()
    msg["From"] = formataddr((expected.from_name, expected.from_address), "utf-8")
    msg["To"] = formataddr((expected.customer_name, expected.to), "utf-8")
    if expected.reply_to:
        msg["Reply-To"] = expected.reply_to
    msg["Subject"] = (expected.subject if expected.subject.isascii()
                      else Header(expected.subject, "utf-8"))
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = expected.message_id
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no automatic replies to it
    msg.attach(MIMEText(expected.body, "plain", _TEXT))
    attachment = MIMEApplication(pdf, "pdf")
    attachment.add_header("Content-Disposition", "attachment", filename=expected.file_name)
    msg.attach(attachment)
    return msg


_ADDRESSED = ("cc", "bcc", "resent-to", "resent-cc", "resent-bcc")


def check_message(raw: bytes, recipients: list[str], expected: ExpectedNotice,
                  inp: DocumentInput) -> None:
    """Read the message bytes back and compare them with ``expected`` (see the module
    docstring); raise :class:`NoticeBlocked` listing every difference."""
    problems: list[str] = []
    if recipients != [expected.to]:
        problems.append(f"the message would go to {recipients}, not to {expected.to} alone")
    msg = BytesParser(policy=policy.compat32).parsebytes(raw)
    to = getaddresses(msg.get_all("To", []))
    if [address for _, address in to] != [expected.to]:
        problems.append(f"To names {[a for _, a in to] or 'nobody'}, expected {expected.to} alone")
    elif _header(to[0][0]) != expected.customer_name:
        problems.append(f"To shows the name {_header(to[0][0])!r}, expected "
                        f"{expected.customer_name!r}")
    for header in _ADDRESSED:
        if msg[header] is not None:
            problems.append(f"the message has a {header} header: nobody may be copied")
    sender = getaddresses(msg.get_all("From", []))
    if [address for _, address in sender] != [expected.from_address]:
        problems.append(f"From is {msg['From']}, expected {expected.from_address}")
    if expected.reply_to and _header(msg["Reply-To"]) != expected.reply_to:
        problems.append(f"Reply-To is {msg['Reply-To']}, expected {expected.reply_to}")
    if _header(msg["Message-ID"]) != expected.message_id:
        problems.append(f"Message-ID is {msg['Message-ID']}, expected {expected.message_id}")
    subject = _header(msg["Subject"])
    if subject != expected.subject:
        problems.append(f"the subject reads {subject!r}, expected {expected.subject!r}")
    parts = msg.get_payload() if msg.is_multipart() else []
    bodies = [p for p in parts if p.get_content_type() == "text/plain"
              and p.get("Content-Disposition") is None]
    attachments = [p for p in parts if str(p.get("Content-Disposition", "")).startswith("attachment")]
    if len(parts) != 2 or len(bodies) != 1 or len(attachments) != 1:
        problems.append(f"the message has {len(bodies)} text(s) and {len(attachments)} "
                        f"attachment(s) in {len(parts)} part(s), expected one text and the letter")
    if bodies:
        body = bodies[0]
        text = body.get_payload(decode=True).decode(body.get_content_charset() or "ascii",
                                                    "replace").replace("\r\n", "\n")
        if text != expected.body:
            problems.append("the text is not the one made from this case")
        ident = expected.identity
        for label, value in (("account number", ident.account_number),
                             ("customer name", ident.customer_name),
                             ("mailing address", ident.mailing_one_line),
                             ("service address", ident.service_address)):
            if value and value not in text:
                problems.append(f"the text does not show the {label} {value!r}")
        if LINK.search(text) or LINK.search(subject):
            problems.append("the message contains a link to a web page")
    if attachments:
        part = attachments[0]
        pdf = part.get_payload(decode=True)
        if part.get_content_type() != "application/pdf" or part.get_filename() != expected.file_name:
            problems.append(f"the attachment is {part.get_content_type()} "
                            f"{part.get_filename()!r}, expected the PDF {expected.file_name!r}")
        if not isinstance(pdf, bytes) or hashlib.sha256(pdf).hexdigest() != expected.attachment_sha256:
            problems.append("the attachment is not the letter as issued (its SHA-256 differs)")
        else:
            try:
                check_document(inp, DocumentKind.LETTER, pdf, expected.identity)
            except DocumentMismatch as e:
                problems += [f"the attached letter: {p}" for p in e.problems]
    if problems:
        raise NoticeBlocked(expected.case_number, problems)


def notice_input(cf: CaseFile, notice: NoticeRecord) -> tuple[CaseRecord, DocumentInput, bytes]:
    """The notice's case as stored now, what its letter was rendered from, and the
    letter's bytes -- each checked to belong to the notice; :class:`NoticeBlocked` if
    not."""
    record = cf.cases.load(notice.case_id)
    problems: list[str] = []
    if record.status not in (CaseStatus.ISSUED, CaseStatus.CLOSED):
        problems.append(f"the case is {record.status.value}, not issued")
    if record.approved is None or record.approved.fingerprint != notice.fingerprint:
        problems.append("the case's approved determination is not the one the notice is for")
    elif current_fingerprint(record) != notice.fingerprint:
        problems.append("the case changed since its letter was issued")
    account = record.draft.account
    if account.email != notice.to_address:
        problems.append(f"the case's email address is {account.email!r}, the notice's "
                        f"{notice.to_address!r}")
    if not by_email(account.delivery):
        problems.append(f"the customer asked for delivery by "
                        f"{(account.delivery or Delivery.PAPER).value}")
    document = cf.documents.find(notice.document_id)
    if (document.case_id, document.kind.value, document.fingerprint, document.sha256) != (
            notice.case_id, notice.document, notice.fingerprint, notice.document_sha256):
        problems.append(f"document #{document.id} is not this case's issued letter")
    pdf = cf.documents.pdf(document.id)
    if hashlib.sha256(pdf).hexdigest() != document.sha256:
        problems.append("the stored letter no longer matches its SHA-256")
    recorded = cf.issues.rendered_from(document)
    if recorded is None:
        problems.append("the letter's issue is not in the history")
    if problems:
        raise NoticeBlocked(record.case_number, problems)
    try:
        checked_case(record)
    except Exception as e:  # noqa: BLE001 - CaseInvalid: said as a problem of the notice
        raise NoticeBlocked(record.case_number, [f"the case is not valid ({e})"]) from None
    return record, recorded_input(record, recorded, notice.fingerprint, copy=False), pdf


def prepare_notice(cf: CaseFile, notice: NoticeRecord, sender: Sender,
                   now: datetime) -> NoticeMessage:
    """The checked message of ``notice`` (see the module docstring)."""
    _record, inp, pdf = notice_input(cf, notice)
    try:
        expected = expected_notice(notice, inp, sender)
    except Exception as e:  # noqa: BLE001 - a letter that cannot be addressed
        raise NoticeBlocked(notice.case_number, [str(e)]) from None
    raw = build_message(expected, pdf, now).as_bytes(policy=WIRE)
    check_message(raw, [notice.to_address], expected, inp)
    return NoticeMessage(notice.id, sender.address, notice.to_address, raw, expected)
