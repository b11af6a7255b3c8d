"""The Python codec and the TypeScript one (dist/services/common/encryption-codec.js) read each other's payloads."""

import asyncio
import base64
import json
import os
import shutil
import subprocess

import pytest
from temporalio.api.common.v1 import Payload

from fraud.codec import EncryptionCodec, EncryptionKeyring, UnknownEncryptionKeyError
from fraud.errors import ConfigurationError

from .conftest import ROOT

KEYS = f"k2:{base64.b64encode(b'2' * 32).decode()},k1:{base64.b64encode(b'1' * 32).decode()}"
CODEC_JS = ROOT / "dist" / "services" / "common" / "encryption-codec.js"

# Reads {"keys", "op", "payloads": [{metadata: {k: base64}, data: base64}]} on stdin, answers the same shape.
NODE_SCRIPT = """
const { EncryptionCodec } = require(process.argv[1]);
const { EncryptionKeyring } = require(process.argv[2]);
let input = '';
process.stdin.on('data', (c) => (input += c)).on('end', async () => {
  const { keys, op, payloads } = JSON.parse(input);
  const codec = new EncryptionCodec(EncryptionKeyring.parse(keys, 'keys'));
  const from = (p) => ({ metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: Buffer.from(p.data, 'base64') });
  const to = (p) => ({ metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
    data: Buffer.from(p.data).toString('base64') });
  const out = await codec[op](payloads.map(from));
  process.stdout.write(JSON.stringify(out.map(to)));
});
"""


def node() -> str:
    found = shutil.which("node", path=str(ROOT / ".cache" / "node" / "26.12.1" / "bin") + os.pathsep + os.environ["PATH"])
    if found is None or not CODEC_JS.exists():
        pytest.fail("needs the pinned Node and the compiled code: run `npm run build` first")
    return found


def typescript(op: str, payloads: list[Payload], keys: str = KEYS) -> list[Payload]:
    wire = [
        {"metadata": {k: base64.b64encode(v).decode() for k, v in p.metadata.items()}, "data": base64.b64encode(p.data).decode()}
        for p in payloads
    ]
    answer = subprocess.run(
        [node(), "-e", NODE_SCRIPT, str(CODEC_JS), str(CODEC_JS.with_name("encryption-keys.js"))],
        input=json.dumps({"keys": keys, "op": op, "payloads": wire}),
        capture_output=True,
        text=True,
        check=True,
    )
    return [
        Payload(metadata={k: base64.b64decode(v) for k, v in p["metadata"].items()}, data=base64.b64decode(p["data"]))
        for p in json.loads(answer.stdout)
    ]


def order_payload() -> Payload:
    return Payload(metadata={"encoding": b"json/plain"}, data=json.dumps({"orderId": "o-1", "totalCents": 4200}).encode())


def test_a_payload_encrypted_in_python_decrypts_in_typescript():
    encoded = asyncio.run(EncryptionCodec(EncryptionKeyring.parse(KEYS, "KEYS")).encode([order_payload()]))
    assert encoded[0].metadata["encoding"] == b"binary/encrypted"
    assert encoded[0].metadata["encryption-key-id"] == b"k2"
    assert b"4200" not in encoded[0].data
    assert typescript("decode", encoded) == [order_payload()]


def test_a_payload_encrypted_in_typescript_decrypts_in_python_even_under_a_rotated_key():
    encoded = typescript("encode", [order_payload()], keys=KEYS.split(",")[1])
    assert encoded[0].metadata["encryption-key-id"] == b"k1"
    decoded = asyncio.run(EncryptionCodec(EncryptionKeyring.parse(KEYS, "KEYS")).decode(encoded))
    assert decoded == [order_payload()]


def test_a_payload_under_a_key_this_process_lacks_fails_naming_the_key():
    encoded = typescript("encode", [order_payload()], keys=KEYS.split(",")[0])
    codec = EncryptionCodec(EncryptionKeyring.parse(KEYS.split(",")[1], "KEYS"))
    with pytest.raises(UnknownEncryptionKeyError, match='"k2"'):
        asyncio.run(codec.decode(encoded))


def test_a_plaintext_payload_passes_through_decode():
    codec = EncryptionCodec(EncryptionKeyring.parse(KEYS, "KEYS"))
    assert asyncio.run(codec.decode([order_payload()])) == [order_payload()]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "holds no key"),
        ("nokey", "without an id"),
        ("k1:c2hvcnQ=", 'key "k1" must be 32 bytes'),
        (f"{KEYS.split(',')[0]},{KEYS.split(',')[0]}", 'key id "k2" appears twice'),
    ],
)
def test_a_bad_key_spec_is_a_configuration_error_naming_the_setting(spec, message):
    with pytest.raises(ConfigurationError, match=message) as raised:
        EncryptionKeyring.parse(spec, "ENCRYPTION_KEYS")
    assert str(raised.value).startswith("ENCRYPTION_KEYS")
