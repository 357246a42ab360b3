"""RFC 3161 timestamps of an evidence package's manifest: ask an authority, check its answer.

A timestamp proves that the manifest (and so every file it lists, and the signature over it)
existed no later than the time the authority signed, without trusting this platform's clock or
its signing key. The request carries a SHA-256 of the manifest only, never its content, and asks
for the authority's certificate in the answer so the token can be checked on its own later.

Pure Python, no Django: the package builder passes the settings in, and ``verify.py`` (used by
``manage.py verify_evidence`` and usable anywhere) checks tokens with ``timestamp_verify``. The
same token checks with ``openssl ts -verify -data manifest.json -in manifest.tsr -CAfile CA.pem``.

ASN.1 and CMS are handled by ``rfc3161-client`` (Trail of Bits), which checks the signer's chain
at the time of the stamp, the critical timeStamping extended key usage, the nonce and the
message imprint. Its DER parser is strict where OpenSSL-based authorities are not: OpenSSL
writes the token's ``certificates`` (a SET OF) in chain order, not sorted as DER requires, and
the library then refuses to parse it. ``der_sorted_certificates`` sorts that set in a copy before
parsing. The set is outside what the authority signs, so the order changes no signature; the
token is kept exactly as received.
"""

from __future__ import annotations

import datetime as dt
import urllib.error
import urllib.request
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import serialization

TSQ_CONTENT_TYPE = "application/timestamp-query"
TSR_CONTENT_TYPE = "application/timestamp-reply"
# An answer is a few kilobytes (the token and the authority's certificates); refuse a flood.
MAX_RESPONSE_BYTES = 256 * 1024
DEFAULT_TIMEOUT_SECONDS = 20.0


class TimestampError(Exception):
    """The authority could not be asked, refused, or its answer does not check out.

    The message says what went wrong in words fit for a report line; it never holds data from
    the package (only the manifest's hash ever leaves).
    """


class TimestampInvalid(TimestampError):
    """The token was read, but it is not a valid stamp of the data by an authority under the CA."""


@dataclass(frozen=True)
class Timestamp:
    token: bytes  # the DER TimeStampResp, as received: what goes in manifest.tsr
    time: dt.datetime  # genTime, aware, UTC
    serial: int
    authority: str  # the signing certificate's subject, RFC 4514


