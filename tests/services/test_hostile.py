"""Hostile HTTP at the protocol level: malformed request lines and headers,
request smuggling shapes, bodies that lie about their length, oversized
everything, slow and idle connections, and a seeded mutation fuzz of valid
requests. Whatever comes back must not be a 5xx, and the server must go on
answering (and exit 0 on SIGTERM at the end)."""
import concurrent.futures
import os
import random
import socket
import time

import pytest

from conftest import Server

MiB = 1024 * 1024


@pytest.fixture(scope="module")
def hostile(workdir, keys):
    srv = Server(workdir / "hostile", trust=[keys["author_pub"]],
                 extra=["--max-payload-size", "1M", "--header-timeout", "2"]).start()
    yield srv
    srv.stop()


def exchange(port, data, timeout=10, chunks=None, pause=0.0):
    """sends raw bytes (optionally in pieces); returns everything read until
    the server closes or goes quiet"""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        try:
            for piece in chunks or [data]:
                sock.sendall(piece)
                if pause:
                    time.sleep(pause)
            sock.shutdown(socket.SHUT_WR)
        except OSError:
            # the server may answer and close before it has read everything
            pass
        answer = b""
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                answer += chunk
        except OSError:
            pass
    return answer


def statuses(answer):
    """the status codes of every HTTP/1.x answer in a byte stream"""
    codes = []
    for line in answer.split(b"\r\n"):
        if line.startswith(b"HTTP/1.") and len(line) >= 12:
            try:
                codes.append(int(line[9:12]))
            except ValueError:
                pass
    return codes


def protocol_5xx_allowed(code, what):
    """the two 5xx that HTTP itself prescribes for what the server cannot
    speak, sent by libsoup before any handler runs (nginx sends the same):
    505 for a version other than HTTP/1.0 and 1.1 (RFC 9110 §15.6.6), 501
    for a transfer coding other than chunked (RFC 9112 §6.1)"""
    head = what.split(b"\r\n\r\n", 1)[0].lower()
    request_line = head.split(b"\r\n", 1)[0]
    if code == 505:
        return not (request_line.endswith(b" http/1.1") or request_line.endswith(b" http/1.0"))
    if code == 501:
        codings = [line.split(b":", 1)[1].strip() for line in head.split(b"\r\n")[1:]
                   if line.startswith(b"transfer-encoding:")]
        return any(c != b"chunked" for c in codings)
    return False


def assert_no_5xx(answer, what):
    for code in statuses(answer):
        if code >= 500 and protocol_5xx_allowed(code, what):
            continue
        assert code < 500, "%r answered %d:\n%r" % (what[:120], code, answer[:600])


def assert_alive(srv):
    assert srv.client(token="").healthy(), srv.output()[-3000:]


def request(method="GET", path="/api/v1/health", headers=(), body=b"", version="HTTP/1.1"):
    lines = ["%s %s %s" % (method, path, version), "Host: 127.0.0.1"] + list(headers)
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


CASES = [
    b"",
    b"\r\n\r\n",
    b"GARBAGE\r\n\r\n",
    b"\x00\x01\x02\x03\xff\xfe\r\n\r\n",
    b"GET /\r\n\r\n",                                       # HTTP/0.9
    b"GET / HTTP/9.9\r\n\r\n",
    b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",                    # HTTP/2 preface
    b"GET http://example.org/api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n",  # absolute form
    b"GET * HTTP/1.1\r\nHost: x\r\n\r\n",
    b"CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: x\r\n\r\n",
    b"TRACE / HTTP/1.1\r\nHost: x\r\n\r\n",
    b"BREW /coffee HTTP/1.1\r\nHost: x\r\n\r\n",
    request(path="/" + "a" * 100000),                         # huge request line
    request(headers=["X-%d: %s" % (i, "v" * 100) for i in range(2000)]),  # many headers
    request(headers=["X-Big: " + "v" * (2 * MiB)]),            # one huge header
    request(headers=["NoColonHere"]),
    request(headers=[" folded: continuation"]),
    request(headers=["Authorization: Bearer " + "a" * 100000], path="/api/v1/devices"),
    request(headers=["Authorization: Basic dXNlcjpwYXNz"], path="/api/v1/devices"),
    request(headers=["Authorization: Bearer"], path="/api/v1/devices"),
    request(headers=["Authorization: Bearer \x01\x02"], path="/api/v1/devices"),
    request(path="/api/v1/devices/%00"),
    request(path="/api/v1/devices/..%2F..%2Fetc%2Fpasswd"),
    request(path="/payloads/../../../../etc/passwd"),
    request(path="/payloads/%2e%2e/%2e%2e/etc/passwd"),
    request(path="/api/v1/events?since=-1&limit=99999999999999999999&device=%ff"),
    request(path="/api/v1/devices?" + "&".join("tag=%d" % i for i in range(5000))),
    request(path="/%c0%af%c0%af"),
    request("POST", "/api/v1/devices", ["Content-Length: -5"]),
    request("POST", "/api/v1/devices", ["Content-Length: 99999999999999999999999"]),
    request("POST", "/api/v1/devices", ["Content-Length: 10", "Content-Length: 20"], b"x" * 10),
    request("POST", "/api/v1/devices", ["Content-Length: abc"]),
    request("POST", "/api/v1/devices", ["Transfer-Encoding: chunked", "Content-Length: 5"], b"0\r\n\r\n"),
    request("POST", "/api/v1/devices", ["Transfer-Encoding: chunked"], b"zz\r\nhello\r\n0\r\n\r\n"),
    request("POST", "/api/v1/devices", ["Transfer-Encoding: chunked"], b"ffffffffffffffff\r\nx\r\n"),
    request("POST", "/api/v1/devices", ["Transfer-Encoding: gzip, chunked"], b"0\r\n\r\n"),
    request("POST", "/api/v1/devices", ["Transfer-Encoding: identity"], b"{}"),
    request("POST", "/api/v1/devices", ["Content-Length: 100"], b"{}"),    # short body
    request("POST", "/device/v1/check-in", ["Authorization: Bearer " + "0" * 64,
                                            "Content-Length: 2"], b"{}"),
    request("POST", "/device/v1/reports", ["Authorization: Bearer " + "0" * 64,
                                           "Content-Length: 4"], b"\xd2\x84\x40\x40"),
    request("GET", "/payloads/" + "0" * 64, ["Range: bytes=" + ",".join("%d-%d" % (i, i) for i in range(20000))]),
    request("GET", "/payloads/" + "0" * 64, ["If-Range: " + "x" * 10000, "Range: bytes=0-1"]),
    request("GET", "/payloads/" + "0" * 64, ["If-None-Match: " + ", ".join(['"a"'] * 5000)]),
    request("OPTIONS", "/api/v1/devices"),
    request("GET", "/api/v1/health", version="HTTP/1.0"),
    request("GET", "/api/v1/health", ["Connection: keep-alive"]) * 50,       # pipelined
    request("GET", "/api/v1/health", ["Expect: 200-ok"]),
]


