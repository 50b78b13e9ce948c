#!/usr/bin/env python3
"""Independent CTAP2 client for ciauth-virtual-key: Yubico's python-fido2 over the Unix socket.

Usage: python_fido2_client.py SCENARIO SOCKET_PATH ROOT_CA_DER_PATH
Scenarios: credentials (ES256 + EdDSA, attestation + assertion verified), resident, pin
(key without PIN), self-attestation (key with --attestation self), builtin-uv (key with --uv).
Prints one "ok: ..." line per check and exits 0; any failure raises (exit 1).
"""
import hashlib
import os
import socket
import sys

from fido2.attestation import PackedAttestation, AttestationType, verify_x509_chain
from fido2.cose import CoseKey, ES256, EdDSA
from fido2.ctap import CtapError
from fido2.ctap2 import Ctap2
from fido2.ctap2.pin import ClientPin, PinProtocolV1, PinProtocolV2
from fido2.hid import CtapHidDevice, CAPABILITY
from fido2.hid.base import CtapHidConnection, HidDescriptor

RP = {"id": "ssh:ciauth", "name": "ciauth"}
PACKET = 64


class UnixSocketConnection(CtapHidConnection):
    """64-byte CTAPHID reports over SOCK_STREAM, no report-ID byte (the key's socket contract)."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(20)
        self.sock.connect(path)

    def write_packet(self, data):
        if len(data) != PACKET:
            raise ValueError("packet must be 64 bytes")
        self.sock.sendall(data)

    def read_packet(self):
        buf = b""
        while len(buf) < PACKET:
            chunk = self.sock.recv(PACKET - len(buf))
            if not chunk:
                raise OSError("key closed the connection")
            buf += chunk
        return buf

    def close(self):
        self.sock.close()


def open_key(path):
    descriptor = HidDescriptor(path, 0, 0, PACKET, PACKET, "ciauth virtual key", None)
    device = CtapHidDevice(descriptor, UnixSocketConnection(path))
    check(device.capabilities & CAPABILITY.CBOR, "INIT advertises CBOR")
    return device, Ctap2(device)


def check(condition, what):
    if not condition:
        raise AssertionError("FAILED: " + what)
    print("ok: " + what, flush=True)


def expect_ctap_error(code, what, call):
    try:
        call()
    except CtapError as error:
        check(error.code == code, f"{what} -> {code.name} (got {error.code.name})")
        return
    raise AssertionError(f"FAILED: {what}: no error, expected {code.name}")


def control(path, command):
    """One command on the key's control socket (PATH.ctl); returns the answer line."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(5)
        s.connect(path + ".ctl")
        s.sendall(command.encode() + b"\n")
        answer = b""
        while not answer.endswith(b"\n"):
            chunk = s.recv(64)
            if not chunk:
                break
            answer += chunk
    return answer.decode().strip()


def cdh(label):
    return hashlib.sha256(label.encode()).digest()


def make_credential(ctap, alg, user_id=b"user-1", rk=False, options_uv=False, **kwargs):
    client_data_hash = cdh("register " + str(alg))
    options = {"rk": rk, "uv": True} if options_uv else {"rk": rk}
    response = ctap.make_credential(
        client_data_hash, RP, {"id": user_id, "name": "alice", "displayName": "Alice"},
        [{"type": "public-key", "alg": alg}], options=options, **kwargs)
    return client_data_hash, response


def verify_attestation(response, client_data_hash, root_der, what):
    result = PackedAttestation().verify(response.att_stmt, response.auth_data, client_data_hash)
    check(response.fmt == "packed" and result.attestation_type == AttestationType.BASIC,
          f"{what}: packed attestation signature verifies (x5c)")
    verify_x509_chain(result.trust_path + [root_der])
    check(True, f"{what}: attestation certificate chains to the test root CA")


def scenario_credentials(path, root_der):
    device, ctap = open_key(path)
    info = ctap.info
    check("FIDO_2_1" in info.versions and "FIDO_2_0" in info.versions, "getInfo versions")
    check({a["alg"] for a in info.algorithms} >= {-7, -8}, "getInfo lists ES256 and EdDSA")
    check(device.ping(b"hello") == b"hello", "PING echoes")
    for alg, name in ((ES256.ALGORITHM, "ES256"), (EdDSA.ALGORITHM, "EdDSA")):
        client_data_hash, att = make_credential(ctap, alg)
        verify_attestation(att, client_data_hash, root_der, name)
        credential = att.auth_data.credential_data
        public_key = CoseKey.parse(credential.public_key)
        check(public_key.ALGORITHM == alg, f"{name}: credential public key algorithm")
        check(att.auth_data.rp_id_hash == hashlib.sha256(RP["id"].encode()).digest(), f"{name}: rpIdHash")
        assertion_hash = cdh("sign " + name)
        descriptor = {"type": "public-key", "id": credential.credential_id}
        assertion = ctap.get_assertion(RP["id"], assertion_hash, [descriptor])
        assertion.verify(assertion_hash, public_key)
        check(True, f"{name}: assertion signature verifies with the attested key")
        check(assertion.auth_data.is_user_present(), f"{name}: UP flag set")
        check(assertion.auth_data.counter > att.auth_data.counter, f"{name}: counter increases")
        no_up = ctap.get_assertion(RP["id"], assertion_hash, [descriptor], options={"up": False})
        no_up.verify(assertion_hash, public_key)
        check(not no_up.auth_data.is_user_present(), f"{name}: up=false gives no UP flag")
        expect_ctap_error(CtapError.ERR.CREDENTIAL_EXCLUDED, f"{name}: excludeList",
                          lambda: make_credential(ctap, alg, exclude_list=[descriptor]))
        expect_ctap_error(CtapError.ERR.NO_CREDENTIALS, f"{name}: other rp id",
                          lambda: ctap.get_assertion("ssh:other", assertion_hash, [descriptor]))
    expect_ctap_error(CtapError.ERR.UNSUPPORTED_ALGORITHM, "RS256 only",
                      lambda: make_credential(ctap, -257))


