"""Bot tokens encrypted at rest: Fernet, with key rotation through MultiFernet.

REVIEWBOT_ENCRYPTION_KEY holds one key, or several comma-separated while rotating: the first
encrypts, every one decrypts. `reviewbot tokens rotate-key` re-encrypts every stored token with the
first, after which the old keys can be dropped.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class TokenCipherError(Exception):
    """A stored token that none of the configured keys opens (wrong or missing key)."""


class TokenCipher:
    def __init__(self, keys: str) -> None:
        parts = [k.strip() for k in keys.split(",") if k.strip()]
        if not parts:
            raise ValueError("no encryption key")
        self._fernet = MultiFernet([Fernet(k.encode("ascii")) for k in parts])

    def encrypt(self, plain: str) -> str:
        return self._fernet.encrypt(plain.encode("utf-8")).decode("ascii")

    def decrypt(self, stored: str) -> str:
        try:
            return self._fernet.decrypt(stored.encode("ascii")).decode("utf-8")
        except InvalidToken:
            raise TokenCipherError("no configured key opens this token") from None

    def rotate(self, stored: str) -> str:
        """The same token encrypted with the first key (MultiFernet.rotate)."""
        try:
            return self._fernet.rotate(stored.encode("ascii")).decode("ascii")
        except InvalidToken:
            raise TokenCipherError("no configured key opens this token") from None
