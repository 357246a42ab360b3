"""Why processing failed, as codes, and the only exceptions our tasks let Celery see.

A failure reason never holds text from a report. Neither does a log line: an exception raised
by a third-party library (the analysis models, an image decoder, a database driver quoting a
value) may carry report text in its message, and Celery logs a task's exception with its message
and traceback ("Task ... raised unexpected: ..."), sends it to ``task_failure`` handlers and
events, and stores it with the result. ``scrubbed_failures`` therefore replaces every exception
leaving a task by one that holds the original's class name and nothing else.

Why re-raising a scrubbed exception rather than a logging filter on Celery's loggers: a filter
depends on Celery's logger names and record layout (``celery.app.trace``, its ``data`` extra,
``exc_info``), which change between versions, and it covers logging only. The scrubbed exception
is the only one anything downstream ever receives: Celery's error and retry lines, the
traceback, signal handlers, monitoring events, a result backend and any error-reporting
integration a deployment adds.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from celery.exceptions import Ignore, Reject, Retry

UNDECRYPTABLE = "undecryptable"
INVALID_REPORT = "invalid_report"
BAD_ATTACHMENT = "bad_attachment"
CRASHED = "crashed"

# Raised by Celery itself inside a task to steer it; they hold no report text and must pass as-is.
_CELERY_CONTROL = (Retry, Ignore, Reject)

F = TypeVar("F", bound=Callable[..., Any])


class TaskCrashed(Exception):
    """An unexpected error in a task; ``args`` is the original exception's class name only."""


class TransientFailure(TaskCrashed):
    """A named transient error (the database briefly away): retried with backoff, class name only."""


def scrubbed_failures(transient: tuple[type[BaseException], ...] = ()) -> Callable[[F], F]:
    """Decorate a task's body so that no exception leaves it with a message or a traceback of its own.

    Errors of the ``transient`` types become ``TransientFailure`` (put that in the task's
    ``autoretry_for``); any other ``Exception`` becomes ``TaskCrashed``. Celery's own control
    exceptions (retry, ignore, reject) pass unchanged. Cleanup the task needs on failure (a row
    released, a failed state recorded) belongs inside the body or in the task's ``on_failure``.
    """

    def decorate(run: F) -> F:
        @functools.wraps(run)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return run(*args, **kwargs)
            except _CELERY_CONTROL:
                raise
            except transient as exc:
                scrubbed: TaskCrashed = TransientFailure(type(exc).__name__)
            except Exception as exc:
                scrubbed = TaskCrashed(type(exc).__name__)
            # Raised here, after the except blocks, not inside them: an exception raised while
            # handling another keeps it as __context__, and a formatted traceback would print
            # the original with its message. Out here there is nothing to chain.
            raise scrubbed

        return wrapper  # type: ignore[return-value]

    return decorate
