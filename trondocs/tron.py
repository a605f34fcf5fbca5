"""TRON facts: addresses (base58check ``T…`` and hex ``41…``) and chain constants."""

from __future__ import annotations

import hashlib
import math

# java-tron common/src/main/java/org/tron/core/config/Parameter.java (ChainConstant)
BLOCK_INTERVAL_SECONDS = 3  # BLOCK_PRODUCED_INTERVAL = 3000 ms
ACTIVE_WITNESSES = 27  # MAX_ACTIVE_WITNESS_NUM
MAINTENANCE_SKIP_SLOTS = 2  # slots skipped at each maintenance (every 6 h)
SOLIDIFIED_THRESHOLD = 0.70  # SOLIDIFIED_THRESHOLD = 70 (%)
SLOT_CYCLE_SECONDS = BLOCK_INTERVAL_SECONDS * ACTIVE_WITNESSES  # one SR's slot comes every 81 s
# consensus/src/main/java/org/tron/consensus/dpos/DposService.java, updateSolidBlock(): the
# active witnesses' latestBlockNum sorted ascending, the one at int(27 * (1 - 0.70)) = 8 is the
# solidified block. When every SR produces its slot, their latest blocks are head, head-1, …,
# head-26, so the solidified block is head - (27 - 1 - 8) = head - 18.
SOLIDIFIED_DEPTH = ACTIVE_WITNESSES - 1 - int(ACTIVE_WITNESSES * (1 - SOLIDIFIED_THRESHOLD))

# java-tron node.backup defaults: framework/src/main/java/org/tron/core/config/args/Args.java,
# initBackupProperty() (port 10001, priority 0, keepAliveInterval 3000 ms, members []).
BACKUP_DEFAULT_PORT = 10001
BACKUP_DEFAULT_KEEP_ALIVE_MS = 3000

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


def takeover_seconds(keep_alive_ms: int = BACKUP_DEFAULT_KEEP_ALIVE_MS) -> tuple[float, float]:
    """(shortest, longest) seconds from the MASTER going quiet to the SLAVER producing.

    From java-tron framework/src/main/java/org/tron/common/backup/BackupManager.java (read at
    commit 1e35f79a, May 2025): ``keepAliveTimeout = keepAliveInterval * 6``; a task runs every
    ``keepAliveInterval`` (``scheduleWithFixedDelay``). The MASTER sends a keep-alive on each
    run, so the last one the SLAVER heard (``lastKeepAliveTime``) is at most one interval K
    before the MASTER died. A SLAVER whose last keep-alive is older than the timeout turns INIT
    and resets ``lastKeepAliveTime`` to now: the first run strictly after 6K, i.e. up to 7K
    after the last keep-alive. An INIT node that again hears nothing for more than 6K turns
    MASTER: the sixth or seventh run after that. Longest: 7K + 7K = 14K after the last
    keep-alive, which can be the MASTER's very last moment. Shortest: the keep-alive heard K
    before the death, then just over 6K and 6K: 11K after the death. Only a MASTER produces
    (framework/src/main/java/org/tron/core/consensus/BlockHandleImpl.java, getState()).
    Not confirmed here: UDP delivery delays and the slot the new MASTER then waits for (the
    blocks-at-risk count covers that slot).
    """
    k = keep_alive_ms / 1000
    return 11 * k, 14 * k


BACKUP_TAKEOVER_SECONDS = takeover_seconds()[1]  # 42 s with java-tron's default 3 s keep-alive


def blocks_at_risk(outage_seconds: float, elected: bool = True) -> int:
    """Worst-case blocks an elected SR misses when its producing witness is down for
    ``outage_seconds``: an SR has one slot per 27 × 3 s = 81 s round, and an outage can span a
    slot whatever its phase, so every started round counts (ceil, never "less than one")."""
    if not elected or outage_seconds <= 0:
        return 0
    return math.ceil(outage_seconds / SLOT_CYCLE_SECONDS)


def slot_miss_chance(outage_seconds: float, elected: bool = True) -> float:
    """Chance that an outage of this length covers at least one of the SR's slots (slots every
    81 s, the outage starting at a random moment): ``outage / 81 s``, at most 1."""
    if not elected or outage_seconds <= 0:
        return 0.0
    return min(outage_seconds / SLOT_CYCLE_SECONDS, 1.0)
