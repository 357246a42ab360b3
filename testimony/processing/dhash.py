"""The 64-bit difference hash of an image, before it is keyed (``review.similar.image_hash``).

It lives here, without Django and outside the attachments package (whose imports the web process
does not need), so that the sandbox child, which has the image decoded anyway, computes it: the
worker must not decode the bytes the child sends back (``processing.attachments.sandbox``).
"""

from __future__ import annotations

import io


def difference_hash(content: bytes) -> int | None:
    """Each bit says whether a pixel of a 9x8 greyscale thumbnail is brighter than its right-hand
    neighbour, row by row; None when the bytes are no image."""
    from PIL import Image  # only when hashing: the web process imports review.similar too

    try:
        with Image.open(io.BytesIO(content)) as image:
            image.draft("L", (64, 64))  # JPEG: decode at reduced size, far faster
            small = image.convert("L").resize((9, 8), Image.Resampling.LANCZOS)
            pixels = list(small.tobytes())  # mode "L": one byte per pixel, row by row
    except Exception:  # our own re-encoded image should open; anything else has no hash
        return None
    bits = 0
    for row in range(8):
        for col in range(8):
            left, right = pixels[row * 9 + col], pixels[row * 9 + col + 1]
            bits = (bits << 1) | (1 if left > right else 0)
    return bits
