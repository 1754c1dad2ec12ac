"""End-to-end fleet test (suite 'services'): a real suit-server, six devices
each driven by `suit-agent --once`, envelopes authored with the `suit` CLI.

1. a baseline campaign puts v1 on every device;
2. a two-wave campaign ([50, 100]) rolls v2 out; one device's health command
   fails for v2, so it falls back to v1 and reports that;
3. a bad campaign (a payload that does not match its digest) fails its first
   devices and the failure threshold halts it;
4. the server is killed with SIGKILL and restarted on the same data
   directory: devices, campaigns and the audit log are all intact.

SUIT_SERVER, SUIT_AGENT and SUIT_CLI name the built binaries."""
import hashlib
import json
import os
import pathlib
import signal
import subprocess
import time
import urllib.error
import urllib.request

import pytest

SUIT_SERVER = os.environ.get("SUIT_SERVER", "")
SUIT_AGENT = os.environ.get("SUIT_AGENT", "")
SUIT_CLI = os.environ.get("SUIT_CLI", "")

VENDOR = "fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe"
CLASS = "1492af14-2569-5e48-bf42-9b2d51f2ab45"
N_DEVICES = 6
# the device whose boot of v2 fails; it runs last in every round so that the
# good campaign's failure ratio stays below its limit whatever the waves
FAILING = "dev-%02d" % N_DEVICES

# a tree that does not build suit-server skips; one that does must run it
pytestmark = pytest.mark.skipif(
    not (SUIT_SERVER and os.access(SUIT_SERVER, os.X_OK)) and not os.environ.get("SUIT_SERVER_REQUIRED"),
    reason="suit-server is not built (%s)" % (SUIT_SERVER or "SUIT_SERVER unset"))


def clean_env():
    env = dict(os.environ)
    # everything here talks to 127.0.0.1 and must never go through a proxy
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        env.pop(name, None)
    env["no_proxy"] = "127.0.0.1,localhost"
    env.pop("G_MESSAGES_DEBUG", None)
    return env


def run(*args, check=True, timeout=120):
    proc = subprocess.run([str(a) for a in args], env=clean_env(), capture_output=True, timeout=timeout)
    if check:
        assert proc.returncode == 0, "%s: exit %d\n%s\n%s" % (
            " ".join(map(str, args)), proc.returncode, proc.stdout.decode(errors="replace"),
            proc.stderr.decode(errors="replace"))
    return proc


class Server:
    """suit-server on 127.0.0.1 and a free port, over one data directory."""

    def __init__(self, workdir, data_dir, trust):
        self.workdir = pathlib.Path(workdir)
        self.data_dir = pathlib.Path(data_dir)
        self.trust = trust
        self.proc = None
        self.port = None
        self.log = None
        self.starts = 0
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def start(self):
        self.starts += 1
        port_file = self.workdir / ("port-%d" % self.starts)
        self.log = open(self.workdir / ("server-%d.log" % self.starts), "wb")
        self.proc = subprocess.Popen(
            [SUIT_SERVER, "--data-dir", str(self.data_dir), "--listen", "127.0.0.1:0",
             "--port-file", str(port_file), "--trust", str(self.trust), "--threads", "2"],
            env=clean_env(), stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if port_file.exists() and port_file.read_text().strip():
                self.port = int(port_file.read_text().strip())
                break
            assert self.proc.poll() is None, "suit-server exited: %s" % self.read_log()
            time.sleep(0.05)
        else:
            raise AssertionError("suit-server did not write its port file")
        self.admin = (self.data_dir / "admin-token").read_text().strip()
        status, body = self.request("GET", "/api/v1/health", token=None)
        assert status == 200 and body["status"] == "ok"

    def read_log(self):
        self.log.flush()
        return (self.workdir / ("server-%d.log" % self.starts)).read_text(errors="replace")[-4000:]

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)
        self.log.close()

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.log is not None and not self.log.closed:
            self.log.close()

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    def request(self, method, path, body=None, token="admin", content_type="application/json"):
        data = None
        headers = {}
        if body is not None:
            if isinstance(body, (bytes, bytearray)):
                data = bytes(body)
                headers["Content-Type"] = "application/octet-stream"
            else:
                data = json.dumps(body).encode()
                headers["Content-Type"] = content_type
        if token == "admin":
            token = self.admin
        if token is not None:
            headers["Authorization"] = "Bearer " + token
        req = urllib.request.Request(self.url + path, data=data, headers=headers, method=method)
        try:
            with self.opener.open(req, timeout=60) as resp:
                status, raw = resp.status, resp.read()
        except urllib.error.HTTPError as err:
            status, raw = err.code, err.read()
        try:
            return status, json.loads(raw) if raw else None
        except ValueError:
            return status, raw

    def ok(self, method, path, body=None, expect=(200,), **kwargs):
        status, doc = self.request(method, path, body, **kwargs)
        assert status in expect, "%s %s: HTTP %d %r\n%s" % (method, path, status, doc, self.read_log())
        return doc


