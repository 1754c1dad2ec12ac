"""The fast path of suit-server (services/suit-server/suit-rest-fast.c): the
worker threads answer POST /device/v1/check-in and GET|HEAD /payloads/{digest}
themselves and hand everything else, with the exact bytes the client sent, to
libsoup. Checked here over raw sockets: the fast answers are those of
libsoup (the same request with a query, which the fast path refuses, or a
server started with --no-fast-path), pipelined and split requests, the
handoff of every error answer with keep-alive after it, request smuggling
shapes framed as libsoup frames them, Connection: close, idle and slow
clients, file descriptors and metrics, and a large slow download."""
import collections
import email.parser
import email.policy
import hashlib
import os
import random
import re
import select
import socket
import struct
import time
import urllib.request

import pytest

from conftest import Response, Server, publish, register_device, upload_payload

SIZE = 200003  # not a round number, so clamping shows
PAYLOAD = random.Random(20261205).randbytes(SIZE)
DIGEST = hashlib.sha256(PAYLOAD).hexdigest()
BIG = 8 * 1024 * 1024
CHECK_IN = b'{"sequence_number": 1, "manifest": null}'


# raw HTTP ---------------------------------------------------------------------


def request(method, path, headers=(), body=b"", host=True, version="HTTP/1.1", eol="\r\n"):
    lines = ["%s %s %s" % (method, path, version)]
    if host:
        lines.append("Host: 127.0.0.1")
    lines += list(headers)
    return (eol.join(lines) + eol + eol).encode("latin-1") + body


def check_in(token, body=CHECK_IN, path="/device/v1/check-in", headers=()):
    return request("POST", path, ["Authorization: Bearer " + token, "Content-Type: application/json",
                                  "Content-Length: %d" % len(body)] + list(headers), body)


def payload(digest=DIGEST, headers=(), method="GET", query=""):
    return request(method, "/payloads/" + digest + query, headers)


HEALTH = request("GET", "/api/v1/health")
LAST = request("GET", "/api/v1/health", ["Connection: close"])


