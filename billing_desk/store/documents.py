"""Issued documents (customer letters, credit and back-bill memos) as PDF bytes.

Issuing is idempotent: there is one issue per (case, kind, determination fingerprint),
numbered in sequence per kind, and asking again returns that issue unchanged. A document
must name a determination recorded for its case. Rows are never changed or deleted
(triggers). Rendering, the text check before issue and printing copies belong to the
documents layer; this is only where the result is kept. The app stores a case's whole
issue at once (:mod:`.issues`); every later use of an issued document -- printed,
saved as a file -- is recorded in the audit history here, and a copy stamped COPY
(reprinted, or saved as a file) is a new row of ``document_copies`` with its entry.
"""

from __future__ import annotations

import hashlib

from .audit import AUDIT_COLUMNS, AuditEntry
from .connection import Connection
from .errors import RecordNotFound
from .records import DocumentCopy, DocumentKind, DocumentRecord
from .timestamps import parse_utc

COLUMNS = ("id, case_id, kind, issue_number, fingerprint, sha256, page_count, created_at, "
            "created_by")
COPY_COLUMNS = ("id, document_id, purpose, sha256, page_count, file_name, created_at, "
                "created_by")


def document_record(row: tuple) -> DocumentRecord:
    """A ``documents`` row (``COLUMNS``) as a record."""
    id_, case_id, kind, number, fp, sha, pages, created_at, created_by = row
    return DocumentRecord(id_, case_id, DocumentKind(kind), number, fp, sha, pages,
                          parse_utc(created_at), created_by)


class DocumentRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(self, case_id: int, kind: DocumentKind, fingerprint: str, pdf: bytes,
            page_count: int, *, actor: str) -> DocumentRecord:
        """Keep an issued PDF; if this (case, kind, fingerprint) was issued already,
        return that issue (its bytes are not replaced)."""
        kind = DocumentKind(kind)
        with self._c.write(actor) as tx:
            existing = tx.execute(f"SELECT {COLUMNS} FROM documents WHERE case_id = ? AND "
                                  "kind = ? AND fingerprint = ?",
                                  (case_id, kind.value, fingerprint)).fetchone()
            if existing is not None:
                tx.unchanged()
                return document_record(existing)
            if tx.execute("SELECT 1 FROM determinations WHERE case_id = ? AND fingerprint = ?",
                          (case_id, fingerprint)).fetchone() is None:
                raise RecordNotFound(f"A determination {fingerprint[:12]} of case #{case_id}",
                                     tx.noun)
            number = tx.execute("SELECT coalesce(max(issue_number), 0) + 1 FROM documents "
                                "WHERE kind = ?", (kind.value,)).fetchone()[0]
            sha = hashlib.sha256(pdf).hexdigest()
            new_id = tx.value(
                "INSERT INTO documents (case_id, kind, issue_number, fingerprint, sha256, pdf, "
                "page_count, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "RETURNING id",
                (case_id, kind.value, number, fingerprint, sha, pdf, page_count, tx.at_text,
                 tx.actor))
            record = DocumentRecord(new_id, case_id, kind, number, fingerprint, sha,
                                    page_count, tx.at, tx.actor)
            tx.audit("issue", "document", record.id, case_id, None, {
                "kind": kind.value, "issue_number": number, "fingerprint": fingerprint,
                "sha256": sha, "page_count": page_count})
            return record

    def get(self, case_id: int, kind: DocumentKind, fingerprint: str) -> DocumentRecord | None:
        row = self._c.row(f"SELECT {COLUMNS} FROM documents WHERE case_id = ? AND kind = ? "
                          "AND fingerprint = ?", (case_id, DocumentKind(kind).value, fingerprint))
        return None if row is None else document_record(row)

    def find(self, document_id: int) -> DocumentRecord:
        row = self._c.row(f"SELECT {COLUMNS} FROM documents WHERE id = ?", (document_id,))
        if row is None:
            raise RecordNotFound(f"Document #{document_id}", self._c.noun)
        return document_record(row)

    def record_use(self, document_id: int, action: str, details: dict, *, actor: str) -> int:
        """Record in the history that ``actor`` used an issued document as it is
        (``print`` of the original, ``save`` of its stored bytes as a file), with
        ``details``; the document itself never changes. A copy stamped COPY is kept by
        :meth:`add_copy` instead. Returns the audit entry's id."""
        if action not in ("print", "save"):
            raise ValueError(f"{action!r}: a use of the original is 'print' or 'save'")
        document = self.find(document_id)
        with self._c.write(actor) as tx:
            return tx.audit(action, "document", document.id, document.case_id, None, {
                "kind": document.kind.value, "issue_number": document.issue_number,
                "sha256": document.sha256, **details})

    def add_copy(self, document_id: int, purpose: str, pdf: bytes, page_count: int, *,
                 actor: str, file_name: str | None = None) -> DocumentCopy:
        """Keep a copy of an issued document, stamped COPY, as a new row -- ``reprint``
        (printed again) or ``save`` (written to ``file_name``) -- with its audit entry
        (``reprint`` or ``save``, naming the copy), in one transaction. The original is
        never touched."""
        document = self.find(document_id)
        if purpose not in ("reprint", "save") or (purpose == "save") != bool(file_name):
            raise ValueError(f"{purpose!r}: a copy is a reprint, or saved under a file name")
        sha = hashlib.sha256(pdf).hexdigest()
        with self._c.write(actor) as tx:
            copy_id = tx.value(
                "INSERT INTO document_copies (document_id, purpose, sha256, pdf, page_count, "
                "file_name, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (document.id, purpose, sha, pdf, page_count, file_name, tx.at_text, tx.actor))
            details = {"copy_id": copy_id, "copy_sha256": sha, "page_count": page_count,
                       "copy": True}
            if file_name is not None:
                details["file_name"] = file_name
            tx.audit(purpose, "document", document.id, document.case_id, None, {
                "kind": document.kind.value, "issue_number": document.issue_number,
                "sha256": document.sha256, **details})
            return DocumentCopy(copy_id, document.id, purpose, sha, page_count, file_name,
                                tx.at, tx.actor)

    def copies(self, document_id: int) -> list[DocumentCopy]:
        """Every copy made of one issued document, oldest first."""
        return [DocumentCopy(id_, doc, purpose, sha, pages, name, parse_utc(at), by)
                for id_, doc, purpose, sha, pages, name, at, by in self._c.rows(
                    f"SELECT {COPY_COLUMNS} FROM document_copies WHERE document_id = ? "
                    "ORDER BY id", (document_id,))]

    def copy_pdf(self, copy_id: int) -> bytes:
        data = self._c.value("SELECT pdf FROM document_copies WHERE id = ?", (copy_id,))
        if data is None:
            raise RecordNotFound(f"Copy #{copy_id}", self._c.noun)
        return bytes(data)

    def uses(self, document_id: int) -> list[AuditEntry]:
        """The history of one document: its issue (when stored on its own) and every
        use recorded by :meth:`record_use`, oldest first."""
        document = self.find(document_id)
        return [AuditEntry.from_row(r) for r in self._c.rows(
            f"SELECT {AUDIT_COLUMNS} FROM audit WHERE case_id = ? AND entity = 'document' "
            "AND entity_id = ? ORDER BY id", (document.case_id, str(document.id)))]

    def list(self, case_id: int) -> list[DocumentRecord]:
        return [document_record(r) for r in self._c.rows(
            f"SELECT {COLUMNS} FROM documents WHERE case_id = ? ORDER BY id", (case_id,))]

    def pdf(self, document_id: int) -> bytes:
        data = self._c.value("SELECT pdf FROM documents WHERE id = ?", (document_id,))
        if data is None:
            raise RecordNotFound(f"Document #{document_id}", self._c.noun)
        return bytes(data)
