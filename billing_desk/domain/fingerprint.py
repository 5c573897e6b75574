"""Determination fingerprints: what an approval binds to.

The fingerprint is the SHA-256 of the canonical case@1 JSON (sorted keys, no
whitespace, UTF-8) together with the rule pack's name and version. Any edit to the case
— an amount, a date, an address the letter goes to — or a new rule-pack version gives
a different fingerprint, so an approval can be checked against exactly what was seen.
"""

from __future__ import annotations

import hashlib

from .canonical import canonical_json
from .case import Case
from .caseformat import case_to_json

__all__ = ["canonical_json", "case_fingerprint"]


def case_fingerprint(case: Case, rule_pack_name: str, rule_pack_version: str) -> str:
    payload = canonical_json({
        "case": case_to_json(case),
        "rule_pack": {"name": rule_pack_name, "version": rule_pack_version},
    })
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