@pytest.mark.parametrize("index", range(len(CASES)))
def test_malformed_requests(hostile, index):
    data = CASES[index]
    assert_no_5xx(exchange(hostile.port, data, timeout=4), data)
    assert_alive(hostile)


def test_slow_and_idle_connections(hostile):
    # a request sent one byte at a time still gets its answer
    data = request()
    answer = exchange(hostile.port, data, chunks=[data[i:i + 1] for i in range(len(data))], pause=0.005)
    assert statuses(answer)[:1] == [200], answer[:300]
    # 100 connections that never send a byte are reset after the header
    # timeout (2 s here) and do not stop anyone else
    idle = [socket.create_connection(("127.0.0.1", hostile.port), timeout=10) for _ in range(100)]
    try:
        assert_alive(hostile)
        time.sleep(3.5)
        closed = 0
        for sock in idle:
            try:
                if sock.recv(1) == b"":
                    closed += 1
            except (ConnectionResetError, socket.timeout):
                closed += 1
        assert closed == len(idle)
    finally:
        for sock in idle:
            sock.close()
    # half a request, then silence: the connection is dropped, not kept forever
    start = time.time()
    answer = exchange(hostile.port, b"", chunks=[b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n"], timeout=15)
    assert time.time() - start < 12
    assert_no_5xx(answer, b"partial headers")
    assert_alive(hostile)


def test_mutation_fuzz(hostile):
    """mutations of valid requests (seeded, repeatable): bytes flipped,
    inserted and cut, header lines duplicated and dropped"""
    seed = int(os.environ.get("SUIT_FUZZ_SEED", "20261205"))
    rng = random.Random(seed)
    token = hostile.admin_token
    seeds = [
        request(),
        request(path="/api/v1/devices", headers=["Authorization: Bearer " + token]),
        request("POST", "/api/v1/devices", ["Authorization: Bearer " + token, "Content-Type: application/json",
                                            "Content-Length: 52"],
                b'{"id":"fz","vendor_id":"x","class_id":"y","tags":[]}'),
        request("POST", "/api/v1/campaigns", ["Authorization: Bearer " + token, "Content-Length: 14"],
                b'{"manifest":1}'),
        request("GET", "/payloads/" + "a" * 64, ["Range: bytes=0-9,20-"]),
        request("POST", "/device/v1/check-in", ["Authorization: Bearer " + "f" * 64, "Content-Length: 2"], b"{}"),
    ]
    mutants = []
    for _ in range(200):
        data = bytearray(rng.choice(seeds))
        for _ in range(rng.randint(1, 6)):
            op = rng.randrange(4)
            pos = rng.randrange(len(data) + 1)
            if op == 0 and data:
                data[min(pos, len(data) - 1)] = rng.randrange(256)
            elif op == 1:
                data[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 20)))
            elif op == 2 and data:
                del data[pos:pos + rng.randint(1, 20)]
            else:
                lines = bytes(data).split(b"\r\n")
                if len(lines) > 2:
                    i = rng.randrange(1, len(lines) - 1)
                    if rng.random() < 0.5:
                        lines.insert(i, lines[i])
                    else:
                        lines.pop(i)
                    data = bytearray(b"\r\n".join(lines))
        mutants.append(bytes(data))
    # eight clients at a time: a mutant the server waits on costs the header timeout
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        for data, answer in zip(mutants, pool.map(lambda d: exchange(hostile.port, d, timeout=3), mutants)):
            assert_no_5xx(answer, data)
    assert_alive(hostile)
