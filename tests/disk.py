"""Searching the disk for bytes that must never be written there (plaintext, addresses)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path


def files_containing(needle: bytes, roots: Iterable[Path], *, since: float) -> list[str]:
    """Files under ``roots`` modified at or after ``since`` that contain ``needle``.

    Other processes (a browser, pytest) create and delete temporary files while this walks, so a
    file or folder that vanishes is skipped, not an error.
    """
    hits = []
    for root in set(roots):
        for folder, _dirs, names in os.walk(root):  # os.walk ignores folders that vanish
            for name in names:
                path = Path(folder) / name
                try:
                    if path.is_file() and path.stat().st_mtime >= since and needle in path.read_bytes():
                        hits.append(str(path))
                except OSError:
                    continue
    return hits