class Device:
    def __init__(self, root, name, server):
        self.name = name
        self.dir = pathlib.Path(root) / name
        self.dir.mkdir()
        self.key = self.dir / "device.pem"
        self.pub = self.dir / "device.pub.pem"
        run(SUIT_CLI, "keygen", "--alg", "ES256", "-o", self.key, "--pub", self.pub)
        self.store = self.dir / "store"
        self.config = self.dir / "agent.conf"
        self.token_file = self.dir / "token"
        self.server = server

    def register(self, author_pub, tags=("fleet", "lab")):
        doc = self.server.ok("POST", "/api/v1/devices", {
            "id": self.name, "vendor_id": VENDOR, "class_id": CLASS, "tags": list(tags),
            "public_key": self.pub.read_text()}, expect=(201,))
        self.author_pub = author_pub
        assert doc["id"] == self.name and len(doc["token"]) >= 32
        self.token_file.write_text(doc["token"] + "\n")
        os.chmod(self.token_file, 0o600)
        self.write_config(author_pub)

    def write_config(self, author_pub, device_key="device.pem"):
        # the boot of a manifest fails when the file fail-<manifest id> exists
        health = 'test ! -e "%s/fail-$SUIT_AGENT_MANIFEST" && test -d "$SUIT_AGENT_STORE"' % self.dir
        self.config.write_text(
            "[agent]\n"
            "server=%s\n"
            "token-file=token\n"
            "vendor-id=%s\n"
            "class-id=%s\n"
            "store=store\n"
            "device-key=%s\n"
            "trust=%s\n"
            "poll-interval=1\n"
            "jitter=0\n"
            "max-retries=2\n"
            "health-command=%s\n" % (self.server.url, VENDOR, CLASS, device_key, author_pub, health))

    def once(self, expect_exit=0):
        """one `suit-agent --once` round: (outcome, manifest id)"""
        proc = run(SUIT_AGENT, "--config", self.config, "--once", check=False)
        out = proc.stdout.decode()
        err = proc.stderr.decode(errors="replace")
        assert proc.returncode == expect_exit, "%s: exit %d\n%s%s" % (self.name, proc.returncode, out, err)
        if expect_exit != 0:
            return None, err
        lines = out.splitlines()
        assert len(lines) == 1, out
        outcome, manifest = lines[0].split(" ")
        return outcome, manifest

    def fail_boot_of(self, manifest):
        (self.dir / ("fail-" + manifest)).write_text("")

    def store_components(self):
        doc = json.loads(run(SUIT_CLI, "store", "show", "--store", self.store, "--json").stdout)
        return doc["components"]


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def author(workdir, key, name, seq, payload, digest=None):
    """`suit create` of a bootable one-component release whose payload the
    server serves at /payloads/<sha256>; with @digest, the manifest expects
    that digest instead (a release that cannot install)"""
    payload_path = pathlib.Path(workdir) / ("%s.bin" % name)
    payload_path.write_bytes(payload)
    component = {"install-id": ["00"], "vendor-id": VENDOR, "class-id": CLASS,
                 "uri": "/payloads/%s" % sha256(payload), "bootable": True}
    if digest is None:
        component["file"] = str(payload_path)
    else:
        component["install-digest"] = {"algorithm-id": "sha256", "digest-bytes": digest}
        component["install-size"] = len(payload)
    desc = pathlib.Path(workdir) / ("%s.json" % name)
    desc.write_text(json.dumps({"manifest-version": 1, "manifest-sequence-number": seq,
                                "components": [component]}))
    out = pathlib.Path(workdir) / ("%s.suit" % name)
    run(SUIT_CLI, "create", desc, "-o", out, "--key", key)
    return payload_path, out