def scenario_resident(path, root_der):
    _, ctap = open_key(path)
    keys = {}
    for user_id, alg in ((b"user-a", ES256.ALGORITHM), (b"user-b", EdDSA.ALGORITHM)):
        _, att = make_credential(ctap, alg, user_id=user_id, rk=True)
        keys[user_id] = CoseKey.parse(att.auth_data.credential_data.public_key)
    assertion_hash = cdh("resident")
    assertions = ctap.get_assertions(RP["id"], assertion_hash)
    check(len(assertions) == 2, "resident lookup finds both credentials (getNextAssertion)")
    for assertion in assertions:
        user_id = assertion.user["id"]
        assertion.verify(assertion_hash, keys[user_id])
    check({a.user["id"] for a in assertions} == set(keys), "resident assertions carry the user handles")
    expect_ctap_error(CtapError.ERR.NO_CREDENTIALS, "resident lookup for another rp",
                      lambda: ctap.get_assertion("ssh:nobody", assertion_hash))


def scenario_pin(path, root_der):
    _, ctap = open_key(path)
    check(ctap.info.options.get("clientPin") is False, "clientPin option false before setPIN")
    for protocol in (PinProtocolV2(), PinProtocolV1()):
        pin = ClientPin(ctap, protocol)
        version = protocol.VERSION
        if not ctap.get_info().options.get("clientPin"):
            pin.set_pin("1234")
            check(True, f"protocol {version}: setPIN")
        check(pin.get_pin_retries()[0] == 8, f"protocol {version}: 8 retries")
        expect_ctap_error(CtapError.ERR.PIN_INVALID, f"protocol {version}: wrong PIN",
                          lambda: pin.get_pin_token("9999"))
        check(pin.get_pin_retries()[0] == 7, f"protocol {version}: wrong PIN costs a retry")
        token = pin.get_pin_token("1234", ClientPin.PERMISSION.MAKE_CREDENTIAL | ClientPin.PERMISSION.GET_ASSERTION, RP["id"])
        check(pin.get_pin_retries()[0] == 8, f"protocol {version}: right PIN restores retries")
        client_data_hash = cdh("pin register")
        att = ctap.make_credential(
            client_data_hash, RP, {"id": b"pin-user", "name": "bob"}, [{"type": "public-key", "alg": -7}],
            pin_uv_param=protocol.authenticate(token, client_data_hash), pin_uv_protocol=version)
        check(att.auth_data.is_user_verified(), f"protocol {version}: makeCredential with PIN sets UV")
        verify_attestation(att, client_data_hash, root_der, f"protocol {version}")
        key = CoseKey.parse(att.auth_data.credential_data.public_key)
        descriptor = {"type": "public-key", "id": att.auth_data.credential_data.credential_id}
        assertion_hash = cdh("pin sign")
        assertion = ctap.get_assertion(RP["id"], assertion_hash, [descriptor],
                                       pin_uv_param=protocol.authenticate(token, assertion_hash), pin_uv_protocol=version)
        assertion.verify(assertion_hash, key)
        check(assertion.auth_data.is_user_verified(), f"protocol {version}: getAssertion with PIN sets UV")
        plain = ctap.get_assertion(RP["id"], assertion_hash, [descriptor])
        check(not plain.auth_data.is_user_verified() and plain.auth_data.is_user_present(),
              f"protocol {version}: getAssertion without PIN: UP only")
        expect_ctap_error(CtapError.ERR.PIN_AUTH_INVALID, f"protocol {version}: forged pinUvAuthParam",
                          lambda: ctap.get_assertion(RP["id"], assertion_hash, [descriptor],
                                                     pin_uv_param=bytes(len(protocol.authenticate(token, b""))),
                                                     pin_uv_protocol=version))
    expect_ctap_error(CtapError.ERR.PUAT_REQUIRED, "makeCredential without PIN once a PIN is set",
                      lambda: make_credential(ctap, -7))
    pin = ClientPin(ctap)
    pin.change_pin("1234", "5678")
    check(True, "changePIN")
    expect_ctap_error(CtapError.ERR.PIN_INVALID, "old PIN after change", lambda: pin.get_pin_token("1234"))
    pin.get_pin_token("5678")
    check(True, "new PIN gives a token")
    expect_ctap_error(CtapError.ERR.PIN_INVALID, "wrong PIN 1", lambda: pin.get_pin_token("0000"))
    expect_ctap_error(CtapError.ERR.PIN_INVALID, "wrong PIN 2", lambda: pin.get_pin_token("0000"))
    expect_ctap_error(CtapError.ERR.PIN_AUTH_BLOCKED, "third wrong PIN in a power cycle", lambda: pin.get_pin_token("0000"))
    expect_ctap_error(CtapError.ERR.PIN_AUTH_BLOCKED, "even the right PIN until power cycle", lambda: pin.get_pin_token("5678"))
    # 3 retries were spent; power-cycle through the control socket and spend the other 5.
    for attempt in range(5):
        check(control(path, "power-cycle") == "ok", "power-cycle via control socket")
        expected = CtapError.ERR.PIN_BLOCKED if attempt == 4 else CtapError.ERR.PIN_INVALID
        expect_ctap_error(expected, f"wrong PIN after power cycle {attempt + 1}", lambda: pin.get_pin_token("0000"))
    check(pin.get_pin_retries()[0] == 0, "no retries left")
    control(path, "power-cycle")
    expect_ctap_error(CtapError.ERR.PIN_BLOCKED, "right PIN once blocked", lambda: pin.get_pin_token("5678"))
    ctap.reset()
    check(ctap.get_info().options.get("clientPin") is False, "reset removes the PIN")


