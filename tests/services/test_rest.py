"""suit-server's REST routes: the happy path of each, and bad input for each
(malformed JSON, wrong types, oversized bodies, path traversal, missing or
wrong tokens, wrong roles, wrong kinds of token), which must give the right
4xx and never a 5xx (the Client fails on any 5xx), with the server still
healthy afterwards."""
import hashlib
import json
import os
import pathlib

import pytest

from conftest import (CLASS, OTHER_VENDOR, VENDOR, publish, register_device, sign_report,
                      upload_payload)

MiB = 1024 * 1024


@pytest.fixture(scope="module")
def fleet(server, workdir, keys):
    """a published manifest, two registered devices and the tokens of each role"""
    admin = server.client()
    summary, envelope = publish(admin, workdir, "fleet-v2", os.urandom(50000), 2, keys["author"])
    tokens = {}
    for role in ("operator", "viewer"):
        doc = admin.json("POST", "/api/v1/tokens", {"role": role, "name": "test " + role}, status=201)
        tokens[role] = doc["token"]
    device_token = register_device(admin, "dev-a", keys["device_pub"], tags=["fleet"])
    other_token = register_device(admin, "dev-b", keys["other_device_pub"], tags=["other"])
    return {"manifest": summary, "envelope": envelope, "tokens": tokens,
            "device_token": device_token, "other_token": other_token}


def assert_healthy(server):
    assert server.client().healthy()


# ids that try to leave their directory: dot segments, also percent-encoded,
# are resolved before routing (RFC 3986 §5.2.4), encoded slashes are refused
TRAVERSALS = ("%2e%2e", "..%2F..%2Fadmin-token", "%2e%2e%2f%2e%2e%2fadmin-token", "..%2f", "%2F..%2F..%2Fetc%2Fpasswd")


def assert_not_traversed(response):
    """a 400 for the id, a 404 for the resolved path, or the dashboard at /"""
    if response.status == 200:
        assert response.header("Content-Type").startswith("text/html"), response
    else:
        response.problem(response.status)
        assert response.status in (400, 404), response


# meta


def test_health(server):
    client = server.client(token="")
    doc = client.json("GET", "/api/v1/health")
    assert doc == {"status": "ok"}


def test_dashboard(server):
    response = server.client(token="").request("GET", "/")
    assert response.status == 200
    assert response.header("Content-Type").startswith("text/html")
    page = response.body.decode()
    assert "fetch(" in page and "/api/v1/devices" in page
    # self-contained: no external scripts, styles or images
    assert "http://" not in page and "https://" not in page and "src=" not in page


def test_metrics(server, fleet):
    client = server.client(token="")
    client.request("GET", "/api/v1/health")
    response = client.request("GET", "/metrics")
    assert response.status == 200
    assert response.header("Content-Type").startswith("text/plain")
    text = response.body.decode()
    assert 'suit_http_requests_total{method="GET",route="/api/v1/health",status="200"}' in text
    assert "suit_http_request_duration_seconds_bucket" in text
    assert 'le="+Inf"' in text
    assert "suit_devices" in text and "suit_campaigns" in text


def test_statistics(server, fleet):
    doc = server.client(fleet["tokens"]["viewer"]).json("GET", "/api/v1/statistics")
    assert isinstance(doc, dict)
    server.client(token="").request("GET", "/api/v1/statistics").problem(401)
    server.client(fleet["device_token"]).request("GET", "/api/v1/statistics").problem(403)


def test_unknown_route_and_method(server):
    client = server.client()
    for path in ("/nope", "/api/v1", "/api/v1/devices/a/b", "/api/v1/devices/", "//", "/api/v2/health",
                 "/payloads", "/payloads/", "/device/v1/check-in/x"):
        client.request("GET", path).problem(404, "not-found")
    response = client.request("PUT", "/api/v1/devices", body=b"{}")
    response.problem(405)
    assert set(response.header("Allow").split(", ")) == {"GET", "POST"}
    response = client.request("DELETE", "/payloads/" + "0" * 64)
    response.problem(405)
    assert set(response.header("Allow").split(", ")) == {"GET", "HEAD"}
    client.request("POST", "/api/v1/health").problem(405)
    client.request("GET", "/api/v1/payloads").problem(405)
    assert_healthy(server)


