"""The newest history entry this workstation has seen of each case file, signed.

A hash chain cannot show that its newest entries were removed, with the cases put back
as they were before them: what is left is a whole chain. So each workstation remembers,
for each case file it worked in, the head of its history when it was last closed here --
the entry's number and hash, signed with the key of the person who was signed in
(store/signing.py) -- in the user's own data folder (``known-heads.json``). ``verify``
and the app compare: a file whose history is shorter than what this workstation saw, or
holds another entry under that number, is reported, with when it was seen and by whom.

A file is known by the hash of its first entry (a copy of a file is the same file; a
file made again is not). A record whose signature does not hold (edited by hand) is
reported as such and not trusted.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

FILE_NAME = "known-heads.json"
_TAG = b"billing-desk known head v1:"


def _folder() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("billing-desk", appauthor=False))


def _message(file_id: str, entry: int, entry_hash: str) -> bytes:
    return _TAG + f"{file_id}:{entry}:{entry_hash}".encode("ascii")


@dataclass(frozen=True, slots=True)
class KnownHead:
    file_id: str
    entry: int
    hash: str
    seen_at: str
    seen_by: str
    public_key: str
    signature: str

    def holds(self) -> bool:
        from .signing import signature_holds

        message = _message(self.file_id, self.entry, self.hash).decode("ascii")
        return signature_holds(self.public_key, message, self.signature)


def _load(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def known(file_id: str, folder: Path | None = None) -> KnownHead | None:
    record = _load((folder or _folder()) / FILE_NAME).get(file_id)
    if not isinstance(record, dict):
        return None
    try:
        return KnownHead(file_id, int(record["entry"]), str(record["hash"]),
                         str(record["seen_at"]), str(record["seen_by"]),
                         str(record["public_key"]), str(record["signature"]))
    except (KeyError, ValueError, TypeError):
        return None


def remember(file_id: str, entry: int, entry_hash: str, seen_at: str, login: str,
             private, folder: Path | None = None) -> None:
    """Keep (entry, hash) as this workstation's last sight of the file, signed by
    ``login``'s key -- unless it already knows a later entry of it. Whole or not at all
    (a temporary file renamed over the old one), under a lock against another program."""
    import fcntl

    from .signing import public_hex, sign_entry

    folder = folder or _folder()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / FILE_NAME
    with open(folder / (FILE_NAME + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        records = _load(path)
        old = records.get(file_id)
        if isinstance(old, dict) and int(old.get("entry", 0)) > entry:
            return
        message = _message(file_id, entry, entry_hash).decode("ascii")
        records[file_id] = {"entry": entry, "hash": entry_hash, "seen_at": seen_at,
                            "seen_by": login, "public_key": public_hex(private),
                            "signature": sign_entry(private, message)}
        temp = path.with_name(f".{FILE_NAME}.{os.getpid()}")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(records, f, indent=1, sort_keys=True)
        os.replace(temp, path)


def problem(file_id: str | None, entry_hash_of, newest: int, where,
            folder: Path | None = None) -> str | None:
    """Why the file's history disagrees with what this workstation saw, or None.
    ``entry_hash_of(n)``: the hash of entry n as the file holds it now (None: no such)."""
    if file_id is None:
        return None
    head = known(file_id, folder)
    if head is None:
        return None
    seen = f"entry #{head.entry}, seen here on {head.seen_at[:10]} by {head.seen_by}"
    if not head.holds():
        return (f"this workstation's record of {where} ({seen}) does not carry a valid "
                f"signature: the file {FILE_NAME} in the user's data folder was edited.")
    if newest < head.entry:
        return (f"the history of {where} ends at entry #{newest}, but this workstation saw "
                f"{seen}: its newest entries were removed.")
    now = entry_hash_of(head.entry)
    if now != head.hash:
        return (f"entry #{head.entry} of {where} is not the one this workstation saw "
                f"({seen}, hash {head.hash[:12]}…): the history was rewritten since.")
    return None
