import os

import pytest

from testimony.crypto import atrest


def _key() -> bytes:
    return os.urandom(32)


def test_seal_round_trip_and_no_plaintext_in_output():
    keys = [_key()]
    sealed = atrest.seal("секретный текст".encode(), context="t:1", keys=keys)
    assert "секретный".encode() not in sealed
    assert atrest.unseal(sealed, context="t:1", keys=keys) == "секретный текст".encode()


def test_a_value_moved_to_another_row_does_not_open():
    keys = [_key()]
    sealed = atrest.seal(b"x", context="message.body:1", keys=keys)
    with pytest.raises(atrest.SealError):
        atrest.unseal(sealed, context="message.body:2", keys=keys)


def test_an_altered_value_does_not_open():
    keys = [_key()]
    sealed = bytearray(atrest.seal(b"hello", context="c", keys=keys))
    sealed[-1] ^= 1
    with pytest.raises(atrest.SealError):
        atrest.unseal(bytes(sealed), context="c", keys=keys)


def test_old_keys_still_open_and_new_writes_use_the_first_key():
    old, new = _key(), _key()
    sealed_old = atrest.seal(b"v", context="c", keys=[old])
    assert atrest.unseal(sealed_old, context="c", keys=[new, old]) == b"v"
    assert not atrest.sealed_with_current_key(sealed_old, keys=[new, old])
    assert atrest.sealed_with_current_key(atrest.seal(b"v", context="c", keys=[new, old]), keys=[new, old])


def test_a_removed_key_no_longer_opens():
    sealed = atrest.seal(b"v", context="c", keys=[_key()])
    with pytest.raises(atrest.SealError):
        atrest.unseal(sealed, context="c", keys=[_key()])