# authentication and roles


@pytest.mark.parametrize("method,path", [
    ("GET", "/api/v1/devices"), ("POST", "/api/v1/devices"), ("GET", "/api/v1/manifests"),
    ("POST", "/api/v1/manifests"), ("POST", "/api/v1/payloads"), ("GET", "/api/v1/campaigns"),
    ("POST", "/api/v1/campaigns"), ("GET", "/api/v1/events"), ("GET", "/api/v1/tokens"),
    ("POST", "/api/v1/tokens"), ("DELETE", "/api/v1/tokens/0123456789abcdef"),
    ("GET", "/api/v1/devices/dev-a"), ("GET", "/api/v1/campaigns/c-0123456789abcdef"),
    ("POST", "/api/v1/campaigns/c-0123456789abcdef/pause"),
    ("GET", "/api/v1/manifests/" + "0" * 64), ("GET", "/api/v1/manifests/" + "0" * 64 + "/envelope"),
    ("POST", "/device/v1/check-in"), ("POST", "/device/v1/reports"),
    ("GET", "/device/v1/manifests/" + "0" * 64),
])
def test_missing_and_unknown_tokens(server, fleet, method, path):
    client = server.client(token="")
    body = b"{}" if method == "POST" else None
    response = client.request(method, path, body=body)
    response.problem(401, "permission-denied")
    assert response.header("WWW-Authenticate") == "Bearer"
    for bad in ("0" * 64, "not-a-token", "x" * 5000):
        client.request(method, path, body=body, token=bad).problem(401)
    # not Bearer
    response = client.request(method, path, body=body,
                              headers={"Authorization": "Basic " + server.admin_token})
    response.problem(401)
    assert_healthy(server)


@pytest.mark.parametrize("method,path", [
    ("POST", "/api/v1/devices"), ("POST", "/api/v1/manifests"), ("POST", "/api/v1/payloads"),
    ("POST", "/api/v1/campaigns"), ("POST", "/api/v1/campaigns/c-0123456789abcdef/pause"),
    ("POST", "/api/v1/campaigns/c-0123456789abcdef/resume"),
    ("POST", "/api/v1/campaigns/c-0123456789abcdef/cancel"),
    ("POST", "/api/v1/tokens"), ("GET", "/api/v1/tokens"), ("DELETE", "/api/v1/tokens/0123456789abcdef"),
])
def test_viewer_may_not_write(server, fleet, method, path):
    response = server.client(fleet["tokens"]["viewer"]).request(method, path, body=b"{}" if method == "POST" else None)
    response.problem(403, "permission-denied")


@pytest.mark.parametrize("method,path", [
    ("POST", "/api/v1/tokens"), ("GET", "/api/v1/tokens"), ("DELETE", "/api/v1/tokens/0123456789abcdef"),
])
def test_operator_may_not_manage_tokens(server, fleet, method, path):
    response = server.client(fleet["tokens"]["operator"]).request(method, path, body=b"{}" if method == "POST" else None)
    response.problem(403, "permission-denied")


@pytest.mark.parametrize("method,path", [
    ("GET", "/api/v1/devices"), ("GET", "/api/v1/devices/dev-a"), ("GET", "/api/v1/devices/dev-b"),
    ("POST", "/api/v1/devices"), ("GET", "/api/v1/manifests"), ("POST", "/api/v1/payloads"),
    ("GET", "/api/v1/events"), ("GET", "/api/v1/tokens"), ("GET", "/api/v1/campaigns"),
])
def test_device_token_on_operator_routes(server, fleet, method, path):
    # dev-a may not read its own document, nor dev-b's, through the operator API
    response = server.client(fleet["device_token"]).request(method, path, body=b"{}" if method == "POST" else None)
    response.problem(403, "permission-denied")


@pytest.mark.parametrize("method,path", [
    ("POST", "/device/v1/check-in"), ("POST", "/device/v1/reports"),
    ("GET", "/device/v1/manifests/" + "0" * 64),
])
def test_operator_tokens_on_device_routes(server, fleet, method, path):
    for token in (server.admin_token, fleet["tokens"]["operator"], fleet["tokens"]["viewer"]):
        response = server.client(token).request(method, path, body=b"{}" if method == "POST" else None)
        response.problem(403, "permission-denied")