class Reader:
    """HTTP/1.1 answers, one after the other, from a socket"""

    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def _more(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise EOFError("the server closed; unparsed: %r" % self.buf[:300])
        self.buf += chunk

    def _take(self, n):
        while len(self.buf) < n:
            self._more()
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def _line(self):
        while b"\r\n" not in self.buf:
            self._more()
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def response(self, head=False):
        """the next answer (a 1xx too); head: the answer to a HEAD"""
        while b"\r\n\r\n" not in self.buf:
            self._more()
        raw, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = raw.split(b"\r\n")
        status_line = lines[0].decode("latin-1")
        assert re.fullmatch(r"HTTP/1\.[01] \d{3} .*", status_line), status_line
        status = int(status_line[9:12])
        headers = []
        for line in lines[1:]:
            name, sep, value = line.decode("latin-1").partition(":")
            assert sep and name == name.strip(), "bad header line %r" % line
            headers.append((name, value.strip()))
        answer = Response(status, headers, b"")
        answer.raw_head = raw
        if head or status in (204, 304) or status < 200:
            return answer
        if (answer.header("Transfer-Encoding") or "").lower() == "chunked":
            body = b""
            while True:
                size = int(self._line().split(b";")[0], 16)
                if size == 0:
                    while self._line():
                        pass
                    break
                body += self._take(size)
                assert self._take(2) == b"\r\n"
            answer.body = body
        elif answer.header("Content-Length") is not None:
            answer.body = self._take(int(answer.header("Content-Length")))
        else:
            try:
                while True:
                    self._more()
            except EOFError:
                pass
            answer.body, self.buf = self.buf, b""
        return answer

    def closed(self, timeout=5):
        """True if the server closes (or resets) the connection within timeout,
        with nothing more sent"""
        self.sock.settimeout(timeout)
        try:
            data = self.sock.recv(1)
        except ConnectionResetError:
            return True
        except socket.timeout:
            return False
        assert data == b"" and self.buf == b"", "unexpected bytes %r" % (self.buf + data)
        return True


def connect(port, timeout=10, rcvbuf=None):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    sock.settimeout(timeout)
    sock.connect(("127.0.0.1", port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def one(port, data, head=False):
    """one request on a new connection, one answer"""
    with connect(port) as sock:
        sock.sendall(data)
        return Reader(sock).response(head=head)


def exchange(port, data, timeout=5):
    """sends data and half-closes; the statuses of every answer until the
    server closes"""
    codes = []
    with connect(port, timeout=timeout) as sock:
        try:
            sock.sendall(data)
            sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # answered and closed before it read everything
        reader = Reader(sock)
        try:
            while True:
                codes.append(reader.response().status)
        except (EOFError, OSError):
            pass
    return codes


def reset(sock):
    """closes with a reset (SO_LINGER 0)"""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def comparable(response):
    """the header multiset without Date and Connection, and the body"""
    headers = sorted((name.lower(), value) for name, value in response.headers
                     if name.lower() not in ("date", "connection"))
    return response.status, headers, response.body


def assert_same(fast, slow, what):
    assert comparable(fast) == comparable(slow), "%s:\nfast path: %r\n%r\nlibsoup:   %r\n%r" % (
        what, fast.raw_head, fast.body[:200], slow.raw_head, slow.body[:200])


def assert_problem(response, status, title=None):
    assert response.status == status, "expected %d, got %r %r" % (status, response.raw_head, response.body[:300])
    response.problem(status, title)


def assert_alive(srv):
    assert one(srv.port, HEALTH).status == 200, srv.output()[-3000:]


def metrics(srv):
    with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(
            "http://127.0.0.1:%d/metrics" % srv.port, timeout=10) as answer:
        text = answer.read().decode()
    counts = collections.Counter()
    for line in text.splitlines():
        m = re.fullmatch(r'suit_http_requests_total\{method="(\w+)",route="([^"]*)",status="(\d+)"\} (\d+)', line)
        if m:
            counts[(m.group(1), m.group(2), int(m.group(3)))] = int(m.group(4))
    return counts


def open_fds(srv):
    return len(os.listdir("/proc/%d/fd" % srv.proc.pid))


# servers ----------------------------------------------------------------------


def populate(srv, workdir, keys, name):
    """the same data on every server: PAYLOAD, a campaign for device fp-offer,
    and fp-idle with nothing to do"""
    admin = srv.client()
    summary, _ = publish(admin, workdir, name + "-v1", PAYLOAD, 1, keys["author"])
    offer_token = register_device(admin, "fp-offer", keys["device_pub"], tags=["fp-offer"])
    idle_token = register_device(admin, "fp-idle", keys["device_pub"], tags=["fp-idle"])
    admin.json("POST", "/api/v1/campaigns", {"manifest": summary["id"], "devices": ["fp-offer"],
                                             "waves": [100], "max_failure_ratio": 1.0}, status=201)
    srv.offer_token = offer_token
    srv.idle_token = idle_token
    srv.manifest = summary["id"]
    return srv


@pytest.fixture(scope="module")
def fast(workdir, keys):
    srv = Server(workdir / "fast", trust=[keys["author_pub"]], extra=["--max-payload-size", "16M"]).start()
    try:
        yield populate(srv, workdir, keys, "fast")
    finally:
        srv.stop()


@pytest.fixture(scope="module")
def slow(workdir, keys):
    """libsoup for everything"""
    srv = Server(workdir / "slow", trust=[keys["author_pub"]], extra=["--no-fast-path"]).start()
    try:
        yield populate(srv, workdir, keys, "slow")
    finally:
        srv.stop()


# 1. the fast answers are libsoup's ---------------------------------------------

RANGES = ["bytes=0-0", "bytes=10-19", "bytes=-5", "bytes=5-", "bytes=100-99999999", "items=1-2",
          "bytes=0-", "Bytes= 3 - 4"]


def test_equivalence(fast):
    cases = [("GET", DIGEST, []), ("HEAD", DIGEST, []), ("GET", DIGEST.upper(), []),
             ("HEAD", DIGEST.upper(), ["Range: bytes=1-2"])]
    cases += [("GET", DIGEST, ["Range: " + value]) for value in RANGES]
    cases += [("HEAD", DIGEST, ["Range: " + value]) for value in RANGES[:3]]
    for method, digest, headers in cases:
        head = method == "HEAD"
        what = "%s /payloads/%s %r" % (method, digest[:8], headers)
        with connect(fast.port) as sock:
            reader = Reader(sock)
            # keep-alive: the fast answer, then libsoup's on the same connection
            # (the query makes it libsoup's), then the fast one with close
            sock.sendall(payload(digest, headers, method))
            quick = reader.response(head=head)
            sock.sendall(payload(digest, headers, method, query="?x=1"))
            soup = reader.response(head=head)
            assert_same(quick, soup, what)
        # with Connection: close, only the fast path says so: proof it answered
        with connect(fast.port) as sock:
            reader = Reader(sock)
            sock.sendall(payload(digest, headers + ["Connection: close"], method))
            closing = reader.response(head=head)
            assert closing.header("Connection") == "close", what
            assert reader.closed()
        assert_same(closing, quick, what)
        # and what the answer is
        value = headers[0].split(": ", 1)[1] if headers else None
        assert quick.header("ETag") == '"%s"' % DIGEST
        assert quick.header("Content-Type") == "application/octet-stream"
        if value is None or value == "items=1-2":
            assert quick.status == 200 and quick.header("Content-Length") == str(SIZE), what
            assert quick.body == (b"" if head else PAYLOAD)
        else:
            assert quick.status == 206, what
            m = re.fullmatch(r"bytes (\d+)-(\d+)/%d" % SIZE, quick.header("Content-Range"))
            start, end = int(m.group(1)), int(m.group(2))
            assert quick.header("Content-Length") == str(end - start + 1)
            assert quick.body == (b"" if head else PAYLOAD[start:end + 1])
    # the values of some, explicitly
    for value, (start, end) in (("bytes=-5", (SIZE - 5, SIZE - 1)), ("bytes=5-", (5, SIZE - 1)),
                                ("bytes=100-99999999", (100, SIZE - 1)), ("bytes=0-0", (0, 0))):
        answer = one(fast.port, payload(headers=["Range: " + value, "Connection: close"]))
        assert answer.header("Connection") == "close"
        assert answer.status == 206 and answer.header("Content-Range") == "bytes %d-%d/%d" % (start, end, SIZE)
        assert answer.body == PAYLOAD[start:end + 1]


def test_equivalence_check_in(fast):
    for token, status in ((fast.offer_token, 200), (fast.idle_token, 204)):
        for body in (CHECK_IN, b'{"sequence_number":1,"manifest":null}',
                     b'{"sequence_number": null, "manifest": "%s"}' % fast.manifest.encode()):
            quick = one(fast.port, check_in(token, body, headers=["Connection: close"]))
            assert quick.status == status, quick.raw_head
            assert quick.header("Connection") == "close"
            soup = one(fast.port, check_in(token, body, path="/device/v1/check-in?x=1"))
            assert soup.header("Connection") is None
            assert_same(quick, soup, "check-in %r" % body)
            again = one(fast.port, check_in(token, body))
            assert_same(again, quick, "check-in %r" % body)
    offer = one(fast.port, check_in(fast.offer_token)).json()
    assert offer["action"] == "install" and offer["manifest"] == fast.manifest
    assert offer["manifest_url"] == "/device/v1/manifests/" + fast.manifest
    assert re.fullmatch(r"c-[0-9a-f]{16}", offer["campaign"]) and re.fullmatch(r"[0-9a-f]{32}", offer["nonce"])
    assert one(fast.port, check_in(fast.idle_token)).body == b""


def test_equivalence_with_no_fast_path(fast, slow):
    """the same requests to a server without the fast path: the same answers
    but for what differs between the two servers (ids, nonces, dates)"""
    for data in (payload(), payload(method="HEAD"), payload(headers=["Range: bytes=10-19"]),
                 payload(DIGEST.upper(), ["Range: bytes=-5"])):
        head = data.startswith(b"HEAD")
        quick, soup = one(fast.port, data, head), one(slow.port, data, head)
        quick.headers = [(k, v) for k, v in quick.headers if k != "Last-Modified"]
        soup.headers = [(k, v) for k, v in soup.headers if k != "Last-Modified"]
        assert_same(quick, soup, data[:60])
    quick = one(fast.port, check_in(fast.offer_token))
    soup = one(slow.port, check_in(slow.offer_token))
    assert quick.status == soup.status == 200
    assert sorted(k.lower() for k, _ in quick.headers) == sorted(k.lower() for k, _ in soup.headers)
    assert quick.header("Content-Type") == soup.header("Content-Type") == "application/json"
    assert quick.header("Content-Length") == soup.header("Content-Length") == str(len(quick.body))
    assert list(quick.json()) == list(soup.json()) == ["action", "manifest", "manifest_url", "campaign", "nonce"]
    quick = one(fast.port, check_in(fast.idle_token))
    soup = one(slow.port, check_in(slow.idle_token))
    assert comparable(quick) == comparable(soup)


# 2. pipelining, handoff and split requests -------------------------------------


def test_pipelined_handoff(fast):
    """fast, libsoup's, fast again: in one send(), on one connection, which
    is libsoup's from the second request on"""
    with connect(fast.port) as sock:
        reader = Reader(sock)
        sock.sendall(payload(headers=["Range: bytes=0-9"]) + HEALTH + check_in(fast.offer_token)
                     + payload(headers=["Range: bytes=-3"], method="HEAD") + payload(DIGEST.upper()))
        first = reader.response()
        assert first.status == 206 and first.body == PAYLOAD[:10]
        health = reader.response()
        assert health.status == 200 and health.json() == {"status": "ok"}
        offer = reader.response()
        assert offer.status == 200 and offer.json()["action"] == "install"
        head = reader.response(head=True)
        assert head.status == 206 and head.header("Content-Range") == "bytes %d-%d/%d" % (SIZE - 3, SIZE - 1, SIZE)
        whole = reader.response()
        assert whole.status == 200 and whole.body == PAYLOAD
        # the connection lives on (with libsoup), request by request
        for i in range(3):
            sock.sendall(payload(headers=["Range: bytes=%d-%d" % (i, i + 6)]))
            assert reader.response().body == PAYLOAD[i:i + 7]
            sock.sendall(HEALTH)
            assert reader.response().status == 200
        assert reader.buf == b""
        assert not reader.closed(timeout=0.2)


def test_pipelined_check_ins(fast):
    with connect(fast.port) as sock:
        reader = Reader(sock)
        # in one send(), all of them fast (the last one's close proves it)
        sock.sendall(b"".join(check_in(fast.idle_token) for _ in range(20))
                     + b"".join(payload(headers=["Range: bytes=%d-%d" % (i, i)]) for i in range(5))
                     + check_in(fast.offer_token, headers=["Connection: close"])
                     + HEALTH)  # after a close: never answered
        for _ in range(20):
            answer = reader.response()
            assert answer.status == 204 and answer.header("Connection") is None
        for i in range(5):
            answer = reader.response()
            assert answer.status == 206 and answer.body == PAYLOAD[i:i + 1]
        last = reader.response()
        assert last.status == 200 and last.header("Connection") == "close"
        assert reader.closed()


def test_split_requests(fast):
    data = check_in(fast.offer_token)
    with connect(fast.port) as sock:
        reader = Reader(sock)
        for i in range(len(data)):
            sock.sendall(data[i:i + 1])
            time.sleep(0.002)
        assert reader.response().json()["action"] == "install"
        # headers, then the body in two pieces
        head, body = data.split(b"\r\n\r\n", 1)
        for piece in (head + b"\r\n", b"\r\n", body[:5], body[5:]):
            sock.sendall(piece)
            time.sleep(0.05)
        assert reader.response().status == 200
        # a download, byte by byte, with close: the fast path answers it
        data = payload(headers=["Range: bytes=100-104", "Connection: close"])
        for i in range(len(data)):
            sock.sendall(data[i:i + 1])
            time.sleep(0.001)
        answer = reader.response()
        assert answer.status == 206 and answer.body == PAYLOAD[100:105]
        assert answer.header("Connection") == "close" and reader.closed()
    # split right where the fast path decides: in the digest, after it, in
    # the version, in a header name, before the empty line
    start = len(b"GET /payloads/")
    data = payload(headers=["Range: bytes=0-", "Connection: close"])
    for cut in (start + 3, start + 64, start + 70, data.index(b"Range") + 2, len(data) - 2, len(data) - 1):
        with connect(fast.port) as sock:
            sock.sendall(data[:cut])
            time.sleep(0.05)
            sock.sendall(data[cut:])
            answer = Reader(sock).response()
            assert answer.status == 206 and answer.body == PAYLOAD, cut
            assert answer.header("Connection") == "close", cut


def test_keep_alive_after_204(fast, slow):
    """a check-in answered 204 keeps the connection open, as the fast path
    does it, whoever answers it: after a handoff, and without the fast path"""
    with connect(fast.port) as sock:
        reader = Reader(sock)
        sock.sendall(check_in(fast.idle_token))
        assert reader.response().status == 204
        sock.sendall(payload(headers=["Range: bytes=0-1"]))
        assert reader.response().body == PAYLOAD[:2]
        assert not reader.closed(timeout=0.2)
    closed = []
    for srv, first, what in ((fast, HEALTH, "handed off"), (fast, b"", "?x=1"), (slow, b"", "--no-fast-path")):
        with connect(srv.port) as sock:
            reader = Reader(sock)
            path = "/device/v1/check-in" if first else "/device/v1/check-in?x=1"
            sock.sendall(first + check_in(srv.idle_token, path=path))
            if first:
                assert reader.response().status == 200
            answer = reader.response()
            assert answer.status == 204 and answer.header("Connection") is None, answer.raw_head
            try:
                sock.sendall(payload(headers=["Range: bytes=0-1"]))
                after = reader.response()
            except (EOFError, OSError) as error:
                closed.append("%s (%r)" % (what, error))
            else:
                assert after.status == 206 and after.body == PAYLOAD[:2], what
    assert not closed, ("the connection was closed after a 204 answered by libsoup, without "
                        "Connection: close (the fast path keeps it open): " + ", ".join(closed))


# 3. errors are libsoup's, and the connection goes on ---------------------------


def test_errors_then_keep_alive(fast):
    unknown = "0123456789abcdef" * 4
    cases = [
        ("unknown token", check_in(unknown), False),
        ("operator token", check_in(fast.admin_token), False),
        ("invalid JSON", check_in(fast.idle_token, b"{"), False),
        ("not an object", check_in(fast.idle_token, b"[1]"), False),
        ("bad member", check_in(fast.idle_token, b'{"sequence_number": "one"}'), False),
        ("no token", request("POST", "/device/v1/check-in", ["Content-Length: 2"], b"{}"), False),
        ("unknown digest", payload("f" * 64), False),
        ("unknown digest HEAD", payload("f" * 64, method="HEAD"), True),
        ("unsatisfiable", payload(headers=["Range: bytes=%d-" % SIZE]), False),
        ("bad range", payload(headers=["Range: bytes=5-1"]), False),
        ("two ranges", payload(headers=["Range: bytes=0-9,20-29"]), False),
        ("If-None-Match", payload(headers=['If-None-Match: "%s"' % DIGEST]), False),
        ("If-Range", payload(headers=['If-Range: "x"', "Range: bytes=0-9"]), False),
        ("If-Modified-Since", payload(headers=["If-Modified-Since: Thu, 01 Jan 1970 00:00:00 GMT"]), False),
    ]
    for what, data, head in cases:
        with connect(fast.port) as sock:
            reader = Reader(sock)
            sock.sendall(data)
            answer = reader.response(head=head)
            # the same request, answered by libsoup on a connection of its own
            query = data.replace(b" HTTP/1.1\r\n", b"?x=1 HTTP/1.1\r\n", 1)
            soup = one(fast.port, query, head)
            if what != "two ranges":  # a random boundary
                assert_same(answer, soup, what)
            assert answer.header("Connection") is None, what
            # keep-alive after the handoff: the fast requests on the same
            # connection (libsoup's now) are answered
            sock.sendall(payload(headers=["Range: bytes=50-59"]) + check_in(fast.offer_token))
            after = reader.response()
            assert after.status == 206 and after.body == PAYLOAD[50:60], what
            assert reader.response().json()["action"] == "install", what
            sock.sendall(payload(headers=["Range: bytes=-1", "Connection: close"]))
            assert reader.response().body == PAYLOAD[-1:], what
            assert reader.closed(), what
        if what == "unknown token":
            assert_problem(answer, 401)
            assert answer.header("WWW-Authenticate") == "Bearer"
        elif what == "no token":
            assert_problem(answer, 401)
            assert answer.header("WWW-Authenticate") == "Bearer"
        elif what == "operator token":
            assert_problem(answer, 403)
        elif what in ("invalid JSON", "not an object", "bad member"):
            assert_problem(answer, 400, "invalid-argument")
        elif what == "unknown digest":
            assert_problem(answer, 404, "not-found")
        elif what == "unknown digest HEAD":
            assert answer.status == 404 and answer.body == b""
        elif what in ("unsatisfiable", "bad range"):
            assert_problem(answer, 416)
            assert answer.header("Content-Range") == "bytes */%d" % SIZE
        elif what == "two ranges":
            assert answer.status == 206
            content_type = answer.header("Content-Type")
            assert content_type.startswith("multipart/byteranges; boundary="), content_type
            message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + answer.body)
            parts = [(part["Content-Range"], part.get_payload(decode=True)) for part in message.iter_parts()]
            assert parts == [("bytes 0-9/%d" % SIZE, PAYLOAD[0:10]), ("bytes 20-29/%d" % SIZE, PAYLOAD[20:30])]
        elif what == "If-None-Match":
            assert answer.status == 304 and answer.body == b""
            assert answer.header("ETag") == '"%s"' % DIGEST
        else:
            assert answer.status == 200 and answer.body == PAYLOAD, what


# 4. smuggling shapes: framed as libsoup frames them ------------------------------


def smuggling_cases(srv):
    token = srv.offer_token
    auth = "Authorization: Bearer " + token
    n = len(CHECK_IN)
    smuggled = payload(headers=["Range: bytes=0-3"])
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (n, CHECK_IN)
    padded = CHECK_IN[:-1] + b" " * 5000 + b"}"
    return {
        "CL and TE": request("POST", "/device/v1/check-in",
                             [auth, "Content-Length: %d" % n, "Transfer-Encoding: chunked"], chunked),
        "TE and CL": request("POST", "/device/v1/check-in",
                             [auth, "Transfer-Encoding: chunked", "Content-Length: %d" % len(chunked)], chunked),
        "TE on a download": request("GET", "/payloads/" + DIGEST, ["Transfer-Encoding: chunked"],
                                    b"%x\r\n%s\r\n0\r\n\r\n" % (len(smuggled), smuggled)),
        "two CL, same": request("POST", "/device/v1/check-in",
                                [auth, "Content-Length: %d" % n, "Content-Length: %d" % n], CHECK_IN),
        "two CL, different": request("POST", "/device/v1/check-in",
                                     [auth, "Content-Length: %d" % n, "Content-Length: 0"], CHECK_IN),
        "two CL, 0 first": request("POST", "/device/v1/check-in",
                                   [auth, "Content-Length: 0", "Content-Length: %d" % n], CHECK_IN),
        "CL +": request("POST", "/device/v1/check-in", [auth, "Content-Length: +%d" % n], CHECK_IN),
        "CL with a space": request("POST", "/device/v1/check-in",
                                   [auth, "Content-Length: %d %d" % (n // 10, n % 10)], CHECK_IN),
        "CL hex": request("POST", "/device/v1/check-in", [auth, "Content-Length: 0x%x" % n], CHECK_IN),
        "CL 0, smuggled GET": request("POST", "/device/v1/check-in", [auth, "Content-Length: 0"], smuggled),
        "no CL, smuggled GET": request("POST", "/device/v1/check-in", [auth], CHECK_IN + smuggled),
        "CL on a download": request("GET", "/payloads/" + DIGEST, ["Content-Length: %d" % len(smuggled)],
                                    smuggled),
        "CL short, pipelined GET": check_in(token)[:-n] + CHECK_IN + smuggled,
        "obs-fold": request("POST", "/device/v1/check-in",
                            [auth, "X-Folded: a", " b", "Content-Length: %d" % n], CHECK_IN),
        "obs-fold of CL": request("POST", "/device/v1/check-in",
                                  [auth, "Content-Length:", " %d" % n], CHECK_IN),
        "bare LF": request("POST", "/device/v1/check-in", [auth, "Content-Length: %d" % n], CHECK_IN, eol="\n"),
        "bare LF download": request("GET", "/payloads/" + DIGEST, ["Range: bytes=0-3"], eol="\n"),
        "bare CR": request("POST", "/device/v1/check-in",
                           [auth, "X-A: a\rContent-Length: 0", "Content-Length: %d" % n], CHECK_IN),
        "bare CR download": request("GET", "/payloads/" + DIGEST, ["X-A: a\rRange: bytes=0-3"]),
        "NUL in a value": request("POST", "/device/v1/check-in",
                                  [auth, "X-A: a\x00b", "Content-Length: %d" % n], CHECK_IN),
        "space before colon": request("POST", "/device/v1/check-in",
                                      [auth, "Content-Length : 0", "Content-Length: %d" % n], CHECK_IN),
        "HTTP/1.0": request("POST", "/device/v1/check-in", [auth, "Content-Length: %d" % n], CHECK_IN,
                            version="HTTP/1.0"),
        "HTTP/1.0 download": request("GET", "/payloads/" + DIGEST, version="HTTP/1.0"),
        "HTTP/1.2": request("POST", "/device/v1/check-in", [auth, "Content-Length: %d" % n], CHECK_IN,
                            version="HTTP/1.2"),
        "lowercase method": request("post", "/device/v1/check-in", [auth, "Content-Length: %d" % n], CHECK_IN),
        "lowercase get": request("get", "/payloads/" + DIGEST),
        "absolute form": request("POST", "http://x/device/v1/check-in", [auth, "Content-Length: %d" % n],
                                 CHECK_IN),
        "absolute form download": request("GET", "http://127.0.0.1/payloads/" + DIGEST),
        "missing Host": request("POST", "/device/v1/check-in", [auth, "Content-Length: %d" % n], CHECK_IN,
                                host=False),
        "missing Host download": request("GET", "/payloads/" + DIGEST, host=False),
        "two Host": request("POST", "/device/v1/check-in", ["Host: other", auth, "Content-Length: %d" % n],
                            CHECK_IN),
        "Expect": request("POST", "/device/v1/check-in", [auth, "Expect: 100-continue", "Content-Length: %d" % n],
                          CHECK_IN),
        "Upgrade": request("GET", "/payloads/" + DIGEST, ["Connection: Upgrade", "Upgrade: websocket"]),
        "Connection: other": request("GET", "/payloads/" + DIGEST, ["Connection: keep-alive, close"]),
        "two Authorization": request("POST", "/device/v1/check-in",
                                     [auth, "Authorization: Bearer " + "0" * 64, "Content-Length: %d" % n],
                                     CHECK_IN),
        "body over 4096": request("POST", "/device/v1/check-in", [auth, "Content-Length: %d" % len(padded)],
                                  padded),
        "body of 4096": request("POST", "/device/v1/check-in", [auth, "Content-Length: 4096"],
                                CHECK_IN[:-1] + b" " * (4096 - n) + b"}"),
        "percent-escape": request("GET", "/payloads/%" + "%x" % ord(DIGEST[0]) + DIGEST[1:]),
        "digest too long": request("GET", "/payloads/" + DIGEST + "0"),
        "tab in a value": request("POST", "/device/v1/check-in",
                                  [auth, "X-A: a\tb", "Content-Length: %d" % n], CHECK_IN),
        "65 headers": request("GET", "/payloads/" + DIGEST, ["X-%d: v" % i for i in range(64)]),
        "big header block": request("GET", "/payloads/" + DIGEST, ["X-Big: " + "v" * 8200]),
        "short body": check_in(token)[:-5],
    }


def allowed_5xx(code, data):
    """505 for an HTTP version libsoup does not speak, as test_hostile.py"""
    return code == 505 and data.split(b"\r\n", 1)[0].endswith(b"HTTP/1.2")


def test_smuggling_shapes(fast, slow):
    fast_cases, slow_cases = smuggling_cases(fast), smuggling_cases(slow)
    differences = []
    for name in fast_cases:
        # a health request after each: framed or not, as libsoup frames it
        got = exchange(fast.port, fast_cases[name] + LAST)
        expected = exchange(slow.port, slow_cases[name] + LAST)
        for code in got + expected:
            assert code < 500 or allowed_5xx(code, fast_cases[name]), "%s: %r / %r" % (name, got, expected)
        assert_alive(fast)
        if got != expected:
            differences.append("%s: fast path %r, libsoup %r" % (name, got, expected))
    assert not differences, "\n".join(differences)
    assert_alive(fast)
    assert_alive(slow)


FAST_SHAPES = ("CL short, pipelined GET", "body of 4096", "tab in a value")


def test_refused_shapes_are_libsoups(fast):
    """with Connection: close added, an answer without it is libsoup's: the
    fast path answers only the shapes it knows in full"""
    cases = smuggling_cases(fast)
    wrong = []
    for name, data in cases.items():
        if name == "short body":
            continue  # nobody answers
        eol = b"\r\n" if b"\r\n" in data else b"\n"
        data = data.replace(eol, eol + b"Connection: close" + eol, 1)
        with connect(fast.port, timeout=5) as sock:
            sock.sendall(data)
            answer = Reader(sock).response()
        expected = "close" if name in FAST_SHAPES else None
        if answer.header("Connection") != expected:
            wrong.append("%s: %d, Connection: %s" % (name, answer.status, answer.header("Connection")))
    assert not wrong, "answered by the wrong side:\n" + "\n".join(wrong)


def test_smuggling_answers(fast):
    """what some of those are answered, on the fast server"""
    cases = smuggling_cases(fast)
    for name, expected in (("CL 0, smuggled GET", [400, 206, 200]), ("CL short, pipelined GET", [200, 206, 200]),
                           ("body of 4096", [200, 200]), ("tab in a value", [200, 200]),
                           ("Expect", [100, 200, 200]), ("HTTP/1.2", [505]), ("two CL, different", [400, 400]),
                           ("CL with a space", [400]), ("body over 4096", [413, 200]),
                           ("missing Host", [400]), ("TE on a download", [200, 200]), ("HTTP/1.0", [200])):
        assert exchange(fast.port, cases[name] + LAST) == expected, name
    assert_alive(fast)


# 5. Connection: close ------------------------------------------------------------


def test_connection_close(fast):
    for data, status, head in ((check_in(fast.idle_token, headers=["Connection: close"]), 204, False),
                               (check_in(fast.offer_token, headers=["Connection: Close"]), 200, False),
                               (payload(headers=["Connection: close"]), 200, False),
                               (payload(headers=["Connection:  close "], method="HEAD"), 200, True),
                               (payload(headers=["Connection: close", "Range: bytes=1-1"]), 206, False)):
        with connect(fast.port) as sock:
            reader = Reader(sock)
            sock.sendall(data)
            answer = reader.response(head=head)
            assert answer.status == status and answer.header("Connection") == "close", answer.raw_head
            assert reader.closed(), data[:60]
    # keep-alive is the default, and said explicitly
    with connect(fast.port) as sock:
        reader = Reader(sock)
        for _ in range(3):
            sock.sendall(check_in(fast.idle_token, headers=["Connection: keep-alive"]))
            answer = reader.response()
            assert answer.status == 204 and answer.header("Connection") is None
        assert not reader.closed(timeout=0.3)


# 6. idle and slow clients --------------------------------------------------------


def test_idle_and_slow(workdir, keys):
    srv = Server(workdir / "short", trust=[keys["author_pub"]], extra=["--header-timeout", "1"]).start()
    try:
        populate(srv, workdir, keys, "short")
        big = random.Random(6).randbytes(BIG)
        digest = upload_payload(srv.client(), big)
        data = check_in(srv.idle_token)
        head, body = data.split(b"\r\n\r\n", 1)
        socks = {name: connect(srv.port) for name in ("idle", "half headers", "half body", "after an answer",
                                                      "after a download", "after a handoff")}
        stalled = connect(srv.port, rcvbuf=16384)
        start = time.monotonic()
        # asks for 8 MiB and reads none of it
        stalled.sendall(payload(digest))
        socks["half headers"].sendall(head[:len(head) // 2])
        socks["half body"].sendall(head + b"\r\n\r\n" + body[:len(body) // 2])
        socks["after an answer"].sendall(data)
        assert Reader(socks["after an answer"]).response().status == 204
        socks["after a download"].sendall(payload(headers=["Range: bytes=0-0"]))
        assert Reader(socks["after a download"]).response().body == PAYLOAD[:1]
        socks["after a handoff"].sendall(check_in(srv.offer_token) + HEALTH)
        reader = Reader(socks["after a handoff"])
        assert reader.response().status == 200 and reader.response().status == 200
        open_ = set(socks)
        deadline = start + 4.5
        while open_ and time.monotonic() < deadline:
            readable, _, _ = select.select([socks[name] for name in open_], [], [], 0.1)
            for name in list(open_):
                if socks[name] in readable:
                    try:
                        assert socks[name].recv(100) == b"", name
                    except ConnectionResetError:
                        pass
                    open_.discard(name)
        took = time.monotonic() - start
        for sock in socks.values():
            sock.close()
        assert not open_, "still open after %.1f s: %s" % (took, sorted(open_))
        # the client that stopped reading is reset: what it gets then is what
        # was in the socket buffers, not the whole answer
        time.sleep(max(0.0, start + 4 - time.monotonic()))
        stalled.settimeout(1)
        received, end = 0, None
        try:
            while True:
                chunk = stalled.recv(1 << 20)
                if not chunk:
                    end = "closed"
                    break
                received += len(chunk)
        except ConnectionResetError:
            end = "reset"
        except socket.timeout:
            end = "still open"
        stalled.close()
        assert end in ("closed", "reset") and received < BIG, "%s after %d bytes" % (end, received)
        srv.stop()
        # slow but steady clients are not cut. The sweep counts in whole
        # seconds, once a second: with a timeout of 1 s a connection can go
        # after a few milliseconds without progress, with 2 s after 1 to 2 s
        idle_token = srv.idle_token
        srv = Server(workdir / "short", trust=[keys["author_pub"]], extra=["--header-timeout", "2"]).start()
        # a request sent byte by byte in 0.6 s
        with connect(srv.port) as sock:
            data = check_in(idle_token)
            for i in range(len(data)):
                sock.sendall(data[i:i + 1])
                time.sleep(0.6 / len(data))
            assert Reader(sock).response().status == 204
        # a download read at 3 MB/s, longer than the timeout (the server writes
        # whenever a third of its socket buffer, at most 4 MiB, is free: about
        # every 0.5 s)
        begin = time.monotonic()
        with connect(srv.port, timeout=30, rcvbuf=16384) as sock:
            sock.sendall(payload(digest, ["Connection: close"]))
            received = bytearray()
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                received += chunk
                time.sleep(max(0.0, begin + len(received) / 3e6 - time.monotonic()))
        took = time.monotonic() - begin
        assert hashlib.sha256(received.split(b"\r\n\r\n", 1)[1]).hexdigest() == digest, \
            "%d bytes in %.1f s" % (len(received), took)
        assert took > 2
        assert_alive(srv)
    finally:
        srv.stop()


# 7. file descriptors and metrics -------------------------------------------------


def settle_fds(srv, limit, timeout=4):
    """the number of open descriptors, once at most limit (or at the timeout)"""
    deadline = time.monotonic() + timeout
    while True:
        count = open_fds(srv)
        if count <= limit or time.monotonic() > deadline:
            return count
        time.sleep(0.1)


def test_descriptors_and_metrics(fast):
    """300 connections, fast, handed off and reset at every stage: no
    descriptor is left behind, and the fast answers are counted"""
    assert_alive(fast)
    time.sleep(0.3)
    baseline = open_fds(fast)
    before = metrics(fast)
    rng = random.Random(7)
    expected = collections.Counter()
    for i in range(300):
        kind = i % 10
        sock = connect(fast.port)
        reader = Reader(sock)
        if kind == 0:  # fast, closed by the client
            sock.sendall(check_in(fast.idle_token))
            assert reader.response().status == 204
            expected[("POST", "/device/v1/check-in", 204)] += 1
            sock.close()
        elif kind == 1:  # fast, closed by the server
            sock.sendall(payload(headers=["Connection: close", "Range: bytes=%d-%d" % (i, i + 9)]))
            assert reader.response().body == PAYLOAD[i:i + 10]
            expected[("GET", "/payloads/{digest}", 206)] += 1
            assert reader.closed()
            sock.close()
        elif kind == 2:  # fast, then reset
            sock.sendall(payload(method="HEAD"))
            assert reader.response(head=True).status == 200
            expected[("HEAD", "/payloads/{digest}", 200)] += 1
            reset(sock)
        elif kind == 3:  # handed off, closed by the server
            sock.sendall(HEALTH + LAST)
            assert reader.response().status == 200
            assert reader.response().status == 200
            assert reader.closed()
            sock.close()
        elif kind == 4:  # handed off after fast answers, closed by the server
            sock.sendall(check_in(fast.offer_token) + payload("e" * 64) + payload(headers=["Connection: close"],
                                                                              method="HEAD"))
            assert reader.response().status == 200
            assert reader.response().status == 404
            assert reader.response(head=True).status == 200
            assert reader.closed()
            expected[("POST", "/device/v1/check-in", 200)] += 1
            expected[("HEAD", "/payloads/{digest}", 200)] += 1  # libsoup's
            reset(sock)
        elif kind == 5:  # half a request, reset
            sock.sendall(check_in(fast.idle_token)[:rng.randrange(1, 150)])
            reset(sock)
        elif kind == 6:  # nothing at all
            if i % 20 < 10:
                sock.close()
            else:
                reset(sock)
        elif kind == 7:  # a whole download not read, reset
            sock.sendall(payload())
            time.sleep(0.001)
            reset(sock)
        elif kind == 8:  # handed off in the middle of a request, reset or closed
            sock.sendall(request("POST", "/device/v1/check-in?x=1", ["Content-Length: 100"], b"{"))
            time.sleep(0.001)
            if i % 20 < 10:
                sock.close()
            else:
                reset(sock)
        else:  # handed off, HTTP/1.0
            sock.sendall(request("GET", "/payloads/" + DIGEST, ["Range: bytes=0-0"], version="HTTP/1.0"))
            assert reader.response().body == PAYLOAD[:1]
            assert reader.closed()
            expected[("GET", "/payloads/{digest}", 206)] += 1  # libsoup's
            sock.close()
    count = settle_fds(fast, baseline + 3)
    assert count <= baseline + 3, "%d descriptors open, %d before" % (count, baseline)
    assert_alive(fast)

    # the fast answers are counted, under the routes of libsoup
    deadline = time.monotonic() + 3
    while True:
        after = metrics(fast)
        delta = {key: after[key] - before[key] for key in expected}
        if delta == dict(expected) or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert delta == dict(expected), (delta, dict(expected))
    # the downloads that were reset: answered in full, given up, or never read
    whole = sum(after[("GET", "/payloads/{digest}", status)] - before[("GET", "/payloads/{digest}", status)]
                for status in (200, 499))
    assert 0 <= whole <= 30
    assert after[("GET", "/payloads/{digest}", 404)] - before[("GET", "/payloads/{digest}", 404)] == 30


def test_descriptors_after_handed_keep_alive(fast, slow):
    """connections handed to libsoup and closed by the client between two
    requests, with a FIN or a reset: their descriptors are closed too"""
    leaks = {}
    for srv in (fast, slow):
        assert_alive(srv)
        time.sleep(0.3)
        baseline = open_fds(srv)
        for i in range(40):
            sock = connect(srv.port)
            reader = Reader(sock)
            sock.sendall(payload("d" * 64) if i % 4 < 2 else HEALTH)
            assert reader.response().status in (200, 404)
            if i % 2:
                reset(sock)
            else:
                sock.close()
        leaks["--no-fast-path" if srv is slow else "fast path"] = settle_fds(srv, baseline + 3) - baseline
    assert leaks["fast path"] <= 3, "descriptors left open by 40 closed connections: %r" % leaks


# 8. a large, slow download -------------------------------------------------------


def test_large_slow_download(fast):
    big = random.Random(8).randbytes(BIG)
    digest = upload_payload(fast.client(), big)
    before = metrics(fast)

    def download(headers, start, end, pause_every, rcvbuf=16384):
        with connect(fast.port, timeout=30, rcvbuf=rcvbuf) as sock:
            sock.sendall(payload(digest, headers + ["Connection: close"]))
            received = bytearray()
            n = 0
            while True:
                chunk = sock.recv(8192)
                if not chunk:
                    break
                received += chunk
                n += 1
                if n % pause_every == 0:
                    time.sleep(0.01)
        head, body = bytes(received).split(b"\r\n\r\n", 1)
        assert b"\r\nConnection: close\r\n" in head + b"\r\n", head
        assert b"\r\nContent-Length: %d\r\n" % (end - start) in head + b"\r\n", head
        assert hashlib.sha256(body).hexdigest() == hashlib.sha256(big[start:end]).hexdigest(), \
            "%d bytes of %d" % (len(body), end - start)
        return head

    assert download([], 0, BIG, 16).startswith(b"HTTP/1.1 200 OK\r\n")
    head = download(["Range: bytes=1000000-"], 1000000, BIG, 8)
    assert head.startswith(b"HTTP/1.1 206 Partial Content\r\n")
    assert b"\r\nContent-Range: bytes 1000000-%d/%d" % (BIG - 1, BIG) in head

    # requests pipelined behind a download that does not fit in the socket
    # buffers: answered in order once it is read
    with connect(fast.port, timeout=30, rcvbuf=16384) as sock:
        sock.sendall(payload(digest) + check_in(fast.offer_token) + payload(digest, ["Range: bytes=-10"])
                     + payload(digest, method="HEAD") + payload(digest, ["Range: bytes=5-9", "Connection: close"]))
        time.sleep(0.3)
        reader = Reader(sock)
        first = reader.response()
        assert first.status == 200 and hashlib.sha256(first.body).hexdigest() == digest
        assert reader.response().json()["action"] == "install"
        assert reader.response().body == big[-10:]
        assert reader.response(head=True).header("Content-Length") == str(BIG)
        last = reader.response()
        assert last.body == big[5:10] and last.header("Connection") == "close"
        assert reader.closed()

    # clients that go away mid-download, with a close and with a reset
    for abort in (socket.socket.close, reset):
        sock = connect(fast.port, rcvbuf=16384)
        sock.sendall(payload(digest))
        got = 0
        while got < 100000:
            got += len(sock.recv(8192))
        abort(sock)
        # the next requests are not disturbed
        with connect(fast.port) as other:
            reader = Reader(other)
            other.sendall(check_in(fast.idle_token) + payload(digest, ["Range: bytes=-10"]))
            assert reader.response().status == 204
            assert reader.response().body == big[-10:]
    assert download(["Range: bytes=0-4194303"], 0, 4194304, 64, rcvbuf=None).startswith(b"HTTP/1.1 206")
    # the two given up downloads are counted as nginx counts them: 499 (unless
    # the kernel's send buffers could take all of BIG, then one is a 200)
    with open("/proc/sys/net/ipv4/tcp_wmem") as f:
        buffered = int(f.read().split()[2]) >= BIG - 262144
    deadline = time.monotonic() + 5
    while True:
        after = metrics(fast)
        given_up = after[("GET", "/payloads/{digest}", 499)] - before[("GET", "/payloads/{digest}", 499)]
        whole = after[("GET", "/payloads/{digest}", 200)] - before[("GET", "/payloads/{digest}", 200)]
        if given_up + whole == 4 or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert given_up + whole == 4 and (given_up == 2 or buffered), (given_up, whole)
    # 1000000-, the pipelined -10 and 5-9, the two -10 after the aborts, 0-4194303
    assert after[("GET", "/payloads/{digest}", 206)] - before[("GET", "/payloads/{digest}", 206)] == 6
    assert_alive(fast)
