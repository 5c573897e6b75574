"""Canonical JSON: the one text of a value that hashes (audit entries, fingerprints)
and settings are computed over. Apart from the fingerprint so that the store can write
its audit chain without loading the case model."""

from __future__ import annotations

import json


def canonical_json(obj: object) -> str:
    """One text per value: sorted keys, no spaces, non-ASCII kept (UTF-8)."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