def test_viewer_and_operator_may_read(server, fleet):
    for role in ("viewer", "operator"):
        client = server.client(fleet["tokens"][role])
        assert isinstance(client.json("GET", "/api/v1/devices"), list)
        assert isinstance(client.json("GET", "/api/v1/manifests"), list)
        assert isinstance(client.json("GET", "/api/v1/campaigns"), list)
        assert isinstance(client.json("GET", "/api/v1/events"), list)


# payloads


def test_payload_upload_and_download(server, admin):
    data = os.urandom(300000)
    digest = upload_payload(admin, data)
    # a second upload of the same bytes is no error
    assert upload_payload(admin, data) == digest
    response = server.client(token="").request("GET", "/payloads/" + digest)
    assert response.status == 200 and response.body == data
    # chunked transfer encoding, under the limit
    data2 = os.urandom(200000)
    chunks = (data2[i:i + 7000] for i in range(0, len(data2), 7000))
    response = admin.request("POST", "/api/v1/payloads", body=chunks, encode_chunked=True,
                             headers={"Transfer-Encoding": "chunked"})
    assert response.status == 201, response
    assert response.json() == {"digest": hashlib.sha256(data2).hexdigest(), "size": len(data2)}
    # empty payloads are payloads too
    assert upload_payload(admin, b"") == hashlib.sha256(b"").hexdigest()


def test_payload_too_large(server, admin):
    # Content-Length over --max-payload-size (1 MiB here): refused at once
    response = admin.request("POST", "/api/v1/payloads", body=os.urandom(MiB + 1))
    response.problem(413, "limit-exceeded")
    # exactly the limit is fine
    upload_payload(admin, os.urandom(MiB))
    # a chunked body is cut off when it passes the limit
    chunk = os.urandom(64 * 1024)
    response = admin.request("POST", "/api/v1/payloads", body=(chunk for _ in range(20)),
                             encode_chunked=True, headers={"Transfer-Encoding": "chunked"})
    response.problem(413, "limit-exceeded")
    # nothing of them was stored, and no temporary file is left
    tmp = server.data_dir / "files" / "tmp"
    assert [p.name for p in tmp.iterdir()] == []
    assert_healthy(server)


def test_payload_bad_digests(server):
    client = server.client(token="")
    for bad in ("0" * 63, "g" * 64, "0" * 65, "%00" + "0" * 63, "%2F" + "0" * 63):
        client.request("GET", "/payloads/" + bad).problem(400, "invalid-argument")
    for bad in TRAVERSALS:
        assert_not_traversed(client.request("GET", "/payloads/" + bad))
    client.request("GET", "/payloads/" + "0" * 64).problem(404, "not-found")
    assert client.request("HEAD", "/payloads/" + "0" * 64).status == 404
    # dot segments are resolved before routing (RFC 3986): never a file
    response = client.request("GET", "/payloads/../api/v1/tokens")
    response.problem(401)
    response = client.request("GET", "/payloads/..")
    assert response.status == 200 and response.header("Content-Type").startswith("text/html")
    assert_healthy(server)


# manifests


def test_manifests(server, admin, workdir, keys):
    data = os.urandom(20000)
    summary, envelope = publish(admin, workdir, "manifests-v5", data, 5, keys["author"])
    assert summary["sequence_number"] == 5
    assert summary["vendor_id"] == VENDOR and summary["class_id"] == CLASS
    assert len(summary["id"]) == 64
    assert summary["components"][0]["image_digest"] == hashlib.sha256(data).hexdigest()
    assert summary["components"][0]["image_size"] == len(data)

    assert admin.json("GET", "/api/v1/manifests/" + summary["id"]) == summary
    assert admin.json("GET", "/api/v1/manifests/" + summary["id"].upper()) == summary
    response = admin.request("GET", "/api/v1/manifests/%s/envelope" % summary["id"])
    assert response.status == 200
    assert response.header("Content-Type") == "application/suit-envelope+cose"
    assert response.body == envelope
    listed = admin.json("GET", "/api/v1/manifests")
    assert summary["id"] in [m["id"] for m in listed]
    assert summary["id"] in [m["id"] for m in admin.json("GET", "/api/v1/manifests?vendor_id=" + VENDOR)]
    assert summary["id"] in [m["id"] for m in admin.json("GET", "/api/v1/manifests?class_id=" + CLASS)]
    assert admin.json("GET", "/api/v1/manifests?vendor_id=" + OTHER_VENDOR) == []
    # posting it again is no error
    response = admin.request("POST", "/api/v1/manifests", body=envelope)
    assert response.status == 201 and response.json()["id"] == summary["id"]


