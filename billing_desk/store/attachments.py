"""Attachments: files a clerk adds to a case (a scanned bill, a meter photo, a letter).

The bytes are stored once per content, addressed by their SHA-256 (``blobs``); each
attachment row keeps the original name, media type and size. A file above the limit
set in the case file (setting ``attachment_max_bytes``, 25 MB by default) is refused
before it is read into memory.
"""

from __future__ import annotations

import hashlib
import mimetypes
from pathlib import Path

from .connection import Connection, Transaction
from .errors import AttachmentTooLarge, RecordNotFound
from .records import AttachmentRecord
from .settings import SettingsRepository
from .timestamps import parse_utc

_COLUMNS = "id, case_id, sha256, original_name, media_type, size, added_at, added_by"
DEFAULT_MEDIA_TYPE = "application/octet-stream"


def _record(row: tuple) -> AttachmentRecord:
    id_, case_id, sha, name, media_type, size, added_at, added_by = row
    return AttachmentRecord(id_, case_id, sha, name, media_type, size, parse_utc(added_at), added_by)


def _described(r: AttachmentRecord) -> dict:
    return {"original_name": r.original_name, "media_type": r.media_type, "size": r.size,
            "sha256": r.sha256}


class AttachmentRepository:
    def __init__(self, connection: Connection, settings: SettingsRepository) -> None:
        self._c = connection
        self._settings = settings

    @property
    def max_bytes(self) -> int:
        return self._settings.get("attachment_max_bytes")

    def _check_size(self, name: str, size: int) -> None:
        limit = self.max_bytes
        if size > limit:
            raise AttachmentTooLarge(name, size, limit)

    def add(self, case_id: int, name: str, data: bytes, *, actor: str,
            media_type: str | None = None) -> AttachmentRecord:
        if not name.strip():
            raise ValueError("an attachment needs its file name")
        self._check_size(name, len(data))
        media_type = media_type or mimetypes.guess_type(name)[0] or DEFAULT_MEDIA_TYPE
        sha = hashlib.sha256(data).hexdigest()
        with self._c.write(actor) as tx:
            if tx.execute("SELECT 1 FROM cases WHERE id = ?", (case_id,)).fetchone() is None:
                raise RecordNotFound(f"Case #{case_id}", tx.noun)
            tx.execute("INSERT INTO blobs (sha256, size, data) VALUES (?, ?, ?) "
                       "ON CONFLICT (sha256) DO NOTHING", (sha, len(data), data))
            new_id = tx.value(
                "INSERT INTO attachments (case_id, sha256, original_name, media_type, size, "
                "added_at, added_by) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (case_id, sha, name, media_type, len(data), tx.at_text, tx.actor))
            record = AttachmentRecord(new_id, case_id, sha, name, media_type, len(data),
                                      tx.at, tx.actor)
            tx.audit("attach", "attachment", record.id, case_id, None, _described(record))
            return record

    def add_file(self, case_id: int, path: Path, *, actor: str,
                 media_type: str | None = None) -> AttachmentRecord:
        """Attach a file from disk; its size is checked before it is read, and a case
        file open in this process (or its log) is refused before it is touched."""
        from .sqlite.openfiles import read_outside_file, refuse_case_file_parts

        refuse_case_file_parts(path)
        self._check_size(path.name, path.stat().st_size)
        return self.add(case_id, path.name, read_outside_file(path), actor=actor,
                        media_type=media_type)

    def list(self, case_id: int) -> list[AttachmentRecord]:
        return [_record(r) for r in self._c.rows(
            f"SELECT {_COLUMNS} FROM attachments WHERE case_id = ? ORDER BY id", (case_id,))]

    def get(self, attachment_id: int) -> AttachmentRecord:
        row = self._c.row(f"SELECT {_COLUMNS} FROM attachments WHERE id = ?", (attachment_id,))
        if row is None:
            raise RecordNotFound(f"Attachment #{attachment_id}", self._c.noun)
        return _record(row)

    def data(self, attachment_id: int) -> bytes:
        return self.blob(self.get(attachment_id).sha256)

    def blob(self, sha256: str) -> bytes:
        """Bytes by content address: also those of a removed attachment, whose audit
        entry names its sha256."""
        data = self._c.value("SELECT data FROM blobs WHERE sha256 = ?", (sha256,))
        if data is None:
            raise RecordNotFound(f"Attachment content {sha256[:12]}", self._c.noun)
        return bytes(data)

    def remove(self, attachment_id: int, *, actor: str) -> None:
        """Take an attachment off its case. Its bytes stay in the file (the history
        still refers to them)."""
        with self._c.write(actor) as tx:
            record = self._get_in(tx, attachment_id)
            tx.execute("DELETE FROM attachments WHERE id = ?", (attachment_id,))
            tx.audit("detach", "attachment", attachment_id, record.case_id, _described(record), None)

    @staticmethod
    def _get_in(tx: Transaction, attachment_id: int) -> AttachmentRecord:
        row = tx.execute(f"SELECT {_COLUMNS} FROM attachments WHERE id = ?",
                         (attachment_id,)).fetchone()
        if row is None:
            raise RecordNotFound(f"Attachment #{attachment_id}", tx.noun)
        return _record(row)
