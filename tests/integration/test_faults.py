"""Faults on the real stack: a worker killed outright, and submissions that can never be opened.

Each test runs its own web process and worker on a private redis-server, so messages a killed
worker left unacknowledged die with that Redis and reach no later test, and no other worker
(whose sweeper would take rows over) runs against the database meanwhile. A broker that goes down
and comes back is test_broker_outage.py.

Recovery from a killed worker, as configured: tasks ack late, so the killed worker's messages
stay in Redis's unacked set, and Redis hands them out again only after the broker's
``visibility_timeout`` (2 x the hard time limit + 60 s: 150 s with the limits below), longer than
this test waits. What brings the work back here is the sweeper (beat, every
SWEEP_INTERVAL_SECONDS): rows left ``processing`` past their ``processing_deadline`` (claim time +
2 x PROCESSING_TIME_LIMIT_SECONDS) go back to ``received``, and ``received`` rows are enqueued
again. Any duplicate delivery is a no-op because a task claims its row by compare-and-set.
"""

from __future__ import annotations

import re
from collections import Counter

import pyrage
import pytest
from django.db.models import Count

from testimony.crypto import age, padding
from testimony.intake.models import Submission
from testimony.processing import failures
from testimony.processing.bench_texts import samples
from testimony.review.models import Report
from tests.conftest import valid_report
from tests.integration.conftest import post_ciphertext, start_platform, submit_report, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

# Short limits and a quick sweeper: a stuck row is released 30 s after it was claimed and enqueued
# again within 2 s. Not the 10 s minimum: a fresh pool child loads the analysis models inside its
# first task, which takes 8-10 s on a loaded 2-core machine, so a 10 s soft limit would now and
# then fail a good submission as "crashed" and make these tests flaky.
FAST_RECOVERY = {"PROCESSING_TIME_LIMIT_SECONDS": "15", "SWEEP_INTERVAL_SECONDS": "2"}
_PROCESS_RECEIVED = re.compile(r"Task processing\.process_submission\[[0-9a-f-]+\] received")
_SWEEP_DONE = re.compile(r"Task processing\.sweep_stale\[[0-9a-f-]+\] succeeded in [0-9.e-]+s: (\d+)")


def _statuses() -> Counter:
    rows = Submission.objects.values("status").annotate(n=Count("id"))
    return Counter({row["status"]: row["n"] for row in rows})


def _submit_new(platform, ciphertext: bytes) -> Submission:
    """Post a ciphertext through the API and return the row it made (callers submit one at a time)."""
    before = set(Submission.objects.values_list("id", flat=True))
    status, body = post_ciphertext(platform, ciphertext)
    assert status == 201, body
    return Submission.objects.exclude(id__in=before).get()


def test_a_worker_killed_mid_task_loses_nothing_and_processes_each_submission_once(
    private_redis, integration_logs
):
    platform = start_platform(
        broker_url=private_redis.url,
        logs=integration_logs / "sigkill",
        extra_env=FAST_RECOVERY,
        worker=False,
    )
    try:
        # given 40 realistic (~1 KB, every language) submissions waiting for a worker
        for sample in samples(40, size=1024, seed=7):
            status, body = submit_report(
                platform, valid_report(account=sample.text, language=sample.language)
            )
            assert status == 201, body
        assert _statuses() == Counter({Submission.Status.RECEIVED: 40})

        # when the worker, its pool children and its beat are SIGKILLed with work in hand
        def a_few_done_and_more_in_hand() -> bool:
            counts = _statuses()
            return counts[Submission.Status.PROCESSED] >= 3 and counts[Submission.Status.PROCESSING] >= 1

        platform.start_worker()
        wait_for(
            a_few_done_and_more_in_hand,
            timeout=60,
            interval=0.05,
            what="the worker to process a few submissions",
        )
        platform.kill_worker()
        at_kill = _statuses()
        assert at_kill[Submission.Status.PROCESSED] < 40, f"the kill came after all the work: {at_kill}"
        assert at_kill[Submission.Status.FAILED] == 0, at_kill
        done_before = dict(Report.objects.values_list("submission_id", "text_sealed"))

        # and a new worker starts
        platform.start_worker(log_name="worker-after-kill.log")

        # then every submission ends processed, each with exactly one report
        wait_for(
            lambda: _statuses()[Submission.Status.PROCESSED] == 40,
            timeout=70,
            interval=0.5,
            what=f"all 40 to be processed after the kill (state at the kill: {dict(at_kill)})",
        )
        assert _statuses() == Counter({Submission.Status.PROCESSED: 40})
        assert Report.objects.count() == 40
        assert set(Report.objects.values_list("submission_id", flat=True)) == set(
            Submission.objects.values_list("id", flat=True)
        )
        # what was finished before the kill was not processed again (a rerun seals with a new nonce)
        after = dict(
            Report.objects.filter(submission_id__in=done_before).values_list("submission_id", "text_sealed")
        )
        assert {key: bytes(value) for key, value in after.items()} == {
            key: bytes(value) for key, value in done_before.items()
        }
        assert not Submission.objects.exclude(failure_reason="").exists()
    finally:
        platform.stop()


