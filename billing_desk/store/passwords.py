"""Password hashing with argon2id (argon2-cffi).

``STRONG`` is what real users get: argon2-cffi's defaults, the RFC 9106 "low memory"
profile (3 passes over 64 MiB, 4 lanes; about 0.3 s per hash or check on the reference
machine), which is what makes a stolen case file expensive to guess passwords from.
Only two places use cheaper parameters, each because it must be fast and neither guards
a secret: the tests (which pass their own :class:`Passwords`) and the demo file, whose
passwords are printed on its sign-in screen (``DemoPasswords``, with a salt derived from
the login so that the same seed gives the same file, byte for byte). A check reads the parameters from the
stored hash, so every hash verifies whatever made it.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from argon2 import PasswordHasher

#: A hash of a random password nobody knows, made with the STRONG parameters: a sign-in
#: with an unknown login is checked against it, so it takes as long as a wrong password.
UNKNOWN_LOGIN_HASH = ("$argon2id$v=19$m=65536,t=3,p=4$f4owRtOjLCk+5U9nWzcOMg$"
                      "Sbc08+W8jL7a5XvsPdsjkp1OVIpnbZrFVKv0LskDxW4")


class Passwords:
    """Makes and checks argon2id password hashes; without a hasher, argon2-cffi's
    defaults. argon2 is loaded on the first hash or check (signing in), not when the
    case file opens: the desktop app's start-up does not pay for it."""

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self._given = hasher

    @cached_property
    def _hasher(self) -> PasswordHasher:
        if self._given is not None:
            return self._given
        from argon2 import PasswordHasher

        return PasswordHasher()

    @property
    def parameters(self) -> tuple[int, int, int]:
        """(passes, memory in KiB, lanes)."""
        return self._hasher.time_cost, self._hasher.memory_cost, self._hasher.parallelism

    def hash(self, password: str, login: str) -> str:
        return self._hasher.hash(password)

    def new_signing_key(self, login: str):
        """A new Ed25519 private key for ``login`` (:mod:`.signing`)."""
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        return Ed25519PrivateKey.generate()

    def seal_randomness(self, login: str) -> tuple[bytes, bytes]:
        """A new salt (16 bytes) and nonce (12 bytes) for sealing a key."""
        import os

        return os.urandom(16), os.urandom(12)

    def verify(self, stored_hash: str, password: str) -> bool:
        from argon2.exceptions import InvalidHashError, VerificationError

        try:
            return self._hasher.verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            return False


class DemoPasswords(Passwords):
    """For the demo file only: cheap parameters and a salt derived from the login, so a
    demo file is made quickly and identically every time. Its passwords are public."""

    def __init__(self) -> None:
        from argon2 import PasswordHasher

        super().__init__(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))

    def hash(self, password: str, login: str) -> str:
        from argon2 import Type
        from argon2.low_level import hash_secret

        import hashlib  # (it loads OpenSSL: not needed to open a file)

        salt = hashlib.sha256(f"billing-desk demo user {login}".encode()).digest()[:16]
        t, m, p = self.parameters
        return hash_secret(password.encode(), salt, time_cost=t, memory_cost=m, parallelism=p,
                           hash_len=32, type=Type.ID).decode("ascii")

    # a demo user's key and its sealing derive from the login: the same demo file, byte
    # for byte, every time (its passwords are public: so is everything else about it)
    def new_signing_key(self, login: str):
        import hashlib

        from .signing import key_from_seed

        return key_from_seed(hashlib.sha256(f"billing-desk demo key {login}".encode()).digest())

    def seal_randomness(self, login: str) -> tuple[bytes, bytes]:
        import hashlib

        digest = hashlib.sha256(f"billing-desk demo seal {login}".encode()).digest()
        return digest[:16], digest[16:28]


STRONG = Passwords()  # argon2-cffi's defaults

