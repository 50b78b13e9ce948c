#!/usr/bin/env python3
"""Builds the approval test vectors from docs/protocol.md alone, independently of ciauth's Swift
code, with Python's `cryptography` package standing in for a security key.

Usage: python3 make_test_vectors.py   (writes the files next to this script and prints the
intermediate values quoted in docs/protocol.md section 8)
"""
import base64
import hashlib
import os
import struct

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

HERE = os.path.dirname(os.path.abspath(__file__))
NAMESPACE = b"ciauth-approval-v2@ciauth.dev"
APPLICATION = b"ssh:"
FLAGS = 0x01
COUNTER = 7


def string(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


def mpint(value: int) -> bytes:
    data = value.to_bytes((value.bit_length() + 7) // 8, "big")
    if data and data[0] & 0x80:
        data = b"\x00" + data
    return string(data)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def armor(blob: bytes) -> str:
    body = base64.b64encode(blob).decode()
    lines = [body[i:i + 70] for i in range(0, len(body), 70)]
    return "-----BEGIN SSH SIGNATURE-----\n" + "\n".join(lines) + "\n-----END SSH SIGNATURE-----\n"


def authenticator_message(client_data_hash: bytes) -> bytes:
    return hashlib.sha256(APPLICATION).digest() + bytes([FLAGS]) + struct.pack(">I", COUNTER) + client_data_hash


def vector(name: str, key_type: bytes, public_blob: bytes, sign) -> None:
    statement = open(os.path.join(HERE, "statement-v2.txt"), "rb").read()
    signed_data = (b"SSHSIG" + string(NAMESPACE) + string(b"") + string(b"sha512")
                   + string(hashlib.sha512(statement).digest()))
    client_data_hash = hashlib.sha256(signed_data).digest()
    signature = sign(authenticator_message(client_data_hash))
    sk_signature = string(key_type) + string(signature) + bytes([FLAGS]) + struct.pack(">I", COUNTER)
    blob = (b"SSHSIG" + struct.pack(">I", 1) + string(public_blob) + string(NAMESPACE) + string(b"")
            + string(b"sha512") + string(sk_signature))
    transport = "ciauth1:" + b64url(statement) + "." + b64url(blob)
    with open(os.path.join(HERE, f"approval-v2-{name}.transport"), "w") as out:
        out.write(transport)
    with open(os.path.join(HERE, f"approval-v2-{name}.sig"), "w") as out:
        out.write(armor(blob))
    with open(os.path.join(HERE, f"allowed_signers-{name}"), "w") as out:
        out.write("alice " + key_type.decode() + " " + base64.b64encode(public_blob).decode() + "\n")
    print(f"[{name}] signed data     {signed_data.hex()}")
    print(f"[{name}] clientDataHash  {client_data_hash.hex()}")
    print(f"[{name}] transport bytes {len(transport)}")


def ed25519_vector() -> None:
    key = ed25519.Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    key_type = b"sk-ssh-ed25519@openssh.com"
    vector("ed25519", key_type, string(key_type) + string(public) + string(APPLICATION), key.sign)


def p256_vector() -> None:
    key = ec.derive_private_key(int.from_bytes(bytes(range(1, 33)), "big"), ec.SECP256R1())
    point = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    key_type = b"sk-ecdsa-sha2-nistp256@openssh.com"

    def sign(message: bytes) -> bytes:  # ECDSA is randomised: this vector is checked, not reproduced
        r, s = decode_dss_signature(key.sign(message, ec.ECDSA(hashes.SHA256())))
        return mpint(r) + mpint(s)

    vector("p256", key_type, string(key_type) + string(b"nistp256") + string(point) + string(APPLICATION), sign)


if __name__ == "__main__":
    ed25519_vector()
    p256_vector()
