"""python-fido2 (Debian python3-fido2) as a client of Breakglass's virtual authenticator.

There is no /dev/uhid on CI machines, so the HID seam is crossed at the 64-byte report: the node
test hosts the virtual key behind a Unix socket and this script hands python-fido2 a
CtapHidConnection that reads and writes those reports on it. Every check below is python-fido2's
own code (its CTAPHID framing, strict CBOR decoding, PIN protocols, packed attestation and
assertion verification); the script prints one JSON object for the test to judge.

usage: python_fido2_client.py SOCKET_PATH PIN        (a full ceremony, see main())
       python_fido2_client.py --primitives           (PIN protocol vectors from JSON on stdin)
"""
import hashlib
import json
import socket
import sys

from fido2.ctap2 import Ctap2
from fido2.ctap2.pin import ClientPin, PinProtocolV1, PinProtocolV2
from fido2.attestation import PackedAttestation
from fido2.hid import CtapHidDevice
from fido2.hid.base import CtapHidConnection, HidDescriptor


class SocketConnection(CtapHidConnection):
    """One HID handle on the virtual key: 64-byte reports both ways, nothing else on the wire."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)

    def write_packet(self, data):
        assert len(data) == 64, len(data)
        self.sock.sendall(bytes(data))

    def read_packet(self):
        out = b""
        while len(out) < 64:
            chunk = self.sock.recv(64 - len(out))
            if not chunk:
                raise IOError("virtual key closed the connection")
            out += chunk
        return out

    def close(self):
        self.sock.close()


def open_device(path):
    return CtapHidDevice(HidDescriptor(path, 0, 0, 64, 64), SocketConnection(path))


def ceremony(path, pin):
    dev = open_device(path)
    ctap = Ctap2(dev)  # strict_cbor: every answer must be canonical CBOR
    info = ctap.info
    out = {"versions": info.versions, "options": info.options, "pin_uv_protocols": info.pin_uv_protocols}
    if not info.options.get("clientPin"):
        ClientPin(ctap, PinProtocolV2()).set_pin(pin)
        out["pin_set_by_python"] = True
    rp = {"id": "breakglass.local", "name": "Breakglass"}
    user = {"id": b"\x01" * 16, "name": "interop"}
    results = []
    for proto in (PinProtocolV2, PinProtocolV1):
        client_pin = ClientPin(ctap, proto())
        perms = ClientPin.PERMISSION.MAKE_CREDENTIAL | ClientPin.PERMISSION.GET_ASSERTION
        token = client_pin.get_pin_token(pin, perms, rp["id"])
        cdh = hashlib.sha256(b"make-credential-%d" % proto.VERSION).digest()
        att = ctap.make_credential(
            cdh, rp, user, [{"type": "public-key", "alg": -7}],
            pin_uv_param=client_pin.protocol.authenticate(token, cdh), pin_uv_protocol=proto.VERSION,
        )
        PackedAttestation().verify(att.att_statement, att.auth_data, cdh)
        cred = att.auth_data.credential_data
        allow = [{"type": "public-key", "id": cred.credential_id}]
        # The token is spent for makeCredential; getAssertion gets a fresh one, as a browser would.
        token = client_pin.get_pin_token(pin, ClientPin.PERMISSION.GET_ASSERTION, rp["id"])
        cdh_uv = hashlib.sha256(b"assert-uv-%d" % proto.VERSION).digest()
        with_pin = ctap.get_assertion(
            rp["id"], cdh_uv, allow,
            pin_uv_param=client_pin.protocol.authenticate(token, cdh_uv), pin_uv_protocol=proto.VERSION,
        )
        with_pin.verify(cdh_uv, cred.public_key)
        cdh_up = hashlib.sha256(b"assert-up-%d" % proto.VERSION).digest()
        touch_only = ctap.get_assertion(rp["id"], cdh_up, allow)
        touch_only.verify(cdh_up, cred.public_key)
        results.append({
            "protocol": proto.VERSION,
            "token_length": len(token),
            "attested_uv": att.auth_data.is_user_verified(),
            "credential_id": cred.credential_id.hex(),
            "cose_public_key": __import__("fido2.cbor", fromlist=["encode"]).encode(dict(cred.public_key)).hex(),
            "with_pin": {"uv": with_pin.auth_data.is_user_verified(), "up": with_pin.auth_data.is_user_present(),
                         "auth_data": bytes(with_pin.auth_data).hex(), "signature": with_pin.signature.hex(), "cdh": cdh_uv.hex()},
            "touch_only": {"uv": touch_only.auth_data.is_user_verified(), "up": touch_only.auth_data.is_user_present(),
                           "auth_data": bytes(touch_only.auth_data).hex(), "signature": touch_only.signature.hex(), "cdh": cdh_up.hex()},
        })
    out["results"] = results
    try:
        ClientPin(ctap, PinProtocolV2()).get_pin_token(pin + "x", ClientPin.PERMISSION.GET_ASSERTION, rp["id"])
        out["wrong_pin"] = "accepted"
    except Exception as error:  # python-fido2's CtapError names the status
        out["wrong_pin"] = str(error)
    out["retries_after_wrong"] = ClientPin(ctap, PinProtocolV2()).get_pin_retries()[0]
    dev.close()
    return out


def primitives(vectors):
    """Our pin-protocol.ts outputs, recomputed by python-fido2 for the test to compare."""
    out = {}
    for name, proto in (("v1", PinProtocolV1()), ("v2", PinProtocolV2())):
        z = bytes.fromhex(vectors["z"])
        key = proto.kdf(z)
        msg = bytes.fromhex(vectors["message"])
        out[name] = {
            "kdf": key.hex(),
            "authenticate": proto.authenticate(key, msg).hex(),
            "decrypt": proto.decrypt(key, bytes.fromhex(vectors[name + "_ciphertext"])).hex(),
        }
    out["v1"]["encrypt"] = PinProtocolV1().encrypt(PinProtocolV1().kdf(bytes.fromhex(vectors["z"])), bytes.fromhex(vectors["message"])).hex()
    return out


if __name__ == "__main__":
    if sys.argv[1] == "--primitives":
        print(json.dumps(primitives(json.load(sys.stdin))))
    else:
        print(json.dumps(ceremony(sys.argv[1], sys.argv[2])))