def scenario_self_attestation(path, root_der):
    _, ctap = open_key(path)
    for alg, name in ((ES256.ALGORITHM, "ES256"), (EdDSA.ALGORITHM, "EdDSA")):
        client_data_hash, att = make_credential(ctap, alg)
        result = PackedAttestation().verify(att.att_stmt, att.auth_data, client_data_hash)
        check(result.attestation_type == AttestationType.SELF and "x5c" not in att.att_stmt,
              f"{name}: packed self attestation verifies with the credential key")


def scenario_builtin_uv(path, root_der):
    _, ctap = open_key(path)
    check(ctap.info.options.get("uv") is True, "getInfo option uv")
    client_data_hash, att = make_credential(ctap, ES256.ALGORITHM, options_uv=True)
    check(att.auth_data.is_user_verified(), "makeCredential with uv option sets UV")
    pin = ClientPin(ctap)
    token = pin.get_uv_token(ClientPin.PERMISSION.GET_ASSERTION, RP["id"])
    descriptor = {"type": "public-key", "id": att.auth_data.credential_data.credential_id}
    assertion_hash = cdh("uv sign")
    assertion = ctap.get_assertion(RP["id"], assertion_hash, [descriptor],
                                   pin_uv_param=pin.protocol.authenticate(token, assertion_hash),
                                   pin_uv_protocol=pin.protocol.VERSION)
    assertion.verify(assertion_hash, CoseKey.parse(att.auth_data.credential_data.public_key))
    check(assertion.auth_data.is_user_verified(), "getAssertion with a UV token sets UV")
    _, protected = make_credential(ctap, ES256.ALGORITHM, user_id=b"uv-only", rk=True, options_uv=True,
                                   extensions={"credProtect": 3})
    check(protected.auth_data.extensions == {"credProtect": 3}, "credProtect uvRequired reported in authData")
    protected_descriptor = {"type": "public-key", "id": protected.auth_data.credential_data.credential_id}
    expect_ctap_error(CtapError.ERR.NO_CREDENTIALS, "uvRequired credential without UV",
                      lambda: ctap.get_assertion(RP["id"], assertion_hash, [protected_descriptor]))
    uv_assertion = ctap.get_assertion(RP["id"], assertion_hash, [protected_descriptor], options={"uv": True})
    uv_assertion.verify(assertion_hash, CoseKey.parse(protected.auth_data.credential_data.public_key))
    check(uv_assertion.auth_data.is_user_verified(), "uvRequired credential with built-in UV")
    expect_ctap_error(CtapError.ERR.UNAUTHORIZED_PERMISSION, "ga-only token refused for makeCredential",
                      lambda: ctap.make_credential(
                          client_data_hash, RP, {"id": b"u", "name": "u"}, [{"type": "public-key", "alg": -7}],
                          pin_uv_param=pin.protocol.authenticate(token, client_data_hash),
                          pin_uv_protocol=pin.protocol.VERSION))


SCENARIOS = {
    "credentials": scenario_credentials,
    "resident": scenario_resident,
    "pin": scenario_pin,
    "self-attestation": scenario_self_attestation,
    "builtin-uv": scenario_builtin_uv,
}

if __name__ == "__main__":
    scenario, socket_path, root_path = sys.argv[1:4]
    with open(root_path, "rb") as f:
        root = f.read()
    SCENARIOS[scenario](socket_path, root)
    print("done: " + scenario, flush=True)
