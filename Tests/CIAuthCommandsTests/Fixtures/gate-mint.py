#!/usr/bin/env python3
"""Mints GitLab-like CI ID tokens with PyJWT (and, for the attacks PyJWT refuses to make, by
hand), independently of ciauth and gitlab-sim, for the gate tests.

  gate-mint.py keygen                  print a new 2048-bit RSA private key (PKCS#8 PEM)
  gate-mint.py claims TOKEN            print the token's claims as JSON (no verification)
  gate-mint.py sign KEY.pem < SPEC     print a token; SPEC is JSON:
      {"claims": {...}, "kid": "...", "mode": "rs256" | "none" | "hs256-public" | "raw",
       "header": {extra header members}, "raw_payload": "payload JSON text as is (mode raw)",
       "raw_header": "header JSON text as is (mode raw)"}
"""
import base64
import hashlib
import hmac
import json
import sys

import jwt
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def keygen() -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    sys.stdout.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()).decode())


def claims(token: str) -> None:
    payload = token.split(".")[1]
    payload += "=" * (-len(payload) % 4)
    sys.stdout.write(base64.urlsafe_b64decode(payload).decode())


def sign(key_path: str) -> None:
    spec = json.load(sys.stdin)
    with open(key_path, "rb") as handle:
        pem = handle.read()
    key = serialization.load_pem_private_key(pem, password=None)
    mode = spec.get("mode", "rs256")
    header = dict(spec.get("header", {}))
    if "kid" in spec:
        header["kid"] = spec["kid"]
    if mode == "rs256":
        sys.stdout.write(jwt.encode(spec["claims"], key, algorithm="RS256", headers=header))
        return
    if mode == "none":
        sys.stdout.write(jwt.encode(spec["claims"], None, algorithm="none", headers=header))
        return
    # Hand-made: PyJWT refuses a PEM public key as an HMAC secret, and cannot write duplicate members.
    if mode == "hs256-public":
        header = {"alg": "HS256", "typ": "JWT", **header}
        secret = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        signing_input = b64(json.dumps(header).encode()) + "." + b64(json.dumps(spec["claims"]).encode())
        signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
        sys.stdout.write(signing_input + "." + b64(signature))
        return
    if mode == "raw":
        header = {"alg": "RS256", "typ": "JWT", **header}
        header_text = spec.get("raw_header") or json.dumps(header)
        payload_text = spec.get("raw_payload") or json.dumps(spec["claims"])
        signing_input = b64(header_text.encode()) + "." + b64(payload_text.encode())
        signature = key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
        sys.stdout.write(signing_input + "." + b64(signature))
        return
    raise SystemExit("unknown mode " + mode)


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "keygen":
        keygen()
    elif command == "claims":
        claims(sys.argv[2])
    elif command == "sign":
        sign(sys.argv[2])
    else:
        raise SystemExit(__doc__)
