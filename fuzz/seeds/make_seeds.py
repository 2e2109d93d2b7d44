#!/usr/bin/env python3
# SPDX-License-Identifier: MPL-2.0
"""Writes the hand-made seed inputs under fuzz/seeds/<target>/ (standard library only).

Run it again after changing an input layout, the fuzz types, or the emulator target's fixed
clock or credential: the signed emulator requests embed both. Regression seeds (inputs that
once crashed a target) are added by hand as `crash-*` files and are not touched here.
"""

import base64
import hashlib
import hmac
import json
import os
import struct
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
# Must match fuzz_targets/emulator_request.rs.
KEY_ID, SECRET, APP_ID = "fuzz-key", "fuzz-secret", "ci-vm-fuzz"
NOW = "2024-05-01T08:00:00Z"


class Ext:
    """A msgpack extension value (cty's unknowns)."""

    def __init__(self, code, payload):
        self.code, self.payload = code, payload


def mp(v):
    """A minimal msgpack encoder covering what the seeds use."""
    if v is None:
        return b"\xc0"
    if v is True or v is False:
        return b"\xc3" if v else b"\xc2"
    if isinstance(v, int):
        if 0 <= v < 128:
            return bytes([v])
        if -32 <= v < 0:
            return struct.pack("b", v)
        return b"\xd3" + struct.pack(">q", v)
    if isinstance(v, float):
        return b"\xcb" + struct.pack(">d", v)
    if isinstance(v, str):
        b = v.encode()
        assert len(b) < 256
        return (bytes([0xA0 | len(b)]) if len(b) < 32 else b"\xd9" + bytes([len(b)])) + b
    if isinstance(v, bytes):
        return b"\xc4" + bytes([len(v)]) + v
    if isinstance(v, list):
        assert len(v) < 16
        return bytes([0x90 | len(v)]) + b"".join(mp(x) for x in v)
    if isinstance(v, dict):
        assert len(v) < 16
        return bytes([0x80 | len(v)]) + b"".join(mp(k) + mp(x) for k, x in v.items())
    if isinstance(v, Ext):
        assert len(v.payload) < 256
        return b"\xc7" + bytes([len(v.payload)]) + struct.pack("b", v.code) + v.payload
    raise TypeError(type(v))


UNKNOWN = Ext(0, b"\x00")
# Refined unknown string: not null (key 1) and prefix "cn-" (key 2).
REFINED = Ext(12, mp({1: False, 2: "cn-"}))


def resource(**over):
    obj = {
        "id": "ci-vm-rYfypJKwlN9Y",
        "app_id": "ci-vm-rYfypJKwlN9Y",
        "region": "cn-hangzhou",
        "request_id": "5A2C6E1B-0D3F-4B7A-9C1E-2F4D6B8A0C1E",
        "target_region_ids": ["cn-beijing", "cn-shanghai"],
        "synchronized": [{"region_id": "cn-beijing", "status": "Synchronized"}],
        "timeouts": {"create": "30m", "update": None},
        "tags": {"team": "hpc", "env": "ci"},
        "weight": 1.5,
        "enabled": True,
        "pair": ["a", 7],
        "extra": None,
    }
    obj.update(over)
    return obj


