"""GET|HEAD /payloads/{digest}: content-addressed downloads with the caching
headers and the Range behaviour of nginx (RFC 9110 §13-14), checked with
http.client and, when it is installed, curl."""
import email.parser
import email.policy
import hashlib
import os
import shutil
import subprocess

import pytest

from conftest import upload_payload

SIZE = 200003  # not a round number, so clamping shows


@pytest.fixture(scope="module")
def payload(server):
    data = os.urandom(SIZE)
    digest = upload_payload(server.client(), data)
    return data, digest


@pytest.fixture
def public(server):
    return server.client(token="")


def get(public, digest, headers=None, method="GET"):
    return public.request(method, "/payloads/" + digest, headers=headers or {})


def assert_cache_headers(response, digest):
    assert response.header("ETag") == '"%s"' % digest
    assert response.header("Cache-Control") == "public, max-age=31536000, immutable"
    assert response.header("Accept-Ranges") == "bytes"
    assert response.header("Last-Modified").endswith(" GMT")


def assert_partial(response, data, start, end):
    assert response.status == 206, response
    assert response.header("Content-Range") == "bytes %d-%d/%d" % (start, end, len(data))
    assert response.header("Content-Type") == "application/octet-stream"
    assert int(response.header("Content-Length")) == end - start + 1
    assert response.body == data[start:end + 1]


def assert_full(response, data):
    assert response.status == 200, response
    assert response.header("Content-Range") is None
    assert int(response.header("Content-Length")) == len(data)
    assert response.body == data


def parse_multipart(response):
    content_type = response.header("Content-Type")
    assert content_type.startswith("multipart/byteranges; boundary="), content_type
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + response.body)
    assert message.is_multipart()
    parts = []
    for part in message.iter_parts():
        assert part.get_content_type() == "application/octet-stream"
        parts.append((part["Content-Range"], part.get_payload(decode=True)))
    return parts


def test_full_download(public, payload):
    data, digest = payload
    response = get(public, digest)
    assert_full(response, data)
    assert_cache_headers(response, digest)
    assert response.header("Content-Type") == "application/octet-stream"
    assert hashlib.sha256(response.body).hexdigest() == digest


def test_head(public, payload):
    data, digest = payload
    response = get(public, digest, method="HEAD")
    assert response.status == 200
    assert response.body == b""
    assert int(response.header("Content-Length")) == len(data)
    assert_cache_headers(response, digest)
    response = get(public, digest, {"Range": "bytes=10-19"}, method="HEAD")
    assert response.status == 206 and response.body == b""
    assert response.header("Content-Range") == "bytes 10-19/%d" % len(data)
    assert response.header("Content-Length") == "10"


def test_single_ranges(public, payload):
    data, digest = payload
    n = len(data)
    assert_partial(get(public, digest, {"Range": "bytes=0-99"}), data, 0, 99)
    assert_partial(get(public, digest, {"Range": "bytes=0-0"}), data, 0, 0)
    assert_partial(get(public, digest, {"Range": "bytes=1000-1999"}), data, 1000, 1999)
    # suffix
    assert_partial(get(public, digest, {"Range": "bytes=-100"}), data, n - 100, n - 1)
    assert_partial(get(public, digest, {"Range": "bytes=-%d" % (n * 2)}), data, 0, n - 1)
    # open
    assert_partial(get(public, digest, {"Range": "bytes=%d-" % (n - 10)}), data, n - 10, n - 1)
    assert_partial(get(public, digest, {"Range": "bytes=0-"}), data, 0, n - 1)
    # past the end: clamped
    assert_partial(get(public, digest, {"Range": "bytes=%d-%d" % (n - 5, n + 1000)}), data, n - 5, n - 1)
    # positions beyond 64 bits are refused, as nginx does
    get(public, digest, {"Range": "bytes=5-99999999999999999999999"}).problem(416)
    # the unit in any case, whitespace around the positions (as nginx)
    assert_partial(get(public, digest, {"Range": "Bytes=3-4 "}), data, 3, 4)
    assert_partial(get(public, digest, {"Range": "bytes= 3 - 4"}), data, 3, 4)
    # one satisfiable range among unsatisfiable ones
    assert_partial(get(public, digest, {"Range": "bytes=%d-,7-8" % (n + 5)}), data, 7, 8)


def test_multiple_ranges(public, payload):
    data, digest = payload
    n = len(data)
    response = get(public, digest, {"Range": "bytes=0-9,100-199,-50"})
    assert response.status == 206
    assert response.header("Content-Range") is None
    assert int(response.header("Content-Length")) == len(response.body)
    parts = parse_multipart(response)
    assert parts == [
        ("bytes 0-9/%d" % n, data[0:10]),
        ("bytes 100-199/%d" % n, data[100:200]),
        ("bytes %d-%d/%d" % (n - 50, n - 1, n), data[n - 50:]),
    ]
    # HEAD gives the same length without the body
    head = get(public, digest, {"Range": "bytes=0-9,100-199,-50"}, method="HEAD")
    assert head.status == 206 and head.body == b""
    assert head.header("Content-Length") == response.header("Content-Length")


