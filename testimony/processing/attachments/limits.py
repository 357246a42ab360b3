"""Limits on what the worker will decode, and the refusal that carries a reason code.

Attachments come from anyone on the internet, so every decoder runs behind a size guard: a
small file can declare a gigapixel image or hours of silence and exhaust the worker's memory.
"""

from __future__ import annotations

MAX_PIXELS = 50_000_000
"""Largest single frame we decode (50 MP covers every phone camera in use)."""

MAX_TOTAL_PIXELS = 100_000_000
"""Budget over all frames of an animated GIF or WebP (held at once as RGBA: 400 MB at most)."""

MAX_FRAMES = 1_000

MAX_AUDIO_SECONDS = 15 * 60
"""Voice notes longer than this are left sealed for the custodian rather than decoded."""

MAX_SAMPLE_RATE = 192_000
MAX_CHANNELS = 8


class Refused(Exception):
    """Sanitising stopped for a reason the result must carry (``cleaned=False, reason=...``)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# Reason codes, shared by the modules and by the task that flags the attachment.
UNSUPPORTED_FORMAT = "unsupported_format"
CORRUPT = "corrupt"
TOO_LARGE_PIXELS = "too_large_pixels"
TOO_LONG = "too_long"
DOCUMENT_NOT_SANITISED = "document_not_sanitised"
VERIFICATION_FAILED = "verification_failed"
SANDBOX_FAILED = "sandbox_failed"
"""The sandboxed child that decodes attachments (:mod:`.sandbox`) crashed, hit a limit or the
timeout, or sent back something that failed the worker's checks: the original stays sealed."""