def test_manifests_bad_input(server, admin, workdir, keys):
    # not CBOR, empty, too large
    admin.request("POST", "/api/v1/manifests", body=b"hello").problem(400)
    admin.request("POST", "/api/v1/manifests", body=b"").problem(400)
    admin.request("POST", "/api/v1/manifests", body=b"\xd8\x6b\xa2" + b"\x00" * 100).problem(400)
    admin.request("POST", "/api/v1/manifests", body=os.urandom(MiB + 1)).problem(413, "limit-exceeded")
    admin.request("POST", "/api/v1/manifests", body=(b"\x00" * 65536 for _ in range(17)),
                  encode_chunked=True, headers={"Transfer-Encoding": "chunked"}).problem(413)
    # signed by a key the server does not trust: 422
    payload = pathlib.Path(workdir) / "untrusted.bin"
    payload.write_bytes(b"untrusted image")
    from conftest import make_envelope
    envelope = make_envelope(workdir, "untrusted", payload, "0" * 64, 1, keys["untrusted"])
    response = admin.request("POST", "/api/v1/manifests", body=envelope)
    assert response.status == 422, response
    assert response.json()["title"] in ("signature-invalid", "no-authentication")
    # tampered signature: 422 too (or 400 when it no longer parses)
    good = make_envelope(workdir, "tamper", payload, "0" * 64, 1, keys["author"])
    tampered = bytearray(good)
    tampered[-5] ^= 0x01
    response = admin.request("POST", "/api/v1/manifests", body=bytes(tampered))
    assert response.status in (400, 422), response
    # ids
    for bad in ("x", "0" * 63, "..%2F..%2Fadmin-token", "%2F" * 64):
        admin.request("GET", "/api/v1/manifests/" + bad).problem(400, "invalid-argument")
        admin.request("GET", "/api/v1/manifests/%s/envelope" % bad).problem(400, "invalid-argument")
    for bad in TRAVERSALS:
        assert_not_traversed(admin.request("GET", "/api/v1/manifests/" + bad))
        assert_not_traversed(admin.request("GET", "/api/v1/manifests/%s/envelope" % bad))
    admin.request("GET", "/api/v1/manifests/" + "0" * 64).problem(404, "not-found")
    admin.request("GET", "/api/v1/manifests/%s/envelope" % ("0" * 64)).problem(404, "not-found")
    admin.request("GET", "/api/v1/manifests?vendor_id=not-a-uuid").problem(400)
    assert_healthy(server)


# devices


def test_devices(server, admin, keys):
    token = register_device(admin, "dev-happy.1", keys["device_pub"], tags=["happy", "lab"])
    assert len(token) >= 32
    device = admin.json("GET", "/api/v1/devices/dev-happy.1")
    assert device["id"] == "dev-happy.1"
    assert device["vendor_id"] == VENDOR and device["class_id"] == CLASS
    assert sorted(device["tags"]) == ["happy", "lab"]
    assert device["state"] == "registered"
    assert "token" not in device and token not in json.dumps(device)
    assert [d["id"] for d in admin.json("GET", "/api/v1/devices?tag=happy")] == ["dev-happy.1"]
    assert "dev-happy.1" in [d["id"] for d in admin.json("GET", "/api/v1/devices?state=registered")]
    assert admin.json("GET", "/api/v1/devices?tag=nobody-has-this") == []
    for d in admin.json("GET", "/api/v1/devices"):
        assert "token" not in d


