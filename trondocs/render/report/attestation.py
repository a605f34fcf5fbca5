"""Verifiable evidence: SHA-256 digests of the embedded files and an optional Ed25519 signature.

The manifest (``trondocs-evidence.json``, embedded beside the files) lists each file's digest;
the signature covers the canonical JSON of that list, so changing a file, swapping one for
another or editing the manifest all show up when the report is verified.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from trondocs.diagnostics import PlanError
from trondocs.userfiles import MAX_KEY_BYTES, read_bytes

MANIFEST_NAME = "trondocs-evidence.json"
STATE_NAME = "state.json"
ASSESSMENT_NAME = "assessment.json"
EVIDENCE_FILES = (STATE_NAME, ASSESSMENT_NAME)
MANIFEST_FORMAT = "trondocs-evidence/1"


class KeyFileError(ValueError):
    """A signing or public key file that cannot be used; the message says why and what to do."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def raw_public_key(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def fingerprint(key: Ed25519PublicKey) -> str:
    """SHA-256 of the raw 32-byte public key, in hex: what the report prints and people compare."""
    return sha256(raw_public_key(key))


def _key_bytes(path: Path, what: str) -> bytes:
    """The key file's bytes: a regular file of key size, read through the bounded reader."""
    try:
        return read_bytes(path, what=what, limit=MAX_KEY_BYTES)
    except PlanError as exc:
        reason = exc.diagnostics[0].message.removeprefix(f"the {what} ")
        raise KeyFileError(f"cannot read the {what} {path}: {reason}") from None


def load_private_key(path: Path) -> Ed25519PrivateKey:
    data = _key_bytes(path, "signing key")
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise KeyFileError(
            f"{path} is not an unencrypted PEM private key ({exc}); create one with "
            "'openssl genpkey -algorithm ed25519 -out key.pem'"
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(
            f"{path} holds a {type(key).__name__.removesuffix('PrivateKey') or 'non-Ed25519'} "
            "key; the report is signed with Ed25519: 'openssl genpkey -algorithm ed25519'"
        )
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    """A PEM public key (or, for convenience, the PEM private key it belongs to)."""
    data = _key_bytes(path, "public key")
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError:
        try:
            key = serialization.load_pem_private_key(data, password=None).public_key()
        except (ValueError, TypeError):
            raise KeyFileError(
                f"{path} is not a PEM public key; export one with "
                "'openssl pkey -in key.pem -pubout -out key.pub'"
            ) from None
    if not isinstance(key, Ed25519PublicKey):
        raise KeyFileError(f"{path} is not an Ed25519 public key")
    return key


def signed_payload(manifest: dict) -> bytes:
    """The canonical bytes the signature covers: the format, algorithm and file digests."""
    body = {
        "format": manifest.get("format"),
        "algorithm": manifest.get("algorithm"),
        "files": manifest.get("files"),
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def make_manifest(files: dict[str, bytes], key: Ed25519PrivateKey | None = None) -> dict:
    manifest: dict = {
        "format": MANIFEST_FORMAT,
        "algorithm": "sha256",
        "files": {name: {"sha256": sha256(data), "size": len(data)} for name, data in sorted(files.items())},
    }
    if key is not None:
        public = key.public_key()
        manifest["signature"] = {
            "algorithm": "ed25519",
            "public_key": base64.b64encode(raw_public_key(public)).decode(),
            "fingerprint": fingerprint(public),
            "value": base64.b64encode(key.sign(signed_payload(manifest))).decode(),
        }
    return manifest


def manifest_bytes(manifest: dict) -> bytes:
    return (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode()


@dataclass
class Verification:
    problems: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)  # what was found intact, for the summary
    fingerprint: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def _check_signature(manifest: dict, expected: Ed25519PublicKey | None, result: Verification) -> None:
    signature = manifest.get("signature")
    if not signature:
        if expected is not None:
            result.problems.append(
                "signature stripped: the report carries no signature, but --public-key expects one "
                f"by the key with fingerprint {fingerprint(expected)}"
            )
        else:
            result.checked.append("not signed (digests only)")
        return
    try:
        raw = base64.b64decode(signature["public_key"], validate=True)
        embedded = Ed25519PublicKey.from_public_bytes(raw)
        value = base64.b64decode(signature["value"], validate=True)
    except (KeyError, TypeError, ValueError):
        result.problems.append(f"bad signature: the signature block of {MANIFEST_NAME} is malformed")
        return
    result.fingerprint = fingerprint(embedded)
    if signature.get("fingerprint") != result.fingerprint:
        result.problems.append(
            f"bad signature: the fingerprint recorded in {MANIFEST_NAME} does not match its public key"
        )
    if expected is not None and raw != raw_public_key(expected):
        result.problems.append(
            f"signed by a different key: fingerprint {result.fingerprint}, expected {fingerprint(expected)}"
        )
    try:
        embedded.verify(value, signed_payload(manifest))
    except InvalidSignature:
        result.problems.append(f"bad signature: the digests in {MANIFEST_NAME} were changed after signing")
        return
    result.checked.append(f"Ed25519 signature valid (key fingerprint {result.fingerprint})")


def verify_evidence(
    attachments: dict[str, bytes],
    *,
    printed_text: str | None = None,
    public_key: Ed25519PublicKey | None = None,
) -> Verification:
    """Check embedded files against the manifest, the digests printed in the text, and the signature."""
    result = Verification()
    if MANIFEST_NAME not in attachments:
        result.problems.append(f"missing attachment {MANIFEST_NAME}: the report carries no evidence manifest")
        return result
    try:
        manifest = json.loads(attachments[MANIFEST_NAME])
        files = manifest["files"]
        if not isinstance(files, dict):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        result.problems.append(f"{MANIFEST_NAME} is damaged: not the JSON manifest trondocs writes")
        return result
    for name in sorted(set(EVIDENCE_FILES) | set(files)):
        entry = files.get(name)
        if entry is None:
            result.problems.append(f"{name} is not listed in {MANIFEST_NAME}: the manifest was edited")
            continue
        if name not in attachments:
            result.problems.append(f"missing attachment {name}: it was removed from the report")
            continue
        actual = sha256(attachments[name])
        if actual != entry.get("sha256"):
            result.problems.append(
                f"digest mismatch for {name}: the attachment was altered or swapped "
                f"(manifest says {entry.get('sha256')}, the file hashes to {actual})"
            )
            continue
        if printed_text is not None and actual not in printed_text:
            result.problems.append(
                f"digest mismatch for {name}: the digest printed in the report does not "
                f"match the attachment ({actual})"
            )
            continue
        result.checked.append(f"{name} sha256 {actual}")
    _check_signature(manifest, public_key, result)
    if (
        printed_text is not None
        and result.fingerprint
        and not result.problems
        and result.fingerprint not in printed_text
    ):
        result.problems.append(
            "the public-key fingerprint printed in the report does not match the signature"
        )
    return result
