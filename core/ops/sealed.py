"""Encrypted files for backups: AES-256-GCM in 1 MiB chunks, streamed (never the whole dump in memory or in clear
on disk). `cryptography`'s AESGCM does the cipher; this module only frames it.

A sealed file is `MAGIC`, an 8-byte random nonce prefix, then chunks, each `length (4 bytes) | ciphertext+tag`.
Chunk n is sealed with the nonce `prefix | n (4 bytes)` and the associated data `MAGIC | label | n | last`, so a
chunk cannot be moved, swapped between files, dropped from the end or the file cut short without the opening
failing. The key is BACKUP_KEY: 32 random bytes in URL-safe base64 (`manage.py backup --generate-key` prints one).
Keep it away from the backups (and with AUDIT_CHAIN_KEY).
"""

from __future__ import annotations

import base64
import hashlib
import os
import struct
from collections.abc import Iterable, Iterator
from typing import IO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"HALALMSI-SEALED-1\n"
CHUNK = 1 << 20


class SealError(ValueError):
    """A key that is no key, or a sealed file that is damaged, cut short or sealed with another key."""


def generate_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def read_key(text: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(text.strip().encode())
    except (ValueError, TypeError):
        key = b""
    if len(key) != 32:
        raise SealError("BACKUP_KEY must be 32 bytes in URL-safe base64 (manage.py backup --generate-key).")
    return key


def key_id(key: bytes) -> str:
    """A short fingerprint of the key, written in the manifest: which key a backup needs, without the key."""
    return hashlib.sha256(b"halalmsi-backup-key" + key).hexdigest()[:16]


def _aad(label: str, index: int, last: bool) -> bytes:
    return MAGIC + label.encode() + struct.pack(">I?", index, last)


class SealingWriter:
    """A binary file-like writer that seals what is written into `target` (call close() to write the last chunk)."""

    def __init__(self, target: IO[bytes], *, key: bytes, label: str) -> None:
        self.target, self.label, self.cipher = target, label, AESGCM(key)
        self.prefix = os.urandom(8)
        self.buffer = bytearray()
        self.index = 0
        self.closed = False
        target.write(MAGIC + self.prefix)

    def _seal(self, data: bytes, *, last: bool) -> None:
        nonce = self.prefix + struct.pack(">I", self.index)
        sealed = self.cipher.encrypt(nonce, data, _aad(self.label, self.index, last))
        self.target.write(struct.pack(">I", len(sealed)) + sealed)
        self.index += 1

    def write(self, data: bytes) -> int:
        self.buffer += data
        while len(self.buffer) > CHUNK:  # keep at least one byte back: the last chunk is sealed as such on close
            self._seal(bytes(self.buffer[:CHUNK]), last=False)
            del self.buffer[:CHUNK]
        return len(data)

    def flush(self) -> None:
        return None

    def close(self) -> None:
        if not self.closed:
            self._seal(bytes(self.buffer), last=True)
            self.buffer.clear()
            self.closed = True


def seal_stream(chunks: Iterable[bytes], target: IO[bytes], *, key: bytes, label: str) -> None:
    writer = SealingWriter(target, key=key, label=label)
    for chunk in chunks:
        writer.write(chunk)
    writer.close()


def open_stream(source: IO[bytes], *, key: bytes, label: str) -> Iterator[bytes]:
    """The plain bytes of a sealed file, chunk by chunk; SealError when anything does not check out."""
    if source.read(len(MAGIC)) != MAGIC:
        raise SealError(f"{label} is not a sealed backup file.")
    prefix, cipher, index = source.read(8), AESGCM(key), 0
    while True:
        head = source.read(4)
        if len(head) != 4:
            raise SealError(f"{label} is cut short: its last part is missing.")
        sealed = source.read(struct.unpack(">I", head)[0])
        last = not source.peek(1)[:1] if hasattr(source, "peek") else _at_end(source)
        try:
            plain = cipher.decrypt(prefix + struct.pack(">I", index), sealed, _aad(label, index, last))
        except InvalidTag:
            raise SealError(f"{label} does not open with this BACKUP_KEY, or it is damaged.") from None
        yield plain
        if last:
            return
        index += 1


def _at_end(source: IO[bytes]) -> bool:
    position = source.tell()
    at_end = not source.read(1)
    source.seek(position)
    return at_end


class OpeningReader:
    """A binary file-like reader over a sealed file (for tarfile's stream mode)."""

    def __init__(self, source: IO[bytes], *, key: bytes, label: str) -> None:
        self.chunks = open_stream(source, key=key, label=label)
        self.buffer = b""

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self.buffer) < size:
            chunk = next(self.chunks, None)
            if chunk is None:
                break
            self.buffer += chunk
        if size < 0:
            data, self.buffer = self.buffer, b""
        else:
            data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data