@pytest.fixture(scope="module")
def fleet(tmp_path_factory):
    assert SUIT_AGENT and os.access(SUIT_AGENT, os.X_OK), "SUIT_AGENT is not built"
    assert SUIT_CLI and os.access(SUIT_CLI, os.X_OK), "SUIT_CLI is not built"
    work = tmp_path_factory.mktemp("fleet")
    author_key = work / "author.pem"
    author_pub = work / "author.pub.pem"
    run(SUIT_CLI, "keygen", "--alg", "ES256", "-o", author_key, "--pub", author_pub)
    server = Server(work, work / "data", author_pub)
    server.start()
    devices = [Device(work, "dev-%02d" % (i + 1), server) for i in range(N_DEVICES)]
    for device in devices:
        device.register(author_pub)
    state = {"work": work, "key": author_key, "pub": author_pub, "server": server, "devices": devices}
    try:
        yield state
    finally:
        server.stop()


def publish(fleet, name, seq, payload, digest=None):
    """uploads the payload and the envelope; returns the manifest summary"""
    server = fleet["server"]
    payload_path, envelope = author(fleet["work"], fleet["key"], name, seq, payload, digest)
    doc = server.ok("POST", "/api/v1/payloads", payload_path.read_bytes(), expect=(200, 201))
    assert doc["digest"] == sha256(payload) and doc["size"] == len(payload)
    summary = server.ok("POST", "/api/v1/manifests", envelope.read_bytes(), expect=(201,))
    assert len(summary["id"]) == 64 and summary["sequence_number"] == seq
    assert summary["vendor_id"] == VENDOR and summary["class_id"] == CLASS
    return summary


def start_campaign(fleet, manifest, waves, ratio):
    doc = fleet["server"].ok("POST", "/api/v1/campaigns", {
        "manifest": manifest, "tags": ["fleet"], "waves": waves, "max_failure_ratio": ratio},
        expect=(201,))
    assert doc["state"] == "running"
    return doc["id"]


def campaign(fleet, cid):
    return fleet["server"].ok("GET", "/api/v1/campaigns/%s" % cid)


def rounds(fleet, cid, max_rounds=8):
    """runs every agent once per round, the failing device last, until the
    campaign is no longer running; returns {device: [outcomes...]}"""
    seen = {d.name: [] for d in fleet["devices"]}
    for _ in range(max_rounds):
        for device in fleet["devices"]:
            outcome, manifest = device.once()
            seen[device.name].append((outcome, manifest))
        if campaign(fleet, cid)["state"] != "running":
            break
    return seen


def events(fleet, **query):
    qs = "&".join("%s=%s" % kv for kv in query.items())
    doc = fleet["server"].ok("GET", "/api/v1/events?limit=10000" + ("&" + qs if qs else ""))
    assert isinstance(doc, list)
    return doc


