"""A broker outage delays processing but loses nothing: the sweeper catches up when it returns.

In a module of its own so that no other worker (whose sweeper would process these rows over
another broker) runs against the database meanwhile.
"""

from __future__ import annotations

import time

import pytest

from testimony.intake.models import Submission
from tests.conftest import valid_report
from tests.integration.conftest import start_platform, submit_report, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_submissions_made_while_the_broker_is_down_are_processed_when_it_returns(
    private_redis, integration_logs
):
    outage = start_platform(broker_url=private_redis.url, logs=integration_logs / "outage")
    try:
        private_redis.stop()
        for n in range(5):
            status, body = submit_report(outage, valid_report(account=f"Во время сбоя {n}"))
            assert status == 201, body
        assert Submission.objects.filter(status=Submission.Status.RECEIVED).count() == 5
        time.sleep(2)
        private_redis.start()
        wait_for(
            lambda: Submission.objects.filter(status=Submission.Status.PROCESSED).count() == 5,
            timeout=150,
            interval=1,
            what="the sweeper to process what arrived during the outage",
        )
    finally:
        outage.stop()
