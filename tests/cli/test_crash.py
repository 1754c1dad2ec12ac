"""Issue 3, check 4: killing `suit install` at random moments of a large
install never leaves a store that fails to produce the previous image.

A 64 MiB image is installed and confirmed; then the install of a second
64 MiB image is killed with SIGKILL after a random delay, again and again.
After each kill the store (opened afresh, as after a reboot) must hold either
the previous image, confirmed, or the complete new image as pending, which
two boots without a confirmation turn back into the previous image.
"""
import hashlib
import os
import random
import signal
import subprocess
import time

from suit_device_common import (SUIT, author, device_args, keypair, store_components, suit_json, suit_ok,
                                tool_env)

SIZE = 64 * 1024 * 1024
BUDGET = 25.0  # seconds for the kill loop
MAX_ROUNDS = 40
MIN_ROUNDS = 6


def make_image(path, seed):
    rnd = random.Random(seed)
    block = rnd.randbytes(1024 * 1024)
    h = hashlib.sha256()
    with open(path, "wb") as f:
        for i in range(SIZE // len(block)):
            chunk = i.to_bytes(8, "little") + block[8:]
            f.write(chunk)
            h.update(chunk)
    return h.hexdigest()


def check_store(store, old_digest, new_digest):
    """the store as a rebooted device finds it; returns its state"""
    comp = store_components(store)["[h'00']"]
    assert comp["state"] in ("confirmed", "pending"), comp
    if comp["state"] == "confirmed":
        assert comp["sha256"] == old_digest, "the previous image is gone"
    else:
        # committed: the new image is complete, the previous one still there
        assert comp["sha256"] == new_digest, "a pending image that is not the new image"
    # what a crash leaves behind was cleaned when the store was opened
    names = os.listdir(store)
    assert not [n for n in names if n.startswith(".suit-tmp-")], names
    assert len([n for n in names if n.endswith(".img")]) <= 2, names
    return comp["state"]


def fall_back(store, old_digest):
    """two boots without a confirmation: back to the previous image"""
    suit_ok("boot", "--store", store)
    doc = suit_json("boot", "--store", store)
    assert doc["fell-back"] == ["[h'00']"]
    comp = doc["components"][0]
    assert comp["state"] == "confirmed" and comp["sha256"] == old_digest


def test_kill_install_at_random_moments(tmp_path):
    rnd = random.Random(os.environ.get("SUIT_CRASH_SEED", str(time.time_ns())))
    author_key, author_pub = keypair(tmp_path, "ES256", "author")
    old_bin, new_bin = tmp_path / "old.bin", tmp_path / "new.bin"
    old_digest = make_image(old_bin, 1)
    new_digest = make_image(new_bin, 2)
    old_env = author(tmp_path, "old", old_bin, old_bin.as_uri(), 1, key=author_key)
    new_env = author(tmp_path, "new", new_bin, new_bin.as_uri(), 2, key=author_key)
    store = tmp_path / "store"

    suit_ok("install", old_env, *device_args(store, author_pub))
    suit_ok("confirm", "--store", store)
    assert store_components(store)["[h'00']"]["sha256"] == old_digest

    # how long an uninterrupted install takes on this store (the median of
    # three, each undone by a fallback)
    times = []
    for _ in range(3):
        start = time.monotonic()
        suit_ok("install", new_env, *device_args(store, author_pub))
        times.append(time.monotonic() - start)
        assert check_store(store, old_digest, new_digest) == "pending"
        fall_back(store, old_digest)
    full = sorted(times)[1]

    args = [SUIT, "install", str(new_env)] + [str(a) for a in device_args(store, author_pub)]
    killed = committed = 0
    deadline = time.monotonic() + BUDGET
    rounds = 0
    while rounds < MAX_ROUNDS and (rounds < MIN_ROUNDS or time.monotonic() < deadline):
        rounds += 1
        delay = rnd.uniform(0.0, full * 1.2)
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=tool_env())
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        _, err = proc.communicate(timeout=60)
        if proc.returncode == -signal.SIGKILL:
            killed += 1
        else:
            assert proc.returncode == 0, err.decode()
        state = check_store(store, old_digest, new_digest)
        if state == "pending":
            committed += 1
            fall_back(store, old_digest)

    # the kills must have landed inside installs, not only after them
    assert killed >= max(3, rounds // 4), (killed, committed, rounds, full)
    # and, still, the new image installs completely afterwards
    suit_ok("install", new_env, *device_args(store, author_pub))
    assert store_components(store)["[h'00']"]["sha256"] == new_digest
    print("crash test: %d rounds, %d killed, %d committed before the kill, install %.3f s"
          % (rounds, killed, committed, full))
