"""Tracking codes and keyed hashes: what identifies a sender without storing who they are.

A tracking code is `ASP-XXXX-XXXX-XXXX`: 12 Crockford base32 characters, 60 random bits, easy to
read aloud and to type on a phone (no I, L, O or U; lowercase, spaces and the letters I, L and O
are read as what they were meant to be). Only an HMAC of it is stored: the database alone cannot
reveal a sender's code.
"""

import secrets

from kimportal.lib.client import network_prefix
from kimportal.lib.keyed import keyed_hash

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 12  # 60 bits
PREFIX = "ASP"
_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0"})


def new_code() -> str:
    chars = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{PREFIX}-{chars[0:4]}-{chars[4:8]}-{chars[8:12]}"


def normalize(code: str) -> str | None:
    """The 12 characters of a typed code, or None when it cannot be one."""
    text = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    if text.startswith(PREFIX) and len(text) == LENGTH + len(PREFIX):
        text = text[len(PREFIX) :]
    text = text.translate(_READ_AS)
    if len(text) != LENGTH or any(ch not in ALPHABET for ch in text):
        return None
    return text


def _keyed_hash(kind: str, value: str) -> str:
    return keyed_hash("aspirasi", kind, value)


def code_hash(code: str) -> str | None:
    normal = normalize(code)
    return _keyed_hash("code", normal) if normal else None


def sender_key(address: str) -> str:
    return _keyed_hash("address", address)


def network_key(address: str) -> str:
    return _keyed_hash("network", network_prefix(address))