def write(target, name, data):
    folder = os.path.join(HERE, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def value_seeds():
    # First byte: 0 = resource object, 1 = dynamic, 2 = list(number) (ehpc_fuzz::fuzz_types).
    msgpack = {
        "resource-known": b"\x00" + mp(resource()),
        "resource-unknowns": b"\x00"
        + mp(resource(id=UNKNOWN, request_id=REFINED, target_region_ids=["cn-beijing", UNKNOWN],
                      synchronized=UNKNOWN, extra=UNKNOWN)),
        "resource-null": b"\x00\xc0",
        "resource-dynamic-extra": b"\x00"
        + mp(resource(extra=[b'["map","number"]', {"a": 1, "b": "12345678901234567890123"}])),
        "dynamic-tuple": b"\x01" + mp([b'["tuple",["string","bool"]]', ["x", False]]),
        "dynamic-str-type": b"\x01" + mp(['["set","string"]', ["b", "a"]]),
        "numbers": b"\x02" + mp([0, -5, 2**40, 0.1, "123456789012345678901234567890.5", None]),
        "numbers-unknown-refined": b"\x02" + mp(Ext(12, mp({1: False, 5: 1, 6: 3}))),
    }
    for name, data in msgpack.items():
        write("value_msgpack", name, data)
    doc = resource()
    doc["weight"] = "1.50"  # cty accepts numeric strings in state
    doc["extra"] = {"value": {"k": [1, 2]}, "type": ["object", {"k": ["list", "number"]}]}
    js = {
        "resource": b"\x00" + json.dumps(doc, indent=2).encode(),
        "resource-missing-attrs": b"\x00" + b'{"id":"x","target_region_ids":null,"tags":{}}',
        "dynamic": b"\x01" + b'{"value":["a",true],"type":["tuple",["string","bool"]]}',
        "numbers": b"\x02" + b"[1, -0, 1e400, 0.000000000000000000000001, 123456789012345678901234567890]",
        "numbers-escapes": b"\x02" + b'["1\\u0030", "2.5"]',
    }
    for name, data in js.items():
        write("value_json", name, data)


def error_seeds():
    # 2 bytes status, 1 byte header-block length, header lines, body.
    def seed(status, headers, body):
        block = "".join(f"{k}: {v}\n" for k, v in headers).encode()
        return struct.pack(">HB", status, len(block)) + block + body

    sig = {
        "Code": "SignatureDoesNotMatch",
        "Message": "Specified signature is not matched with our calculation. server string to sign is:GET&%2F&AccessKeyId%3Dk",
        "RequestId": "7A1B2C3D-0000-4000-8000-000000000001",
        "HostId": "ehpc.cn-hangzhou.aliyuncs.com",
        "Recommend": "https://api.aliyun.com/troubleshoot?q=SignatureDoesNotMatch",
    }
    denied = {
        "code": "Forbidden.RAM",
        "message": "User not authorized",
        "requestId": "r-2",
        "AccessDeniedDetail": {"PolicyType": "AccountLevelIdentityBasedPolicy", "AuthAction": "ehpc:SynchronizeApp"},
    }
    seeds = {
        "signature": seed(400, [("x-acs-request-id", "hdr-id")], json.dumps(sig).encode()),
        "throttled": seed(400, [("x-acs-retry-after", "1500")],
                          b'{"Code":"Throttling.User","Message":"Request was denied due to user flow control."}'),
        "ram-denied": seed(403, [], json.dumps(denied).encode()),
        "proxy-html": seed(502, [("content-type", "text/html")],
                           b"<html><body><h1>502 Bad Gateway</h1></body></html>"),
        "numbers-not-strings": seed(404, [], b'{"Code":404,"Message":["a"],"RequestId":null}'),
        "empty": seed(503, [], b""),
    }
    for name, data in seeds.items():
        write("api_error_body", name, data)


def enc(s):
    return urllib.parse.quote(s, safe="-_.~")


def v2_request(method, params):
    """A V2-signed request: query for GET, form body for POST."""
    params = dict(params, AccessKeyId=KEY_ID, Format="JSON", SignatureMethod="HMAC-SHA1",
                  SignatureNonce=f"nonce-{method}-{params['Action']}", SignatureVersion="1.0",
                  Timestamp=NOW)
    canonical = "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted(params.items()))
    to_sign = f"{method}&%2F&{enc(canonical)}"
    digest = hmac.new(f"{SECRET}&".encode(), to_sign.encode(), hashlib.sha1).digest()
    params["Signature"] = base64.b64encode(digest).decode()
    query = "&".join(f"{enc(k)}={enc(v)}" for k, v in params.items())
    host = "Host: ehpc.cn-hangzhou.aliyuncs.com\n"
    if method == "GET":
        return f"GET /?{query}\n{host}\n".encode()
    return (f"POST /\n{host}Content-Type: application/x-www-form-urlencoded\n\n{query}").encode()


def v3_request(params):
    """A V3-signed (ACS3-HMAC-SHA256) POST with the parameters in the query string."""
    body = b""
    headers = {
        "host": "ehpc.cn-hangzhou.aliyuncs.com",
        "x-acs-action": "SynchronizeApp",
        "x-acs-version": "2023-07-01",
        "x-acs-date": NOW,
        "x-acs-signature-nonce": "nonce-v3",
        "x-acs-content-sha256": hashlib.sha256(body).hexdigest(),
    }
    query = "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted(params.items()))
    canonical_headers = "".join(f"{k}:{v}\n" for k, v in sorted(headers.items()))
    signed = ";".join(sorted(headers))
    canonical = f"POST\n/\n{query}\n{canonical_headers}\n{signed}\n{headers['x-acs-content-sha256']}"
    to_sign = "ACS3-HMAC-SHA256\n" + hashlib.sha256(canonical.encode()).hexdigest()
    signature = hmac.new(SECRET.encode(), to_sign.encode(), hashlib.sha256).hexdigest()
    auth = f"ACS3-HMAC-SHA256 Credential={KEY_ID},SignedHeaders={signed},Signature={signature}"
    lines = "".join(f"{k}: {v}\n" for k, v in headers.items())
    return f"POST /?{query}\n{lines}authorization: {auth}\n\n".encode()


def image_id(seed):
    """The emulator's derived ImageId (ids::image_id): `m-` and 20 of [0-9a-z] from SHA-256."""
    alphabet = "0123456789abcdefghijklmnopqrstuvwxyz"
    return "m-" + "".join(alphabet[b % 36] for b in hashlib.sha256(seed.encode()).digest()[:20])


def emulator_seeds():
    sync = {"Action": "SynchronizeApp", "Version": "2023-07-01", "AppId": APP_ID,
            "TargetRegionIds": '["cn-beijing","cn-shanghai"]'}
    seeds = {
        "v2-get-synchronize": v2_request("GET", sync),
        "v2-post-form-synchronize-all": v2_request("POST", dict(sync, TargetRegionIds='["all"]')),
        "v2-assume-role": v2_request("GET", {"Action": "AssumeRole", "Version": "2015-04-01",
                                             "RoleArn": "acs:ram::1:role/r", "RoleSessionName": "s"}),
        "v3-post-synchronize": v3_request({"AppId": APP_ID, "TargetRegionIds": '["cn-shenzhen"]'}),
        "oidc": b"POST /\nContent-Type: application/x-www-form-urlencoded\n\n"
        b"Action=AssumeRoleWithOIDC&Version=2015-04-01&RoleArn=acs%3Aram%3A%3A1%3Arole%2Fr"
        b"&OIDCProviderArn=acs%3Aram%3A%3A1%3Aoidc-provider%2Fp&OIDCToken=eyJ.e30.sig&RoleSessionName=s",
        "unsigned": b"GET /?Action=SynchronizeApp&Version=2023-07-01&AppId=x\n\n",
        "metadata-token": b"PUT /latest/api/token\nX-aliyun-ecs-metadata-token-ttl-seconds: 60\n\n",
        "metadata-role": b"GET /latest/meta-data/ram/security-credentials/ehpc-emulator-role\n"
        b"X-aliyun-ecs-metadata-token: t\n\n",
        "inspect-calls": b"GET /_emulator/calls\n\n",
        "v2-get-list-images": v2_request("GET", {
            "Action": "ListImages", "Version": "2023-07-01", "ImageNames": '["solver"]',
            "ImageType": "VM", "Mode": "List", "PageNumber": "2", "PageSize": "5"}),
        "v2-post-form-get-image": v2_request("POST", {
            "Action": "GetImage", "Version": "2023-07-01", "ImageId": image_id(APP_ID),
            "AdditionalRegionIds": '["cn-beijing"]'}),
        "admin-app-view": f"GET /_emulator/apps/{APP_ID}\n\n".encode(),
        "admin-pin-copy": f"PUT /_emulator/apps/{APP_ID}/copies/cn-beijing\n"
        "Content-Type: application/json\n\n{\"status\": \"CreateFailed\"}".encode(),
        "admin-delete-copy": f"DELETE /_emulator/apps/{APP_ID}/copies/cn-beijing\n\n".encode(),
        "not-found": b"DELETE /nowhere?x=%zz\n\n",
    }
    for name, data in seeds.items():
        write("emulator_request", name, data)


if __name__ == "__main__":
    value_seeds()
    error_seeds()
    emulator_seeds()
