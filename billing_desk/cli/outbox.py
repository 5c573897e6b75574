"""``billing-desk outbox list|queue|send|retry|mark|settings FILE``: the email notices
(issue 20; docs/notices.md).

The SMTP password is never an argument nor a setting: ``BILLING_DESK_SMTP_PASSWORD``, or
a prompt when the server needs a login. Exit codes of their own: 29 the mail server
cannot be used as set up (settings, connection, TLS, login; nothing was sent), 30 the run
ended with notices that need a person (failed, or uncertain: perhaps sent).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from ..domain.outbox import Move, MoveRefused, NoticeState
from ..issuing.mail_sender import PASSWORD_VARIABLE, MailError
from ..store.settings import InvalidSetting
from .arguments import target_argument
from .exit_codes import (EXIT_INVALID, EXIT_MAIL_UNUSABLE, EXIT_NOTICES_NEED_A_PERSON, EXIT_OK,
                         EXIT_REFUSED)
from .progress import ProgressDisplay
from .signin import acting_user_default_option, open_target, read_password, sign_in


_OPTIONS = (("host", "mail.smtp_host", str), ("port", "mail.smtp_port", int),
            ("security", "mail.security", str), ("login", "mail.login", str),
            ("from_address", "mail.from_address", str), ("reply_to", "mail.reply_to", str),
            ("rate", "mail.rate_per_minute", int), ("timeout", "mail.timeout_seconds", int))


def _notice_id(cf, text: str) -> int:
    """A notice by its number (``12``, ``#12``) or by its case's number."""
    t = text.strip().lstrip("#")
    if t.isdigit():
        return cf.outbox.get(int(t)).id
    record = cf.cases.find(t)
    notices = cf.outbox.list(case_id=record.id)
    if len(notices) != 1:
        raise MoveRefused(f"Case {record.case_number} has {len(notices)} email notices: "
                          "name the notice by its number (billing-desk outbox list).")
    return notices[0].id


def cmd_list(args: argparse.Namespace) -> int:
    with open_target(args.target, reading=True) as cf:
        states = [NoticeState(s) for s in args.state] if args.state else None
        case_id = cf.cases.find(args.case).id if args.case else None
        notices = cf.outbox.list(states, case_id=case_id, limit=args.limit)
        counts = cf.outbox.counts()
    print("Notices: " + ", ".join(f"{n:,} {s.label}" for s, n in counts.items()))
    if notices:
        print(f"{'#':>6}  {'case':<10} {'account':<14} {'to':<32} {'state':<30} tries  reply")
    for n in notices:
        flag = " (copy)" if n.copy else ""
        print(f"{n.id:>6}  {n.case_number:<10} {n.account_number:<14} {n.to_address:<32} "
              f"{n.state.label + flag:<30} {n.attempts:>5}  {n.server_reply or ''}")
    return EXIT_OK


def cmd_queue(args: argparse.Namespace) -> int:
    from ..issuing.outbox import queue_notices

    with open_target(args.target) as cf:
        actor = sign_in(cf, args.as_)
        queued = queue_notices(cf, actor=actor)
    print(f"Queued {len(queued):,} notice(s).")
    return EXIT_OK


def cmd_send(args: argparse.Namespace) -> int:
    from ..issuing.outbox import mail_settings, send_notices

    cancel = threading.Event()

    def on_interrupt(signum, frame) -> None:
        if cancel.is_set():
            raise KeyboardInterrupt
        cancel.set()
        sys.stderr.write("\noutbox send: stopping after the message being sent; the rest "
                         "stay queued (Ctrl+C again to stop at once)\n")

    with open_target(args.target) as cf:
        actor = sign_in(cf, args.as_)
        settings = mail_settings(cf)
        password = None
        if settings.login:
            password = read_password(f"Password of {settings.login} at {settings.host}: ",
                                     env=PASSWORD_VARIABLE)
        display = ProgressDisplay("outbox send", unit="notices")
        previous = signal.signal(signal.SIGINT, on_interrupt)
        try:
            report = send_notices(cf, actor=actor, password=password, limit=args.limit,
                                  cancel=cancel, progress=display)
        except MailError as e:
            sys.stderr.write(f"billing-desk outbox send: {e}\n")
            return EXIT_MAIL_UNUSABLE
        finally:
            signal.signal(signal.SIGINT, previous)
        display.finish()
        counts = cf.outbox.counts()
    print(report.summary())
    for n in report.uncertain_found:
        print(f"  uncertain: notice #{n.id}, case {n.case_number}, to {n.to_address}")
    for blocked in report.blocked:
        print(f"  {blocked}")
    need = counts[NoticeState.UNCERTAIN] + counts[NoticeState.FAILED_PERMANENT]
    if need:
        print(f"{need:,} notice(s) need a person: billing-desk outbox list {args.target} "
              "--state uncertain --state failed_permanent")
    return EXIT_NOTICES_NEED_A_PERSON if need else EXIT_OK


def _decide(args: argparse.Namespace, move: Move) -> int:
    from ..issuing.outbox import decide_notice

    with open_target(args.target) as cf:
        actor = sign_in(cf, args.as_)
        try:
            notice = decide_notice(cf, _notice_id(cf, args.notice), move, actor=actor,
                                   note=getattr(args, "note", "") or "")
        except MoveRefused as e:
            sys.stderr.write(f"billing-desk: refused: {e}\n")
            return EXIT_REFUSED
    print(f"Notice #{notice.id} (case {notice.case_number}, to {notice.to_address}) is now "
          f"{notice.state.label}{' and will be sent as a copy' if notice.copy and notice.state is NoticeState.QUEUED else ''}.")
    return EXIT_OK


def cmd_retry(args: argparse.Namespace) -> int:
    return _decide(args, Move.RETRY)


def cmd_mark(args: argparse.Namespace) -> int:
    return _decide(args, Move.MARK_SENT if args.sent else Move.RESEND_COPY)


def cmd_settings(args: argparse.Namespace) -> int:
    from ..issuing.outbox import MAIL_KEYS, set_mail_settings

    values = {key: getattr(args, name) for name, key, _ in _OPTIONS
              if getattr(args, name) is not None}
    with open_target(args.target) as cf:
        if values:
            actor = sign_in(cf, args.as_)
            try:
                set_mail_settings(cf, values, actor=actor)
            except InvalidSetting as e:
                sys.stderr.write(f"billing-desk outbox settings: {e}; nothing was changed\n")
                return EXIT_INVALID
        shown = {key: cf.settings.get(key) for key in MAIL_KEYS}
    for key, value in shown.items():
        print(f"{key} = {value}")
    print(f"(the password is not kept in the file: ${PASSWORD_VARIABLE} or a prompt)")
    return EXIT_OK


def add_commands(sub: argparse._SubParsersAction) -> None:
    top = sub.add_parser("outbox", help="email notices: list, queue, send, retry, mark, settings",
                         description="The outbox of email notices: each issued letter whose "
                                     "customer wants email, sent exactly once.")
    verbs = top.add_subparsers(dest="verb", metavar="VERB", required=True)

    p = verbs.add_parser("list", help="the notices and their state")
    target_argument(p)
    p.add_argument("--state", action="append", choices=[s.value for s in NoticeState],
                   help="only notices in this state (repeatable)")
    p.add_argument("--case", metavar="CASE-NUMBER", help="only this case's notices")
    p.add_argument("--limit", type=int, default=1000, metavar="N")
    p.set_defaults(func=cmd_list)

    p = verbs.add_parser("queue", help="queue the notices of issued letters not queued yet")
    target_argument(p)
    acting_user_default_option(p, "queues them")
    p.set_defaults(func=cmd_queue)

    p = verbs.add_parser("send", help="queue what is due and send it",
                         description="Queue the notices of issued letters whose customer "
                                     "wants email, mark uncertain what a stopped sender left "
                                     "being sent, then send every notice due. Exit "
                                     f"{EXIT_MAIL_UNUSABLE} when the mail server cannot be "
                                     f"used (nothing sent), {EXIT_NOTICES_NEED_A_PERSON} when "
                                     "notices need a person.")
    target_argument(p)
    p.add_argument("--limit", type=int, metavar="N", help="send at most N messages")
    acting_user_default_option(p, "sends them")
    p.set_defaults(func=cmd_send)

    p = verbs.add_parser("retry", help="send a failed notice again now")
    target_argument(p)
    p.add_argument("notice", metavar="NOTICE", help="its number (outbox list) or its case's")
    acting_user_default_option(p, "retries it")
    p.set_defaults(func=cmd_retry)

    p = verbs.add_parser("mark", help="decide about an uncertain notice")
    target_argument(p)
    p.add_argument("notice", metavar="NOTICE", help="its number (outbox list) or its case's")
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--sent", action="store_true", help="the customer has it: mark it sent")
    how.add_argument("--resend-copy", action="store_true",
                     help="send it again, marked as a copy (same Message-ID)")
    p.add_argument("--note", metavar="TEXT", help="why (kept in the history)")
    acting_user_default_option(p, "decides")
    p.set_defaults(func=cmd_mark)

    p = verbs.add_parser("settings", help="show or change the outgoing mail settings")
    target_argument(p)
    p.add_argument("--host", help="SMTP host (mail.smtp_host)")
    p.add_argument("--port", type=int, help="SMTP port (mail.smtp_port)")
    p.add_argument("--security", help="starttls, tls or none (mail.security)")
    p.add_argument("--login", help="login at the server, blank for none (mail.login)")
    p.add_argument("--from", dest="from_address", metavar="ADDRESS",
                   help="the address notices come from (mail.from_address)")
    p.add_argument("--reply-to", metavar="ADDRESS", help="where replies go (mail.reply_to)")
    p.add_argument("--rate", type=int, metavar="PER-MINUTE",
                   help="at most this many messages a minute, 0 no limit (mail.rate_per_minute)")
    p.add_argument("--timeout", type=int, metavar="SECONDS", help="mail.timeout_seconds")
    acting_user_default_option(p, "changes them")
    p.set_defaults(func=cmd_settings)