def timestamp_request(data: bytes, *, url: str, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> bytes:
    """Ask the authority at ``url`` to stamp ``data`` (hashed here with SHA-256). Returns the DER answer.

    The answer is checked for well-formedness, a granted status, our nonce and our hash, but not
    against a trust anchor: that is ``timestamp_verify``'s job, with the CA the caller trusts.
    Raises ``TimestampError`` when the authority is unreachable, answers with an HTTP error or a
    refusal, or sends something that is not an answer to this request.
    """
    from rfc3161_client import HashAlgorithm, TimestampRequestBuilder, decode_timestamp_response

    if not url.lower().startswith(("https://", "http://")):
        raise TimestampError("the time-stamping authority's URL must be http or https")
    request = (
        TimestampRequestBuilder()
        .data(data)
        .hash_algorithm(HashAlgorithm.SHA256)
        .nonce(nonce=True)
        .cert_request(cert_request=True)
        .build()
    )
    http_request = urllib.request.Request(  # noqa: S310 (only http and https get here, checked above)
        url,
        data=request.as_bytes(),
        headers={"Content-Type": TSQ_CONTENT_TYPE, "Accept": TSR_CONTENT_TYPE},
        method="POST",
    )
    try:
        # TLS certificates are verified (urllib's default context); plain http is allowed only
        # because the answer is signed and checked, as RFC 3161 intends.
        with urllib.request.urlopen(http_request, timeout=timeout) as response:  # noqa: S310 (as above)
            body = response.read(MAX_RESPONSE_BYTES + 1)
    except urllib.error.HTTPError as error:
        raise TimestampError(f"the time-stamping authority answered HTTP {error.code}") from None
    except (urllib.error.URLError, OSError, TimeoutError) as error:
        reason = getattr(error, "reason", error)
        kind = type(reason).__name__
        raise TimestampError(f"the time-stamping authority could not be reached ({kind})") from None
    if len(body) > MAX_RESPONSE_BYTES:
        raise TimestampError("the time-stamping authority's answer is too large")
    try:
        response = decode_timestamp_response(der_sorted_certificates(body))
    except Exception:  # the library raises ValueError and its own errors for malformed DER
        raise TimestampError("the time-stamping authority's answer is not an RFC 3161 response") from None
    if response.status not in (0, 1):  # granted, granted with modifications
        raise TimestampError(f"the time-stamping authority refused (status {response.status})")
    info = response.tst_info
    if request.nonce is not None and info.nonce != request.nonce:
        raise TimestampError("the time-stamping authority's answer is for another request (nonce)")
    if info.message_imprint.message != request.message_imprint.message:
        raise TimestampError("the time-stamping authority stamped another hash")
    return body


def _tlv(buf: bytes, pos: int, end: int) -> tuple[int, int, int]:
    """(tag, content start, content end) of the DER element at ``pos``; ValueError if malformed."""
    if pos + 2 > end:
        raise ValueError("truncated")
    tag, first = buf[pos], buf[pos + 1]
    if tag & 0x1F == 0x1F:
        raise ValueError("high tag numbers do not occur here")
    pos += 2
    if first < 0x80:
        length = first
    else:
        count = first & 0x7F
        if count == 0 or count > 4 or pos + count > end:
            raise ValueError("bad length")
        length = int.from_bytes(buf[pos : pos + count], "big")
        pos += count
    if pos + length > end:
        raise ValueError("truncated")
    return tag, pos, pos + length


def _children(buf: bytes, start: int, end: int) -> list[tuple[int, int, int, int]]:
    """(tag, element start, content start, content end) of each element between start and end."""
    found = []
    pos = start
    while pos < end:
        tag, content_start, content_end = _tlv(buf, pos, end)
        found.append((tag, pos, content_start, content_end))
        pos = content_end
    return found


def der_sorted_certificates(token: bytes) -> bytes:
    """``token`` with the SignedData's certificates in DER (sorted) order; unchanged if anything is off.

    TimeStampResp ::= SEQUENCE { status, timeStampToken ContentInfo SEQUENCE { contentType,
    [0] EXPLICIT SignedData SEQUENCE { version, digestAlgorithms, encapContentInfo,
    certificates [0] IMPLICIT SET OF, crls [1] OPTIONAL, signerInfos } } }. Sorting keeps every
    length, so only the bytes inside the set move.
    """
    try:
        _tag, start, end = _tlv(token, 0, len(token))
        response = _children(token, start, end)
        if len(response) < 2:
            return token
        _tag, _at, start, end = response[1]
        content_info = _children(token, start, end)
        _tag, _at, start, end = content_info[1]
        _tag, start, end = _tlv(token, start, end)
        for tag, _at, set_start, set_end in _children(token, start, end):
            if tag == 0xA0:
                elements = _children(token, set_start, set_end)
                certificates = sorted(token[at:stop] for _t, at, _s, stop in elements)
                return token[:set_start] + b"".join(certificates) + token[set_end:]
    except (ValueError, IndexError):
        pass  # not ours to judge: the parser says what is wrong
    return token


def _split_chain(ca_pem: bytes) -> tuple[list[x509.Certificate], list[x509.Certificate]]:
    """Roots (self-issued) and intermediates from a PEM bundle."""
    try:
        certificates = x509.load_pem_x509_certificates(ca_pem)
    except ValueError:
        raise TimestampError("the CA file holds no PEM certificate") from None
    roots = [cert for cert in certificates if cert.issuer == cert.subject]
    intermediates = [cert for cert in certificates if cert.issuer != cert.subject]
    if not roots:
        raise TimestampError("the CA file holds no root (self-signed) certificate")
    return roots, intermediates


def timestamp_verify(token: bytes, data: bytes, *, ca_pem: bytes) -> Timestamp:
    """Check that ``token`` is a valid timestamp of ``data`` by an authority chaining to ``ca_pem``.

    Raises ``TimestampError`` saying why not (``TimestampInvalid`` when the signature or the chain
    does not check). Only SHA-256, -384 and -512 imprints are accepted.
    """
    from rfc3161_client import VerificationError, VerifierBuilder, decode_timestamp_response

    roots, intermediates = _split_chain(ca_pem)
    try:
        response = decode_timestamp_response(der_sorted_certificates(token))
    except Exception:
        raise TimestampError("manifest.tsr is not an RFC 3161 response") from None
    builder = VerifierBuilder(roots=roots, intermediates=intermediates)
    try:
        builder.build().verify_message(response, data)
    except VerificationError as error:
        raise TimestampInvalid(f"the timestamp does not verify: {error}") from None
    except Exception as error:  # malformed parts the library only finds while checking
        raise TimestampInvalid(f"the timestamp does not verify ({type(error).__name__})") from None
    _check_embedded_certificates(response, trusted=roots + intermediates)
    info = response.tst_info
    signer = _signer_subject(response)
    return Timestamp(token=token, time=_utc(info.gen_time), serial=info.serial_number, authority=signer)


def _check_embedded_certificates(response, *, trusted: list[x509.Certificate]) -> None:
    """Every certificate the token carries is a trusted one or is signed by one it or we hold.

    The library checks the signer's chain but ignores a carried copy it does not need (the
    authority's root, say), so a changed byte there would pass unnoticed. The set is not signed,
    but a package must show any change: a copy that is not byte-identical to a trusted
    certificate must verify under one.
    """
    from cryptography.exceptions import InvalidSignature

    trusted_der = {cert.public_bytes(serialization.Encoding.DER) for cert in trusted}
    try:
        carried = [x509.load_der_x509_certificate(der) for der in response.signed_data.certificates]
    except ValueError:
        raise TimestampError("the timestamp carries a malformed certificate") from None
    issuers = trusted + carried
    for cert in carried:
        if cert.public_bytes(serialization.Encoding.DER) in trusted_der:
            continue
        for issuer in issuers:
            if issuer is cert or issuer.subject != cert.issuer:
                continue
            try:
                cert.verify_directly_issued_by(issuer)
            except (InvalidSignature, ValueError, TypeError):
                continue
            break
        else:
            raise TimestampError(
                f"the timestamp carries a certificate ({cert.subject.rfc4514_string()[:80]}) "
                "that the CA does not vouch for"
            )


def _signer_subject(response) -> str:
    signer_infos = list(response.signed_data.signer_infos)
    for der in response.signed_data.certificates:
        cert = x509.load_der_x509_certificate(der)
        for signer in signer_infos:
            if cert.issuer == signer.issuer and cert.serial_number == signer.serial_number:
                return cert.subject.rfc4514_string()
    return ""


def _utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
