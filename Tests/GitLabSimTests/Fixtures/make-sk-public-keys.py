# Builds OpenSSH security-key public key lines (no device needed: only the public part).
import base64, struct, sys
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives import serialization as s

def string(b): return struct.pack(">I", len(b)) + b

def sk_ed25519(comment):
    pk = ed25519.Ed25519PrivateKey.generate().public_key().public_bytes(s.Encoding.Raw, s.PublicFormat.Raw)
    blob = string(b"sk-ssh-ed25519@openssh.com") + string(pk) + string(b"ssh:")
    return "sk-ssh-ed25519@openssh.com " + base64.b64encode(blob).decode() + " " + comment

def sk_ecdsa(comment):
    pt = ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(s.Encoding.X962, s.PublicFormat.UncompressedPoint)
    blob = string(b"sk-ecdsa-sha2-nistp256@openssh.com") + string(b"nistp256") + string(pt) + string(b"ssh:")
    return "sk-ecdsa-sha2-nistp256@openssh.com " + base64.b64encode(blob).decode() + " " + comment

for i in range(int(sys.argv[1])):
    print(sk_ed25519(f"sk-ed25519-{i}@fixture"))
    print(sk_ecdsa(f"sk-ecdsa-{i}@fixture"))