def test_devices_bad_input(server, admin, keys):
    pem = pathlib.Path(keys["device_pub"]).read_text()
    good = {"id": "dev-bad", "vendor_id": VENDOR, "class_id": CLASS, "tags": [], "public_key": pem}
    bodies = [
        b"", b"{", b"[]", b"\"x\"", b"42", b"null", b"{\"id\": }", b"\xff\xfe{}", b"{} {}",
        b"[" * 100000 + b"]" * 100000,
    ]
    for body in bodies:
        admin.request("POST", "/api/v1/devices", body=body, content_type="application/json").problem(400)
    wrong = [
        {"id": 5}, dict(good, id=5), dict(good, id=""), dict(good, id="../../etc"), dict(good, id=".hidden"),
        dict(good, id="a/b"), dict(good, id="x" * 129), dict(good, vendor_id=7), dict(good, vendor_id="nope"),
        dict(good, class_id=None), dict(good, tags="lab"), dict(good, tags=[1, 2]), dict(good, public_key=3),
        dict(good, public_key="not a key"), {k: v for k, v in good.items() if k != "public_key"},
        {k: v for k, v in good.items() if k != "id"},
    ]
    for doc in wrong:
        admin.request("POST", "/api/v1/devices", body=json.dumps(doc).encode(),
                      content_type="application/json").problem(400)
    # too large: over the 1 MiB of any JSON body
    huge = dict(good, junk="x" * (MiB + 10))
    admin.request("POST", "/api/v1/devices", body=json.dumps(huge).encode()).problem(413, "limit-exceeded")
    # duplicate
    register_device(admin, "dev-dup", keys["device_pub"])
    admin.request("POST", "/api/v1/devices", body=json.dumps(dict(good, id="dev-dup")).encode()).problem(409, "conflict")
    # ids in the path
    for bad in (".hidden", "a%2Fb", "..%2F..%2Fadmin-token", "%00", "x" * 129, "%C3%A9", "a%20b"):
        admin.request("GET", "/api/v1/devices/" + bad).problem(400, "invalid-argument")
    # not even a URI: libsoup answers a bare 400 before any route is looked up
    assert admin.request("GET", "/api/v1/devices/%ZZ").status == 400
    for bad in TRAVERSALS:
        assert_not_traversed(admin.request("GET", "/api/v1/devices/" + bad))
    admin.request("GET", "/api/v1/devices/no-such-device").problem(404, "not-found")
    assert admin.request("GET", "/api/v1/devices?state=sleeping").status in (200, 400)
    assert_healthy(server)


# campaigns


def test_campaigns(server, admin, workdir, keys):
    summary, _ = publish(admin, workdir, "campaign-v3", os.urandom(10000), 3, keys["author"])
    register_device(admin, "dev-camp", keys["device_pub"], tags=["camp"])
    campaign = admin.json("POST", "/api/v1/campaigns", {
        "manifest": summary["id"], "tags": ["camp"], "waves": [50, 100], "max_failure_ratio": 0.5}, status=201)
    assert campaign["state"] == "running"
    assert campaign["manifest"] == summary["id"]
    assert campaign["id"].startswith("c-")
    cid = campaign["id"]
    assert admin.json("GET", "/api/v1/campaigns/" + cid)["id"] == cid
    assert cid in [c["id"] for c in admin.json("GET", "/api/v1/campaigns")]
    assert admin.json("POST", "/api/v1/campaigns/%s/pause" % cid)["state"] == "paused"
    admin.request("POST", "/api/v1/campaigns/%s/pause" % cid).problem(409, "conflict")
    assert admin.json("POST", "/api/v1/campaigns/%s/resume" % cid)["state"] == "running"
    operator = server.client(admin.json("POST", "/api/v1/tokens", {"role": "operator", "name": "ops"},
                                        status=201)["token"])
    assert operator.json("POST", "/api/v1/campaigns/%s/cancel" % cid)["state"] == "cancelled"
    admin.request("POST", "/api/v1/campaigns/%s/resume" % cid).problem(409, "conflict")
    # the audit log knows
    events = admin.json("GET", "/api/v1/events?campaign=" + cid)
    assert len(events) >= 3


