"""Each person's signing key, and the signature on every audit entry (issue 22).

A user of a case file has an Ed25519 key pair. The public key is part of the user's
record -- in the ``users`` row and in the audit entry that added them (or gave them a
new key), which the administrator who did it signed -- so the history itself says whose
key signs what. The private key is kept in the file only sealed: encrypted
(ChaCha20-Poly1305) with a key derived from that person's password by argon2id, with
the same parameters as their password hash (``Passwords``). It is opened when they sign
in, and kept for this process only (:data:`KEYRING`): a program that calls the store
without the password has no key, and every change it tries is refused
(:class:`NotSignedIn`).

Each audit entry is signed by whoever made the change: the signature covers the entry's
hash, which covers its contents and the hash of the entry before it. ``verify`` checks
every signature against the signer's key *as the history had it then*; a history
rewritten by someone without the signers' passwords cannot carry their signatures.
"""

from __future__ import annotations

import base64
import json
import threading
from typing import TYPE_CHECKING

from .errors import StoreError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from .passwords import Passwords

#: what a signature signs: the entry's hash, tagged (never a bare hash of something else)
_ENTRY_TAG = b"billing-desk audit entry v1:"
#: what the sealed key's encryption binds it to (with the public key)
_SEAL_TAG = b"billing-desk sealed key v1:"
SEAL_FORMAT = "billing-desk/sealed-key@1"


class NotSignedIn(StoreError):
    """A change by a user whose key is not open in this program: they have not signed
    in with their password here."""

    exit_code = 16

    def __init__(self, where, login: str) -> None:
        self.login = login
        super().__init__(f"{login} has not signed in to {where} with their password: every "
                         "change to it is signed with the person's own key, which only "
                         "their password opens. Nothing was changed.")


class KeyNotOpened(StoreError):
    """The sealed key does not open with the password given (the password hash and the
    key were swapped or damaged): the sign-in is refused."""

    exit_code = 16

    def __init__(self, login: str) -> None:
        super().__init__(f"The signing key of {login} does not open with this password, or "
                         "is not theirs: the account was changed behind the application's "
                         "back. Ask an administrator to reset the password.")


class _Keyring:
    """The private keys opened in this process (by their public key), for as long as it
    runs: signing in once opens a person's key for every connection the program makes to
    the file (a background sender's too)."""

    def __init__(self) -> None:
        self._keys: dict[str, Ed25519PrivateKey] = {}
        self._lock = threading.Lock()

    def add(self, public: str, private: Ed25519PrivateKey) -> None:
        with self._lock:
            self._keys[public] = private

    def get(self, public: str | None) -> Ed25519PrivateKey | None:
        if public is None:
            return None
        with self._lock:
            return self._keys.get(public)

    def forget(self, public: str) -> None:
        with self._lock:
            self._keys.pop(public, None)


KEYRING = _Keyring()


def public_hex(private: Ed25519PrivateKey) -> str:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()


def key_from_seed(seed: bytes) -> Ed25519PrivateKey:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.from_private_bytes(seed)


def _seed_of(private: Ed25519PrivateKey) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    return private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def seal(private: Ed25519PrivateKey, password: str, passwords: Passwords, login: str) -> str:
    """The private key sealed with ``password`` (argon2id with ``passwords``' parameters,
    then ChaCha20-Poly1305), as JSON text for the users row."""
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    salt, nonce = passwords.seal_randomness(login)
    time_cost, memory_cost, parallelism = passwords.parameters
    key = _derive(password, salt, time_cost, memory_cost, parallelism)
    public = public_hex(private)
    sealed = ChaCha20Poly1305(key).encrypt(nonce, _seed_of(private), _SEAL_TAG + public.encode())
    return json.dumps({"format": SEAL_FORMAT, "kdf": "argon2id", "t": time_cost,
                       "m": memory_cost, "p": parallelism, "salt": _b64(salt),
                       "nonce": _b64(nonce), "sealed": _b64(sealed), "public_key": public},
                      sort_keys=True, separators=(",", ":"))


def unseal(sealed_text: str, password: str, public: str, login: str) -> Ed25519PrivateKey:
    """The private key ``sealed_text`` holds, opened with ``password``; refused
    (:class:`KeyNotOpened`) unless it opens and is the private half of ``public``."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    try:
        s = json.loads(sealed_text)
        if s.get("format") != SEAL_FORMAT or s.get("kdf") != "argon2id":
            raise KeyNotOpened(login)
        key = _derive(password, base64.b64decode(s["salt"]), int(s["t"]), int(s["m"]),
                      int(s["p"]))
        seed = ChaCha20Poly1305(key).decrypt(base64.b64decode(s["nonce"]),
                                             base64.b64decode(s["sealed"]),
                                             _SEAL_TAG + public.encode())
        private = key_from_seed(seed)
    except (InvalidTag, ValueError, KeyError, TypeError):
        raise KeyNotOpened(login) from None
    if public_hex(private) != public:
        raise KeyNotOpened(login)
    return private


def _derive(password: str, salt: bytes, time_cost: int, memory_cost: int,
            parallelism: int) -> bytes:
    from argon2.low_level import Type, hash_secret_raw

    return hash_secret_raw(password.encode("utf-8"), salt, time_cost, memory_cost,
                           parallelism, 32, Type.ID)


def sign_entry(private: Ed25519PrivateKey, entry_hash: str) -> str:
    return private.sign(_ENTRY_TAG + entry_hash.encode("ascii")).hex()


def signature_holds(public: str, entry_hash: str, signature: str) -> bool:
    """Whether ``signature`` is ``public``'s key's signature of the entry ``entry_hash``."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public)).verify(
            bytes.fromhex(signature), _ENTRY_TAG + entry_hash.encode("ascii"))
    except (InvalidSignature, ValueError):
        return False
    return True
