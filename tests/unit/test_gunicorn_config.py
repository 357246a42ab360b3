"""config/gunicorn.py: no client address in gunicorn's own log lines (DESIGN: none is logged)."""

from __future__ import annotations

import logging
from types import SimpleNamespace

import pytest

from config import gunicorn as gunicorn_config


@pytest.fixture
def error_log(monkeypatch):
    """gunicorn's error logger, with the worker set up as gunicorn does it (gc.freeze would freeze
    the test process: skipped)."""
    monkeypatch.setattr("gc.freeze", lambda: None)
    log = logging.getLogger("tests.gunicorn.error")
    gunicorn_config.post_worker_init(SimpleNamespace(log=SimpleNamespace(error_log=log)))
    yield log
    log.filters.clear()


@pytest.mark.parametrize("address", ["203.0.113.5", "2001:db8::17", "::1"])
def test_the_malformed_request_warning_keeps_its_reason_but_not_the_address(error_log, caplog, address):
    # when gunicorn refuses a request line (its message, as workers/base.py formats it)
    with caplog.at_level(logging.WARNING, logger="tests.gunicorn.error"):
        message = "Invalid request from ip={ip}: {error}"
        error_log.warning(message.format(ip=address, error="Invalid HTTP method: 'GARBAGE\\x01'"))
    # then the line says what was wrong, and not who sent it
    [line] = caplog.messages
    assert address not in line
    assert line == "Invalid request from ip=(not logged): Invalid HTTP method: 'GARBAGE\\x01'"


@pytest.mark.parametrize(
    ("message", "args"),
    [
        ("Error handling request %s %s", ("GET", "/console/setup/SETUP-TOKEN-MARKER/?next=x")),
        ("Error handling request %s", ("/console/setup/SETUP-TOKEN-MARKER/",)),
    ],
)
def test_an_application_error_line_keeps_the_request_uri_out(error_log, caplog, message, args):
    # when an exception leaves the application before it answered (workers/base.py's handle_error)
    with caplog.at_level(logging.ERROR, logger="tests.gunicorn.error"):
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            error_log.exception(message, *args)
    # then the line and its traceback are there, and not the path's token
    [record] = caplog.records
    assert "SETUP-TOKEN-MARKER" not in caplog.text
    assert record.getMessage().startswith("Error handling request ")
    assert record.getMessage().endswith("(not logged)")
    assert "RuntimeError: boom" in caplog.text


def test_gunicorn_reads_the_settings_it_is_given():
    """The module's names are settings gunicorn knows (a misspelt one would be ignored silently)."""
    from gunicorn.config import Config

    config = Config()
    for name in ("bind", "workers", "accesslog", "control_socket_disable", "forwarded_allow_ips"):
        config.set(name, getattr(gunicorn_config, name))
    assert config.accesslog is None
    assert config.control_socket_disable is True