def test_unsatisfiable(public, payload):
    data, digest = payload
    n = len(data)
    for value in ("bytes=%d-" % n, "bytes=%d-%d" % (n + 10, n + 20), "bytes=-0", "bytes=%d-,%d-" % (n, n + 1)):
        response = get(public, digest, {"Range": value})
        response.problem(416)
        assert response.header("Content-Range") == "bytes */%d" % n, value


def test_invalid_range_is_ignored(public, payload):
    data, digest = payload
    # not a byte range at all: the whole file (as nginx)
    for value in ("items=0-1", "bytes=", "bytes 0-1", "bytes = 3-4"):
        assert_full(get(public, digest, {"Range": value}), data)
    # a byte range with a syntax error: nothing of it can be served (as nginx)
    for value in ("bytes=abc", "bytes=5-1", "bytes=1-2-3", "bytes=-", "bytes=0-1;x", "bytes=--1",
                  "bytes=0x10-20", "bytes=0-9,", "bytes=0-9,,20-29"):
        response = get(public, digest, {"Range": value})
        response.problem(416)
        assert response.header("Content-Range") == "bytes */%d" % len(data)
    # several ranges adding up to more than the file (nginx's rule): the whole file
    assert_full(get(public, digest, {"Range": "bytes=0-,0-"}), data)


def test_if_range(public, payload):
    data, digest = payload
    etag = '"%s"' % digest
    last_modified = get(public, digest, method="HEAD").header("Last-Modified")
    assert_partial(get(public, digest, {"Range": "bytes=0-9", "If-Range": etag}), data, 0, 9)
    assert_partial(get(public, digest, {"Range": "bytes=0-9", "If-Range": last_modified}), data, 0, 9)
    for value in ('"0000"', "W/" + etag, "Thu, 01 Jan 1970 00:00:00 GMT", "yesterday"):
        assert_full(get(public, digest, {"Range": "bytes=0-9", "If-Range": value}), data)


def test_if_none_match(public, payload):
    data, digest = payload
    etag = '"%s"' % digest
    for value in (etag, "W/" + etag, '"other", ' + etag, "*"):
        response = get(public, digest, {"If-None-Match": value})
        assert response.status == 304, value
        assert response.body == b""
        assert_cache_headers(response, digest)
    assert_full(get(public, digest, {"If-None-Match": '"other"'}), data)
    # If-Modified-Since, without If-None-Match
    last_modified = get(public, digest, method="HEAD").header("Last-Modified")
    assert get(public, digest, {"If-Modified-Since": last_modified}).status == 304
    assert_full(get(public, digest, {"If-Modified-Since": "Thu, 01 Jan 1970 00:00:00 GMT"}), data)


def test_unknown_and_bad_digests(public, payload):
    public.request("GET", "/payloads/" + "f" * 64).problem(404, "not-found")
    public.request("GET", "/payloads/" + "z" * 64).problem(400, "invalid-argument")
    response = public.request("POST", "/payloads/" + "f" * 64, body=b"x")
    response.problem(405)
    assert public.healthy()


def test_empty_payload(server, public):
    digest = upload_payload(server.client(), b"")
    response = get(public, digest)
    assert response.status == 200 and response.body == b""
    assert response.header("Content-Length") == "0"
    response = get(public, digest, {"Range": "bytes=0-"})
    response.problem(416)
    assert response.header("Content-Range") == "bytes */0"


def test_keepalive(server, public):
    """several downloads on one connection, whole and partial"""
    data = os.urandom(900 * 1024)  # the module's server takes uploads up to 1 MiB
    digest = upload_payload(server.client(), data)
    conn = public.connect()
    try:
        for headers, status, expected in (({}, 200, data), ({"Range": "bytes=1-2"}, 206, data[1:3]),
                                          ({"Range": "bytes=-1"}, 206, data[-1:]), ({}, 200, data)):
            conn.request("GET", "/payloads/" + digest, headers=headers)
            response = conn.getresponse()
            assert response.status == status
            assert response.read() == expected
    finally:
        conn.close()


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_with_curl(server, payload, tmp_path):
    data, digest = payload
    url = "http://127.0.0.1:%d/payloads/%s" % (server.port, digest)
    env = dict(os.environ, no_proxy="127.0.0.1", NO_PROXY="127.0.0.1")
    for name in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        env.pop(name, None)

    def curl(*args):
        proc = subprocess.run(["curl", "-sS", "--fail-with-body"] + list(args), capture_output=True, env=env,
                              timeout=60)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    out = tmp_path / "download.bin"
    curl("-o", str(out), url)
    assert out.read_bytes() == data
    assert curl("-r", "100-199", url) == data[100:200]
    assert curl("-r", "-10", url) == data[-10:]
    # resume a cut download, as a device would
    part = tmp_path / "part.bin"
    part.write_bytes(data[:12345])
    curl("-C", "-", "-o", str(part), url)
    assert part.read_bytes() == data
    headers = curl("-I", url).decode()
    assert "HTTP/1.1 200" in headers and "Accept-Ranges: bytes" in headers
    assert "Content-Length: %d" % len(data) in headers