def test_campaigns_bad_input(server, admin, workdir, keys):
    summary, _ = publish(admin, workdir, "campaign-bad", os.urandom(1000), 4, keys["author"])
    for body in (b"", b"[1]", b"{\"manifest\":", b"nonsense"):
        admin.request("POST", "/api/v1/campaigns", body=body).problem(400)
    wrong = [
        {}, {"manifest": 5, "tags": ["x"]}, {"manifest": summary["id"], "tags": "x"},
        {"manifest": summary["id"], "tags": ["x"], "waves": "all"},
        {"manifest": summary["id"], "tags": ["x"], "waves": [200]},
        {"manifest": summary["id"], "tags": ["x"], "max_failure_ratio": "high"},
        {"manifest": summary["id"], "devices": [1, 2]},
        {"manifest": "../../etc/passwd", "tags": ["x"]},
    ]
    for doc in wrong:
        response = admin.request("POST", "/api/v1/campaigns", body=json.dumps(doc).encode())
        assert response.status == 400, (doc, response)
    response = admin.request("POST", "/api/v1/campaigns", body=json.dumps(
        {"manifest": "0" * 64, "tags": ["x"]}).encode())
    assert response.status in (400, 404), response
    for bad in ("a%2Fb", ".x", "x" * 129):
        admin.request("GET", "/api/v1/campaigns/" + bad).problem(400, "invalid-argument")
        admin.request("POST", "/api/v1/campaigns/%s/pause" % bad).problem(400, "invalid-argument")
    for bad in TRAVERSALS:
        assert_not_traversed(admin.request("GET", "/api/v1/campaigns/" + bad))
        assert_not_traversed(admin.request("POST", "/api/v1/campaigns/%s/pause" % bad))
    for action in ("pause", "resume", "cancel"):
        admin.request("POST", "/api/v1/campaigns/c-0000000000000000/" + action).problem(404, "not-found")
    admin.request("GET", "/api/v1/campaigns/c-0000000000000000").problem(404, "not-found")
    admin.request("POST", "/api/v1/campaigns/c-0000000000000000/pause",
                  body=os.urandom(128 * 1024)).problem(413)
    assert_healthy(server)


# events


def test_events(server, admin, keys):
    register_device(admin, "dev-events", keys["device_pub"])
    events = admin.json("GET", "/api/v1/events?device=dev-events")
    assert events and all(json.dumps(e).find("dev-events") >= 0 for e in events)
    assert len(admin.json("GET", "/api/v1/events?limit=1")) == 1
    everything = admin.json("GET", "/api/v1/events?limit=10000")
    assert len(everything) >= 2
    for bad in ("since=-1", "since=abc", "limit=x", "limit=10001", "limit=-5", "since=99999999999999999999999"):
        admin.request("GET", "/api/v1/events?" + bad).problem(400, "invalid-argument")
    assert_healthy(server)


# tokens


def test_tokens(server, admin):
    created = admin.json("POST", "/api/v1/tokens", {"role": "viewer", "name": "dashboard"}, status=201)
    assert set(created) >= {"id", "role", "name", "token"}
    assert created["role"] == "viewer" and created["name"] == "dashboard"
    listed = admin.json("GET", "/api/v1/tokens")
    assert created["id"] in [t["id"] for t in listed]
    text = json.dumps(listed)
    assert created["token"] not in text and server.admin_token not in text
    viewer = server.client(created["token"])
    assert viewer.json("GET", "/api/v1/devices") is not None
    response = admin.request("DELETE", "/api/v1/tokens/" + created["id"])
    assert response.status == 204 and response.body == b""
    viewer.request("GET", "/api/v1/devices").problem(401)
    admin.request("DELETE", "/api/v1/tokens/" + created["id"]).problem(404, "not-found")


def test_tokens_bad_input(server, admin):
    for body in (b"", b"[]", b"{", b"{\"role\": \"admin\"", b"\"admin\""):
        admin.request("POST", "/api/v1/tokens", body=body).problem(400)
    for doc in ({}, {"role": "root", "name": "x"}, {"role": 1, "name": "x"}, {"role": "viewer", "name": 5},
                {"role": "viewer", "name": ""}, {"role": "viewer", "name": "x" * 65}, {"role": None, "name": "x"},
                {"role": ["admin"], "name": "x"}, {"role": "viewer"}):
        admin.request("POST", "/api/v1/tokens", body=json.dumps(doc).encode()).problem(400)
    for bad in ("a%2Fb", ".x", "x" * 200):
        admin.request("DELETE", "/api/v1/tokens/" + bad).problem(400, "invalid-argument")
    for bad in TRAVERSALS:
        assert_not_traversed(admin.request("DELETE", "/api/v1/tokens/" + bad))
    admin.request("DELETE", "/api/v1/tokens/ffffffffffffffff").problem(404, "not-found")
    assert_healthy(server)


