import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from testimony.crypto import padding


@given(st.integers(min_value=0, max_value=1 << 40))
def test_padme_never_shrinks_and_overhead_is_at_most_12_percent(length):
    padded = padding.padme(length)
    assert padded >= length
    assert padded - length <= max(1, length * 0.12)


@given(st.integers(min_value=0, max_value=1 << 30))
def test_padme_output_is_a_fixed_point(length):
    padded = padding.padme(length)
    assert padding.padme(padded) == padded


def test_padme_known_values():
    # Worked by hand from the definition (E = floor(log2 L), S = floor(log2 E) + 1, clear E - S low bits);
    # the browser's padding module is tested against the same table.
    assert [padding.padme(n) for n in (0, 1, 2, 9, 100, 1000, 5000, 70000)] == [
        0,
        1,
        2,
        10,
        104,
        1024,
        5120,
        71680,
    ]


def test_report_round_trip_is_padded_to_a_bucket(report):
    padded = padding.pad_report(report)
    assert len(padded) >= padding.REPORT_MIN_BYTES
    assert padding.is_bucket_size(len(padded), padding.REPORT_MIN_BYTES)
    assert padding.unpad_report(padded) == report


def test_reports_of_different_lengths_share_a_bucket(report):
    short = padding.pad_report(report | {"account": "коротко"})
    longer = padding.pad_report(report | {"account": "коротко" * 100})
    assert len(short) == len(longer) == padding.REPORT_MIN_BYTES


def test_unpad_refuses_a_truncated_report(report):
    padded = padding.pad_report(report)
    with pytest.raises(padding.PaddingError):
        padding.unpad_report(padded[:-1])


def test_unpad_refuses_json_that_is_not_an_object():
    body = json.dumps([1, 2]).encode()
    with pytest.raises(padding.PaddingError):
        padding.unpad_report(body + b" " * (padding.REPORT_MIN_BYTES - len(body)))


def test_attachment_container_round_trip():
    item = padding.AttachmentPlaintext(
        name="фото.jpg", content_type="image/jpeg", content=b"\xff\xd8" + b"x" * 70000
    )
    packed = padding.pack_attachment(item)
    assert padding.is_bucket_size(len(packed), padding.ATTACHMENT_MIN_BYTES)
    assert padding.unpack_attachment(packed) == item


@pytest.mark.parametrize(
    "mangle",
    [
        lambda b: b[:-1],
        lambda b: b"XXXXX\n" + b[6:],
        lambda b: b[:6] + (10**6).to_bytes(4, "big") + b[10:],
    ],
    ids=["truncated", "bad-magic", "header-too-long"],
)
def test_unpack_refuses_damaged_containers(mangle):
    packed = padding.pack_attachment(
        padding.AttachmentPlaintext(name="a.txt", content_type="text/plain", content=b"hi")
    )
    with pytest.raises(padding.PaddingError):
        padding.unpack_attachment(mangle(packed))