def test_a_submission_that_cannot_be_opened_fails_with_a_code_once_and_is_not_retried(
    private_redis, integration_logs
):
    platform = start_platform(
        broker_url=private_redis.url,
        logs=integration_logs / "corrupt",
        extra_env=FAST_RECOVERY,
        worker=False,
    )
    try:
        # given, before any worker runs: a report encrypted to someone else's key, a well-formed
        # age file of garbage to our key, a good report whose stored ciphertext then has a byte
        # flipped, and one good report
        padded = padding.pad_report(valid_report())
        stranger = str(pyrage.x25519.Identity.generate().to_public())
        other_key = _submit_new(platform, age.encrypt(padded, stranger))
        garbage = _submit_new(platform, age.encrypt_to_intake(bytes(len(padded))))
        flipped = _submit_new(platform, age.encrypt_to_intake(padded))
        ciphertext = bytearray(flipped.report_ciphertext)
        ciphertext[-5] ^= 0x01  # inside the last payload chunk: its authentication fails
        Submission.objects.filter(id=flipped.id).update(report_ciphertext=bytes(ciphertext))
        good = _submit_new(platform, age.encrypt_to_intake(padded))

        # when a worker takes them
        platform.start_worker()
        wait_for(
            lambda: (
                not Submission.objects.filter(
                    status__in=[Submission.Status.RECEIVED, Submission.Status.PROCESSING]
                ).exists()
            ),
            timeout=60,
            interval=0.25,
            what="the worker to settle all four",
        )

        # then each bad one is failed, with a code and nothing else, and only the good one has a report
        expected = {
            other_key.id: (Submission.Status.FAILED, failures.UNDECRYPTABLE, None),
            garbage.id: (Submission.Status.FAILED, failures.INVALID_REPORT, None),
            flipped.id: (Submission.Status.FAILED, failures.UNDECRYPTABLE, None),
            good.id: (Submission.Status.PROCESSED, "", None),
        }

        def state() -> dict:
            rows = Submission.objects.values_list("id", "status", "failure_reason", "processing_deadline")
            return {sid: (status, reason, deadline) for sid, status, reason, deadline in rows}

        assert state() == expected
        assert list(Report.objects.values_list("submission_id", flat=True)) == [good.id]

        # and nothing takes them up again over several sweeper periods: no retry, no loop
        sweeps_then = len(_SWEEP_DONE.findall(platform.log_text()))
        wait_for(
            lambda: len(_SWEEP_DONE.findall(platform.log_text())) >= sweeps_then + 3,
            timeout=30,
            interval=0.5,
            what="three more sweeper runs",
        )
        log = platform.log_text()
        assert state() == expected
        re_enqueued = [int(n) for n in _SWEEP_DONE.findall(log)]
        # (the first sweep after they settled may have started before)
        assert re_enqueued[sweeps_then + 1 :] == [0] * (len(re_enqueued) - sweeps_then - 1)
        # One delivery each, plus any copy the sweeper sent while one still waited in the queue (a
        # copy finds the row claimed and does nothing); a retry would be one more delivery.
        assert len(_PROCESS_RECEIVED.findall(log)) == 4 + sum(re_enqueued)
    finally:
        platform.stop()