# the device API


def test_device_api(server, admin, workdir, keys):
    device_token = register_device(admin, "dev-flow", keys["device_pub"], tags=["flow"])
    device = server.client(device_token)

    # nothing to do yet
    response = device.request("POST", "/device/v1/check-in", body=json.dumps(
        {"sequence_number": 1, "manifest": None}).encode(), content_type="application/json")
    assert response.status == 204 and response.body == b""

    summary, envelope = publish(admin, workdir, "flow-v7", os.urandom(4096), 7, keys["author"])
    campaign = admin.json("POST", "/api/v1/campaigns", {
        "manifest": summary["id"], "devices": ["dev-flow"], "waves": [100], "max_failure_ratio": 1.0},
        status=201)

    offer = device.json("POST", "/device/v1/check-in", {"sequence_number": 1, "manifest": None})
    assert offer["action"] == "install"
    assert offer["manifest"] == summary["id"]
    assert offer["manifest_url"] == "/device/v1/manifests/" + summary["id"]
    assert offer["campaign"] == campaign["id"]
    assert len(offer["nonce"]) == 32
    response = device.request("GET", offer["manifest_url"])
    assert response.status == 200 and response.body == envelope
    assert response.header("Content-Type") == "application/suit-envelope+cose"
    device.request("GET", "/device/v1/manifests/" + "0" * 64).problem(404, "not-found")
    device.request("GET", "/device/v1/manifests/..%2F..").problem(400, "invalid-argument")

    # a report signed with another key: 422, and it changes nothing
    forged = sign_report(keys["other_device"], summary["id"], offer["nonce"])
    device.request("POST", "/device/v1/reports", body=forged,
                   content_type="application/suit-report+cose").problem(422, "signature-invalid")
    # a report with a wrong nonce: 409
    stale = sign_report(keys["device"], summary["id"], "00" * 16)
    device.request("POST", "/device/v1/reports", body=stale).problem(409, "conflict")

    installed = sign_report(keys["device"], summary["id"], offer["nonce"])
    accepted = device.json("POST", "/device/v1/reports", installed, status=202)
    assert accepted["state"] == "installed"
    assert accepted["nonce"] and accepted["nonce"] != offer["nonce"]
    # the same report again is a replay
    device.request("POST", "/device/v1/reports", body=installed).problem(409, "conflict")

    # after the reboot: confirm
    confirm = device.json("POST", "/device/v1/check-in", {"sequence_number": 1, "manifest": None})
    assert confirm["action"] == "confirm" and confirm["nonce"] == accepted["nonce"]
    done = device.json("POST", "/device/v1/reports",
                       sign_report(keys["device"], summary["id"], confirm["nonce"]), status=202)
    assert done["state"] == "succeeded"
    state = admin.json("GET", "/api/v1/devices/dev-flow")
    assert state["state"] == "succeeded"
    assert state["installed_manifest"] == summary["id"] and state["sequence_number"] == 7

    # no open assignment now
    response = device.request("POST", "/device/v1/check-in", body=json.dumps(
        {"sequence_number": 7, "manifest": summary["id"]}).encode())
    assert response.status == 204
    device.request("POST", "/device/v1/reports",
                   body=sign_report(keys["device"], summary["id"], confirm["nonce"])).problem(409)


def test_device_api_bad_input(server, admin, keys, fleet):
    device = server.client(fleet["device_token"])
    for body in (b"", b"[]", b"{", b"null", b"\xff", b"{\"sequence_number\": \"one\"}",
                 b"{\"manifest\": 5}", b"{\"manifest\": \"../../x\"}", b"{\"sequence_number\": -1}"):
        device.request("POST", "/device/v1/check-in", body=body).problem(400)
    device.request("POST", "/device/v1/check-in", body=b"{\"a\": \"" + b"x" * MiB + b"\"}").problem(413)
    # reports: empty, not CBOR, not COSE, too large
    for body in (b"", b"not cbor", b"\xa0", b"\xd2\x84\x40\xa0\xf6\x40", os.urandom(1000)):
        response = device.request("POST", "/device/v1/reports", body=body)
        assert response.status in (400, 409, 422), response
        response.problem(response.status)
    device.request("POST", "/device/v1/reports", body=os.urandom(64 * 1024 + 1)).problem(413, "limit-exceeded")
    device.request("POST", "/device/v1/reports", body=(os.urandom(16384) for _ in range(5)),
                   encode_chunked=True, headers={"Transfer-Encoding": "chunked"}).problem(413)
    # a well-signed report without any open assignment
    device.request("POST", "/device/v1/reports",
                   body=sign_report(keys["device"], fleet["manifest"]["id"], "11" * 16)).problem(409)
    # the other device's key cannot speak for dev-a
    assert device.request("POST", "/device/v1/reports", body=sign_report(
        keys["other_device"], fleet["manifest"]["id"], "11" * 16)).status in (409, 422)
    assert_healthy(server)