def test_fleet(fleet):
    server = fleet["server"]
    devices = fleet["devices"]

    # nothing to do yet: every device checks in with nothing installed
    for device in devices:
        assert device.once() == ("none", "-")
    for device in devices:
        doc = server.ok("GET", "/api/v1/devices/%s" % device.name)
        assert doc["state"] == "idle" and doc["installed_manifest"] is None
        assert "token" not in doc and "token_sha256" not in doc

    # 1. the baseline: v1 everywhere
    v1 = publish(fleet, "v1", 1, b"firmware one " * 300)
    c1 = start_campaign(fleet, v1["id"], [100], 0.0)
    seen = rounds(fleet, c1)
    doc = campaign(fleet, c1)
    assert doc["state"] == "completed", doc
    assert doc["counts"]["succeeded"] == N_DEVICES, doc
    for device in devices:
        assert ("installed", v1["id"]) in seen[device.name]
        assert ("confirmed", v1["id"]) in seen[device.name]
        dev = server.ok("GET", "/api/v1/devices/%s" % device.name)
        assert dev["state"] == "succeeded" and dev["installed_manifest"] == v1["id"], dev
        assert dev["sequence_number"] == 1
        [component] = device.store_components()
        assert component["state"] == "confirmed" and component["sha256"] == sha256(b"firmware one " * 300)

    # 2. v2 in two waves; one device cannot boot it
    v2 = publish(fleet, "v2", 2, b"firmware two " * 400)
    failing = next(d for d in devices if d.name == FAILING)
    failing.fail_boot_of(v2["id"])
    c2 = start_campaign(fleet, v2["id"], [50, 100], 0.5)
    first = [d for d in devices if d.once() == ("installed", v2["id"])]
    assert len(first) == N_DEVICES // 2, "wave 0 holds ceil(6 * 50%) devices"
    doc = campaign(fleet, c2)
    assert doc["current_wave"] == 0 and doc["counts"]["installed"] == N_DEVICES // 2, doc
    seen = rounds(fleet, c2)
    doc = campaign(fleet, c2)
    assert doc["state"] == "completed", doc
    assert doc["current_wave"] == 1
    counts = doc["counts"]
    assert counts["total"] == N_DEVICES
    assert counts["succeeded"] == N_DEVICES - 1 and counts["fell_back"] == 1 and counts["failed"] == 0, counts
    assert ("fell-back", v2["id"]) in seen[FAILING], seen[FAILING]
    dev = server.ok("GET", "/api/v1/devices/%s" % FAILING)
    assert dev["state"] == "fell-back" and dev["installed_manifest"] == v1["id"], dev
    assert {"campaign": c2, "manifest": v2["id"], "result": "fell-back"} in [
        {k: h[k] for k in ("campaign", "manifest", "result")} for h in dev["history"]], dev
    [component] = failing.store_components()
    assert component["state"] == "confirmed" and component["sha256"] == sha256(b"firmware one " * 300)
    for device in devices:
        if device is failing:
            continue
        dev = server.ok("GET", "/api/v1/devices/%s" % device.name)
        assert dev["state"] == "succeeded" and dev["installed_manifest"] == v2["id"], dev
        [component] = device.store_components()
        assert component["sha256"] == sha256(b"firmware two " * 400)
    # the device filter of the device list
    fell = server.ok("GET", "/api/v1/devices?state=fell-back")
    assert [d["id"] for d in fell] == [FAILING]

    # the audit log of the campaign
    log = events(fleet, campaign=c2)
    types = [e["type"] for e in log]
    for expected in ("wave-started", "check-in-offer", "report-accepted", "device-installed",
                     "campaign-completed"):
        assert expected in types, (expected, types)
    assert types.count("wave-started") == 2
    seqs = [e["seq"] for e in log]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    mine = events(fleet, device=FAILING, campaign=c2)
    assert mine and all(e["device"] == FAILING for e in mine)
    assert any("fell" in json.dumps(e) for e in mine), mine

    # 3. a bad release: the payload does not match the manifest's digest
    bad_payload = b"firmware three " * 100
    v3 = publish(fleet, "v3", 3, bad_payload, digest=sha256(b"something else"))
    c3 = start_campaign(fleet, v3["id"], [50, 100], 0.2)
    seen = rounds(fleet, c3, max_rounds=3)
    doc = campaign(fleet, c3)
    assert doc["state"] == "halted", doc
    assert doc["halt_reason"], doc
    assert doc["counts"]["failed"] >= 1 and doc["counts"]["succeeded"] == 0, doc
    assert doc["current_wave"] == 0
    failed = [name for name, outs in seen.items() if ("failed", v3["id"]) in outs]
    assert 1 <= len(failed) <= N_DEVICES // 2
    # halted: nobody gets an install offer any more, nothing changed on the devices
    for device in devices:
        assert device.once()[0] == "none"
        [component] = device.store_components()
        assert component["state"] == "confirmed"
    assert "campaign-halted" in [e["type"] for e in events(fleet, campaign=c3)]
    # the operator gives up on it; its devices are free for the next campaign
    assert server.ok("POST", "/api/v1/campaigns/%s/cancel" % c3)["state"] == "cancelled"

    # a forged report is refused: a device (outside the fleet's tag) whose
    # agent signs with a key the server does not know
    intruder = Device(fleet["work"], "intruder", server)
    intruder.register(fleet["pub"], tags=("bench",))
    run(SUIT_CLI, "keygen", "--alg", "ES256", "-o", intruder.dir / "other.pem")
    intruder.write_config(fleet["pub"], device_key="other.pem")
    v4 = publish(fleet, "v4", 4, b"firmware four " * 10)
    c4 = server.ok("POST", "/api/v1/campaigns", {"manifest": v4["id"], "devices": [intruder.name],
                                                 "waves": [100], "max_failure_ratio": 1.0},
                   expect=(201,))["id"]
    outcome, err = intruder.once(expect_exit=1)
    assert "signature-invalid" in err, err
    assert campaign(fleet, c4)["counts"]["installed"] == 0
    assert "report-rejected" in [e["type"] for e in events(fleet, device="intruder")]
    server.ok("POST", "/api/v1/campaigns/%s/cancel" % c4)

    # the agent as a daemon: it installs, boots and confirms on its own, and
    # stops cleanly on SIGTERM
    daemon_device = devices[0]
    v5 = publish(fleet, "v5", 5, b"firmware five " * 50)
    c5 = server.ok("POST", "/api/v1/campaigns", {"manifest": v5["id"], "devices": [daemon_device.name],
                                                 "waves": [100], "max_failure_ratio": 0.0},
                   expect=(201,))["id"]
    daemon_log = open(daemon_device.dir / "daemon.log", "wb")
    daemon = subprocess.Popen([SUIT_AGENT, "--config", str(daemon_device.config)], env=clean_env(),
                              stdout=daemon_log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and campaign(fleet, c5)["state"] != "completed":
            assert daemon.poll() is None, (daemon_device.dir / "daemon.log").read_text()
            time.sleep(0.2)
        assert campaign(fleet, c5)["state"] == "completed", (daemon_device.dir / "daemon.log").read_text()
        daemon.send_signal(signal.SIGTERM)
        assert daemon.wait(timeout=30) == 0
    finally:
        if daemon.poll() is None:
            daemon.kill()
            daemon.wait()
        daemon_log.close()
    dev = server.ok("GET", "/api/v1/devices/%s" % daemon_device.name)
    assert dev["state"] == "succeeded" and dev["installed_manifest"] == v5["id"], dev

    # 4. SIGKILL, restart on the same data directory: nothing acknowledged is lost
    before_devices = server.ok("GET", "/api/v1/devices")
    before_campaigns = {cid: campaign(fleet, cid) for cid in (c1, c2, c3, c4, c5)}
    before_events = events(fleet)
    server.kill()
    server.start()
    # the new server has another port
    for device in devices:
        device.write_config(device.author_pub)
    after_devices = server.ok("GET", "/api/v1/devices")
    assert sorted(before_devices, key=lambda d: d["id"]) == sorted(after_devices, key=lambda d: d["id"])
    for cid, before in before_campaigns.items():
        after = campaign(fleet, cid)
        assert after["state"] == before["state"] and after["counts"] == before["counts"], (before, after)
    after_events = events(fleet)
    assert after_events[:len(before_events)] == before_events
    # and the fleet carries on with the restarted server
    for device in devices:
        assert device.once()[0] == "none"
