"""Logging filters that keep what a request carries out of the log."""

from __future__ import annotations

import logging


class RequestPathAsRoute(logging.Filter):
    """Django's "Not Found: /path" and "Bad Request: /path" lines name the route, not the path.

    A path can carry a secret (a one-time setup link's token, a signed download token) or
    anything a probe typed; the route pattern (``console/setup/<str:token>/``) says which page
    without the values. A request that matched no route is logged as such.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if request is not None and isinstance(record.args, tuple) and len(record.args) == 2:
            match = getattr(request, "resolver_match", None)
            route = f"route {match.route}" if match is not None and match.route else "(no route matched)"
            record.args = (record.args[0], route)
        return True
