"""TRON facts: addresses (base58check ``T…`` and hex ``41…``) and chain constants."""

from __future__ import annotations

import hashlib

BLOCK_INTERVAL_SECONDS = 3
ACTIVE_WITNESSES = 27
SLOT_CYCLE_SECONDS = BLOCK_INTERVAL_SECONDS * ACTIVE_WITNESSES  # one SR's slot comes every 81 s
BACKUP_TAKEOVER_SECONDS = 20  # java-tron backup mode: 10 s keep-alive timeout + 10 s in INIT

_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {c: i for i, c in enumerate(_ALPHABET)}


def _b58decode(text: str) -> bytes:
    number = 0
    for char in text:
        if char not in _INDEX:
            raise ValueError(f"{char!r} is not a base58 character")
        number = number * 58 + _INDEX[char]
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    pad = len(text) - len(text.lstrip("1"))
    return b"\x00" * pad + body


def _b58encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, rem = divmod(number, 58)
        out = _ALPHABET[rem] + out
    pad = len(data) - len(data.lstrip(b"\x00"))
    return "1" * pad + out


def _checksum(payload: bytes) -> bytes:
    return hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]


def validate_address(address: str) -> str:
    """Return the address if it is a valid base58check TRON address; else raise ValueError."""
    if not isinstance(address, str) or not address.startswith("T") or len(address) != 34:
        raise ValueError("a TRON address is 34 characters starting with 'T' (base58check)")
    raw = _b58decode(address)
    if len(raw) != 25 or raw[0] != 0x41:
        raise ValueError("not a TRON address: it does not decode to 0x41 + 20 bytes + checksum")
    if _checksum(raw[:21]) != raw[21:]:
        raise ValueError("checksum mismatch: the address has a typo")
    return address


def hex_to_base58(hex_address: str) -> str:
    """``41e786…`` (21 bytes hex) → ``T…``."""
    payload = bytes.fromhex(hex_address.removeprefix("0x"))
    if len(payload) != 21 or payload[0] != 0x41:
        raise ValueError(f"{hex_address!r} is not a 41-prefixed 21-byte TRON address")
    return _b58encode(payload + _checksum(payload))


def base58_to_hex(address: str) -> str:
    validate_address(address)
    return _b58decode(address)[:21].hex()


def normalise_address(address: str) -> str:
    """Either spelling → base58 ``T…``."""
    if address.startswith("T"):
        return validate_address(address)
    return hex_to_base58(address)


def blocks_at_risk(outage_seconds: float, elected: bool = True) -> int:
    """Blocks an elected SR misses when its producing witness is down for ``outage_seconds``."""
    if not elected or outage_seconds <= 0:
        return 0
    return round(outage_seconds / SLOT_CYCLE_SECONDS)
