"""Shared fixtures of the Python binding tests (suite 'bindings')."""

import os
import pathlib

import pytest

import suit

VECTORS = pathlib.Path(os.environ.get("SUIT_TEST_VECTORS", "../shared/vectors"))


@pytest.fixture
def vectors():
    """The shared vectors directory (../shared/vectors)."""
    return VECTORS


@pytest.fixture
def draft_keyring():
    """A keyring with the public key of the draft's examples."""
    ring = suit.Keyring()
    ring.add_from_file(str(VECTORS / "keys" / "suit-draft-p256.pub.pem"))
    return ring


@pytest.fixture
def signing_key():
    """A fresh P-256 private key."""
    return suit.Key.generate(suit.KEY_TYPE_P256)
