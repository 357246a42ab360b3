import math

import pytest

from testimony.crypto import receipts


def test_receipt_has_at_least_64_bits_and_only_digits():
    receipt = receipts.new_receipt()
    assert receipt.isdigit()
    assert receipt.isascii()
    assert math.log2(10 ** len(receipt)) >= 64


def test_receipts_differ():
    assert len({receipts.new_receipt() for _ in range(200)}) == 200


def test_format_in_groups_of_four():
    assert receipts.format_receipt("12345678901234567890") == "1234 5678 9012 3456 7890"


@pytest.mark.parametrize(
    "typed",
    [
        "1234 5678 9012 3456 7890",
        "1234-5678-9012-3456-7890",
        "١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦٧٨٩٠",
        "１２３４５６７８９０１２３４５６７８９０",
    ],
)
def test_normalise_accepts_spacing_and_other_digit_scripts(typed):
    assert receipts.normalise_receipt(typed) == "12345678901234567890"


@pytest.mark.parametrize("typed", ["", "1234", "1234 5678 9012 3456 789O", "12345678901234567890 1"])
def test_normalise_refuses_non_receipts(typed):
    assert receipts.normalise_receipt(typed) is None


def test_derive_is_deterministic_and_keyed():
    one = receipts.derive("12345678901234567890")
    assert one == receipts.derive("12345678901234567890")
    assert one.lookup != receipts.derive("12345678901234567891").lookup
    assert "12345678901234567890" not in one.lookup


def test_lookup_depends_on_the_pepper(settings):
    before = receipts.derive("12345678901234567890").lookup
    settings.RECEIPT_PEPPER = "b3RoZXItcGVwcGVyLW90aGVyLXBlcHBlci0xMjM0NTY="
    assert receipts.derive("12345678901234567890").lookup != before


def test_only_the_right_receipt_unwraps_the_secret():
    keys = receipts.derive("12345678901234567890")
    salt, wrapped = receipts.wrap_secret(keys, b"AGE-SECRET-KEY-1TEST")
    assert receipts.unwrap_secret(keys, salt, wrapped) == b"AGE-SECRET-KEY-1TEST"
    assert receipts.unwrap_secret(receipts.derive("12345678901234567891"), salt, wrapped) is None


def test_receipts_derive_concurrently_without_deadlock(settings):
    # Web servers derive receipt keys in several threads at once; one KDF backend deadlocked here.
    from concurrent.futures import ThreadPoolExecutor

    settings.RECEIPT_KDF_LANES = 4
    with ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(receipts.derive, f"{n:020d}") for n in range(8)]
        results = [future.result(timeout=30) for future in futures]
    assert len({result.lookup for result in results}) == 8
