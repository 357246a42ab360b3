"""gunicorn settings: no access log, because its lines would carry addresses and times."""

import logging
import os
import re

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
timeout = 60
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# Uploads are held in memory (never in temp files); cap request lines and headers.
limit_request_line = 4094
limit_request_fields = 60
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn 25+ opens a control socket in $HOME by default: nothing here uses it, and the
# containers' filesystems are read-only.
control_socket_disable = True


class NoPeerAddress(logging.Filter):
    """Blanks the peer's address in gunicorn's warning about a malformed request ("Invalid request
    from ip=203.0.113.5: ..."), the one error-log line that names it: without a proxy in front,
    that is the visitor's address."""

    _ADDRESS = re.compile(r"\bip=\S*(?=: )")

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and "ip=" in record.msg:
            record.msg = self._ADDRESS.sub("ip=(not logged)", record.msg)
        return True


class NoRequestUri(logging.Filter):
    """Blanks the URI in gunicorn's "Error handling request GET /path?query" line (an exception
    that left the application before it answered): a path can carry a one-time setup link's
    token or a signed download token, which Django's own lines leave out too
    (``config.logfilters.RequestPathAsRoute``). The traceback that follows is kept."""

    def filter(self, record: logging.LogRecord) -> bool:
        if (
            isinstance(record.msg, str)
            and record.msg.startswith("Error handling request %s")
            and isinstance(record.args, tuple)
            and record.args
        ):
            record.args = (*record.args[:-1], "(not logged)")
        return True


def post_worker_init(worker) -> None:
    """Keep peer addresses and request URIs out of the worker's error log (``NoPeerAddress``,
    ``NoRequestUri``), then move what the loaded application holds (Django, the models, the
    translations) out of the cyclic garbage collector's reach. Its full passes walk every tracked
    object, and with all of that tracked a pass took 50-70 ms: the occasional slow queue page in
    bench_console."""
    import gc

    worker.log.error_log.addFilter(NoPeerAddress())
    worker.log.error_log.addFilter(NoRequestUri())
    gc.freeze()
