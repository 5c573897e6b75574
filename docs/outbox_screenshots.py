"""Screenshots of the email outbox (after a run with one notice sent, one refused by the
server and one left uncertain) and of the Documents tab saying how a case's notice went
out, on a case file of issued letters, against a local SMTP server (127.0.0.1). Run under
a real X server (not offscreen):

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python docs/outbox_screenshots.py [OUT-DIR]

Writes outbox-window.png and documents-delivery.png; also one received message as
received-message.eml and its attached letter as received-letter.pdf (to look at).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from billing_desk.domain.delivery import Delivery  # noqa: E402
from billing_desk.store import create_case_file  # noqa: E402
from billing_desk.ui.app import build_main_window, make_application  # noqa: E402
from tests.issuing.notice_cases import add_issued_cases, email_of, point_at  # noqa: E402
from tests.mail_server import Behaviour, start_mail_server  # noqa: E402


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs")
    app = make_application()
    tmp = Path(tempfile.mkdtemp())
    path = tmp / "office.bdesk"

    def fill(cf):
        add_issued_cases(cf, 6, workers=1)
        add_issued_cases(cf, 2, start=6, workers=1, delivery=Delivery.BOTH)

    create_case_file(path, fill=fill).close()
    server = start_mail_server(behaviour=Behaviour(
        rcpt_reply=lambda a, n: "550 5.1.1 <%s>: Recipient address rejected: User unknown" % a
        if a == email_of(3) else None,
        data_delay=lambda a, n: 8.0 if a == email_of(5) and n == 1 else 0))
    try:
        window = build_main_window("mailroom", QSettings(str(tmp / "s.ini"),
                                                         QSettings.Format.IniFormat), path)
        window.resize(1580, 960)
        window.show()
        point_at(window.session.file, server.port, timeout=3)
        outbox = window.outbox_actions.open_outbox()
        outbox.send_button.click()
        outbox.wait_until_done()
        outbox.resize(1400, 420)
        doubt = next(n for n in outbox.model.notices if n.state.value == "uncertain")
        outbox.select_notice(doubt.id)
        app.processEvents()
        outbox.grab().save(str(out / "outbox-window.png"))
        window.open_case(7)  # paper and email
        window.tabs.setCurrentWidget(window.documents)
        for _ in range(20):
            app.processEvents()
        window.grab().save(str(out / "documents-delivery.png"))
        received = next(r for r in server.received if r.rcpt_tos == [email_of(6)])
        (out / "received-message.eml").write_bytes(received.data)
        [attachment] = list(received.message.iter_attachments())
        (out / "received-letter.pdf").write_bytes(attachment.get_content())
        outbox.close()
        window.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
