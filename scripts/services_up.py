"""Exit 0 if every service URL given answers on its port, 1 otherwise; says which is missing.

Usage: python3 scripts/services_up.py postgres://127.0.0.1:5432 redis://127.0.0.1:6379
(standard library only, so CI can run it before any install)
"""

import socket
import sys
from urllib.parse import urlparse

DEFAULT_PORTS = {"postgres": 5432, "postgresql": 5432, "redis": 6379, "rediss": 6379}


def reachable(url: str) -> bool:
    parsed = urlparse(url)
    port = parsed.port or DEFAULT_PORTS.get(parsed.scheme, 0)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", port), timeout=2):
            return True
    except OSError:
        return False


def main(urls: list[str]) -> int:
    down = [url for url in urls if not reachable(url)]
    for url in down:
        print(f"not reachable: {url}")
    return 1 if down else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
