"""The payload encryption every service shares (services/common/encryption-codec.ts), in Python:
AES-256-GCM over the whole serialised payload, the key id in the metadata and bound to the
ciphertext as authenticated data, keys from ENCRYPTION_KEYS or ENCRYPTION_KEYS_FILE."""

import base64
import binascii
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from temporalio.api.common.v1 import Payload
from temporalio.converter import PayloadCodec

from .errors import ConfigurationError

ENCRYPTED_ENCODING = b"binary/encrypted"
KEY_ID_METADATA = "encryption-key-id"
_IV_BYTES = 12
_KEY_BYTES = 32


class UnknownEncryptionKeyError(Exception):
    """A payload encrypted with a key this process does not have: the task fails and is retried."""

    def __init__(self, key_id: str) -> None:
        super().__init__(f'payload encrypted with unknown key id "{key_id}": add it to ENCRYPTION_KEYS (or ENCRYPTION_KEYS_FILE)')


@dataclass(frozen=True)
class EncryptionKey:
    id: str
    key: bytes


class EncryptionKeyring:
    """The first key encrypts, every key decrypts, so a key can be rotated without losing old orders."""

    def __init__(self, keys: Sequence[EncryptionKey]) -> None:
        if not keys:
            raise ValueError("a keyring needs at least one key")
        self.current = keys[0]
        self._by_id = {k.id: k.key for k in keys}

    def find(self, key_id: str) -> bytes | None:
        return self._by_id.get(key_id)

    @staticmethod
    def parse(text: str, setting: str) -> "EncryptionKeyring":
        """Parses "id1:base64key,id0:base64oldkey" (commas or new lines between keys); `setting` names the source."""
        entries = [e.strip() for e in re.split(r"[,\n]", text) if e.strip()]
        if not entries:
            raise ConfigurationError(f'{setting} holds no key; expected "id:base64key[,id:base64key...]"')
        keys: list[EncryptionKey] = []
        for entry in entries:
            key_id, separator, encoded = entry.partition(":")
            key_id = key_id.strip()
            if not separator or not key_id:
                raise ConfigurationError(f'{setting}: each key must be "id:base64key", got an entry without an id')
            try:
                key = base64.b64decode(encoded.strip())
            except binascii.Error:
                key = b""
            if len(key) != _KEY_BYTES:
                raise ConfigurationError(f'{setting}: key "{key_id}" must be {_KEY_BYTES} bytes in base64 (AES-256), got {len(key)}')
            if any(k.id == key_id for k in keys):
                raise ConfigurationError(f'{setting}: key id "{key_id}" appears twice')
            keys.append(EncryptionKey(key_id, key))
        return EncryptionKeyring(keys)


def keyring_from_env() -> EncryptionKeyring | None:
    """The keyring ENCRYPTION_KEYS or ENCRYPTION_KEYS_FILE configures; None (plaintext) when neither is set."""
    keys = os.environ.get("ENCRYPTION_KEYS") or None
    keys_file = os.environ.get("ENCRYPTION_KEYS_FILE") or None
    required = os.environ.get("REQUIRE_ENCRYPTION", "false")
    if required not in ("true", "false"):
        raise ConfigurationError(f'REQUIRE_ENCRYPTION must be true or false, got "{required}"')
    if keys is not None:
        return EncryptionKeyring.parse(keys, "ENCRYPTION_KEYS")
    if keys_file is None and required == "true":
        raise ConfigurationError("REQUIRE_ENCRYPTION is true but neither ENCRYPTION_KEYS nor ENCRYPTION_KEYS_FILE is set")
    if keys_file is None:
        return None
    try:
        text = Path(keys_file).read_text()
    except OSError as err:
        raise ConfigurationError(f"ENCRYPTION_KEYS_FILE: cannot read {keys_file} ({err.strerror})") from None
    return EncryptionKeyring.parse(text, f"ENCRYPTION_KEYS_FILE ({keys_file})")


class EncryptionCodec(PayloadCodec):
    """Encrypts every payload under the keyring's current key; plaintext payloads pass through on decode."""

    def __init__(self, keyring: EncryptionKeyring) -> None:
        self._keyring = keyring

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        key = self._keyring.current
        aead = AESGCM(key.key)
        encoded = []
        for payload in payloads:
            iv = os.urandom(_IV_BYTES)
            # AESGCM appends the 16-byte tag, so the data is IV | ciphertext | tag, as in TypeScript.
            sealed = iv + aead.encrypt(iv, payload.SerializeToString(), key.id.encode())
            encoded.append(
                Payload(
                    metadata={"encoding": ENCRYPTED_ENCODING, KEY_ID_METADATA: key.id.encode()},
                    data=sealed,
                )
            )
        return encoded

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        decoded = []
        for payload in payloads:
            if payload.metadata.get("encoding") != ENCRYPTED_ENCODING:
                decoded.append(payload)
                continue
            key_id = payload.metadata.get(KEY_ID_METADATA, b"").decode()
            key = self._keyring.find(key_id)
            if key is None:
                raise UnknownEncryptionKeyError(key_id)
            sealed = payload.data
            plain = AESGCM(key).decrypt(sealed[:_IV_BYTES], sealed[_IV_BYTES:], key_id.encode())
            original = Payload()
            original.ParseFromString(plain)
            decoded.append(original)
        return decoded
