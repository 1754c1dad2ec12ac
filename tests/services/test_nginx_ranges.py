"""Range requests against suit-server and against nginx serving the same
file, side by side: for each request the two answers must agree on the
status, the range headers and the bytes (ARCHITECTURE.md §6: payloads are
served like a static file server serves them). nginx (nginx-light) comes
from scripts/install-deps.sh; without it the test is skipped with a reason.

Validators differ by design (suit-server's ETag is the SHA-256, nginx's is
mtime-size), so If-Range and If-None-Match use each server's own ETag and
Last-Modified."""
import email.parser
import email.policy
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import time

import pytest

from conftest import upload_payload

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
SIZE = 100003

pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is not installed (apt: nginx-light)")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def both(server, tmp_path_factory):
    """(suit-server client, nginx client, digest, data) for one payload"""
    data = os.urandom(SIZE)
    digest = upload_payload(server.client(), data)
    work = tmp_path_factory.mktemp("nginx")
    root = work / "root"
    (root / "payloads").mkdir(parents=True)
    (root / "payloads" / digest).write_bytes(data)
    os.chmod(work, 0o755)
    port = free_port()
    user = "root" if os.geteuid() == 0 else None
    conf = work / "nginx.conf"
    conf.write_text("""
%(user)s
worker_processes 1;
daemon off;
pid %(work)s/nginx.pid;
error_log %(work)s/error.log;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path %(work)s/body;
  proxy_temp_path %(work)s/proxy;
  fastcgi_temp_path %(work)s/fastcgi;
  uwsgi_temp_path %(work)s/uwsgi;
  scgi_temp_path %(work)s/scgi;
  server {
    listen 127.0.0.1:%(port)d;
    location /payloads/ { root %(root)s; default_type application/octet-stream; }
  }
}
""" % {"user": "user root;" if user else "", "work": work, "port": port, "root": root})
    proc = subprocess.Popen([NGINX, "-c", str(conf), "-e", str(work / "error.log")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert proc.poll() is None, (work / "error.log").read_text()
                time.sleep(0.05)
        nginx = type(server.client(token=""))(port, token="")
        yield server.client(token=""), nginx, digest, data
    finally:
        proc.send_signal(signal.SIGQUIT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def parts(response):
    """the (Content-Range, bytes) of a multipart/byteranges answer"""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + response.header("Content-Type").encode() + b"\r\n\r\n" + response.body)
    return [(p["Content-Range"], p.get_payload(decode=True)) for p in message.iter_parts()]


def compare(ours, theirs, method="GET"):
    assert ours.status == theirs.status, (ours.status, theirs.status)
    # nginx announces ranges on full answers only; suit-server on all
    # (RFC 9110 §14.3 allows both), so compare it where nginx sends it
    if theirs.header("Accept-Ranges") is not None:
        assert ours.header("Accept-Ranges") == theirs.header("Accept-Ranges")
    if ours.status in (206, 416):
        assert ours.header("Content-Range") == theirs.header("Content-Range")
    ctype = ours.header("Content-Type") or ""
    if ctype.startswith("multipart/byteranges"):
        assert (theirs.header("Content-Type") or "").startswith("multipart/byteranges")
        assert parts(ours) == parts(theirs)
    elif method != "HEAD" and ours.status != 416:
        assert ours.body == theirs.body
    if ours.status != 416 and not ctype.startswith("multipart/"):
        assert ours.header("Content-Length") == theirs.header("Content-Length")


RANGES = [
    "bytes=0-0", "bytes=0-99", "bytes=100-", "bytes=-100", "bytes=-1",
    "bytes=%d-" % (SIZE - 1), "bytes=%d-%d" % (SIZE - 10, SIZE + 5000),  # clamped
    "bytes=-%d" % (SIZE * 3),                                          # suffix larger than the file
    "bytes=0-%d" % (SIZE - 1),                                          # the whole file
    "bytes=0-9,20-29", "bytes=0-9,-10", "bytes=500-599,0-9",            # several ranges
    "bytes=%d-" % SIZE, "bytes=%d-%d" % (SIZE + 1, SIZE + 9),           # unsatisfiable: 416
    "bytes=5-1",                                                        # invalid: whole file
    "bytes=abc", "bytes=", "items=0-9", "bytes=0-9,",                   # not a byte range: whole file
    "bytes=0-9,%d-%d" % (SIZE, SIZE + 1),                               # one satisfiable of two
    "Bytes=3-4 ", "bytes= 3 - 4", "bytes = 3-4", "bytes 0-1",           # case and whitespace
    "bytes=1-2-3", "bytes=-", "bytes=0-1;x", "bytes=--1", "bytes=0x10-20", "bytes=0-9,,20-29",
    "bytes=5-99999999999999999999999", "bytes=99999999999999999999999-",  # huge positions
    "bytes=0-,0-",                                                      # more than the file: whole file
]


@pytest.mark.parametrize("spec", RANGES)
def test_range_like_nginx(both, spec):
    ours, nginx, digest, _ = both
    path = "/payloads/" + digest
    compare(ours.request("GET", path, headers={"Range": spec}),
            nginx.request("GET", path, headers={"Range": spec}))


def test_plain_and_head_like_nginx(both):
    ours, nginx, digest, data = both
    path = "/payloads/" + digest
    a, b = ours.request("GET", path), nginx.request("GET", path)
    compare(a, b)
    assert a.body == data
    compare(ours.request("HEAD", path), nginx.request("HEAD", path), "HEAD")
    compare(ours.request("HEAD", path, headers={"Range": "bytes=0-9"}),
            nginx.request("HEAD", path, headers={"Range": "bytes=0-9"}), "HEAD")


def test_if_range_like_nginx(both):
    ours, nginx, digest, _ = both
    path = "/payloads/" + digest
    ours_etag = ours.request("HEAD", path).header("ETag")
    nginx_head = nginx.request("HEAD", path)
    nginx_etag = nginx_head.header("ETag")
    ours_date = ours.request("HEAD", path).header("Last-Modified")
    nginx_date = nginx_head.header("Last-Modified")
    cases = [
        ({"Range": "bytes=0-9", "If-Range": ours_etag}, {"Range": "bytes=0-9", "If-Range": nginx_etag}),
        ({"Range": "bytes=0-9", "If-Range": '"other"'}, {"Range": "bytes=0-9", "If-Range": '"other"'}),
        ({"Range": "bytes=0-9", "If-Range": ours_date}, {"Range": "bytes=0-9", "If-Range": nginx_date}),
        ({"Range": "bytes=0-9", "If-Range": "Mon, 01 Jan 2001 00:00:00 GMT"},
         {"Range": "bytes=0-9", "If-Range": "Mon, 01 Jan 2001 00:00:00 GMT"}),
        ({"Range": "bytes=%d-" % SIZE, "If-Range": '"other"'}, {"Range": "bytes=%d-" % SIZE, "If-Range": '"other"'}),
    ]
    for mine, theirs in cases:
        compare(ours.request("GET", path, headers=mine), nginx.request("GET", path, headers=theirs))
    # a matching If-None-Match is 304 on both
    assert ours.request("GET", path, headers={"If-None-Match": ours_etag}).status == 304
    assert nginx.request("GET", path, headers={"If-None-Match": nginx_etag}).status == 304