def test_server_survives_everything(server):
    assert_healthy(server)
    # no temporary upload file leaked by any test of this module
    tmp = server.data_dir / "files" / "tmp"
    assert [p.name for p in tmp.iterdir()] == []


def raw_exchange(port, request, timeout=10):
    """sends raw bytes, returns the status line and headers of the answer"""
    import socket
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(request)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
    return data.split(b"\r\n\r\n", 1)[0].decode("latin-1")


def test_refused_before_the_body(server):
    """with Expect: 100-continue, a refusal comes before any body byte is sent"""
    for path, token, status in (("/api/v1/payloads", server.admin_token, b"413"),
                                ("/api/v1/payloads", "", b"401"),
                                ("/api/v1/manifests", server.admin_token, b"413"),
                                ("/device/v1/reports", "f" * 64, b"401")):
        request = ("POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: %d\r\n"
                   "Expect: 100-continue\r\n%s\r\n" % (
                       path, 50 * MiB, "Authorization: Bearer %s\r\n" % token if token else "")).encode()
        head = raw_exchange(server.port, request)
        assert head.startswith("HTTP/1.1 " + status.decode()), head
    # without a limit problem the client is told to go on
    request = ("POST /api/v1/payloads HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n"
               "Expect: 100-continue\r\nAuthorization: Bearer %s\r\n\r\n" % server.admin_token).encode()
    assert raw_exchange(server.port, request).startswith("HTTP/1.1 100")
    assert_healthy(server)


def test_every_route_rejects_garbage(server, fleet):
    """each route of the table, with each kind of token, gets garbage bodies
    and malformed ids: always a 4xx problem (or a success), never a 5xx"""
    import subprocess
    from conftest import SUIT_SERVER
    routes = subprocess.run([SUIT_SERVER, "--list-routes"], capture_output=True, text=True,
                            check=True).stdout.split("\n")
    tokens = ["", server.admin_token, fleet["tokens"]["viewer"], fleet["device_token"], "0" * 64]
    bodies = [b"\x00\xff" * 100, b"{\"a\":" * 40, b"[]", b"{\"id\":[]}", b"\xd2\x84" + os.urandom(60)]
    params = ["%00", "%2F", "x" * 300, "%ff%fe", "-", "0" * 64]
    client = server.client(token="")
    for line in filter(None, routes):
        method, pattern = line.split(" ")
        for param in params:
            path = pattern
            for name in ("{digest}", "{manifest}", "{device}", "{campaign}", "{token}"):
                path = path.replace(name, param)
            for token in tokens:
                for body in (bodies if method == "POST" else [None]):
                    response = client.request(method, path, body=body, token=token)
                    if response.status >= 300 and method != "HEAD":
                        response.problem(response.status)
                        assert 400 <= response.status < 500, (method, path, response)
            if path == pattern:
                break
    assert_healthy(server)


def test_refused_body_is_not_drained_forever(server):
    """a client that ignores the refusal and keeps sending is cut off after
    SUIT_REST_MAX_DISCARD (64 MiB), not read to the end of its 1 GiB"""
    import socket
    sent = 0
    chunk = b"\0" * MiB
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(("POST /api/v1/payloads HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: %d\r\n"
                      "Authorization: Bearer %s\r\n\r\n" % (1024 * MiB, server.admin_token)).encode())
        with pytest.raises(OSError):
            while sent < 1024 * MiB:
                sock.sendall(chunk)
                sent += len(chunk)
    assert 64 * MiB <= sent < 512 * MiB, sent
    assert_healthy(server)
