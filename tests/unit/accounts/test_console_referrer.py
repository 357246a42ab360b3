"""Console forms post with a real Origin: a "no-referrer" policy would make browsers send "null",
which Django's CSRF check refuses, and nobody could log in (found by the browser test)."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_console_pages_keep_the_origin_for_their_own_posts():
    response = Client().get("/console/login/")
    assert response["Referrer-Policy"] == "same-origin"
    assert '<meta name="referrer" content="same-origin">' in response.content.decode()


def test_a_login_post_with_the_browsers_origin_passes_the_csrf_check():
    client = Client(enforce_csrf_checks=True)
    page = client.get("/console/login/")
    token = page.context["csrf_token"]
    response = client.post(
        "/console/login/",
        {"username": "nobody", "password": "wrong password", "csrfmiddlewaretoken": str(token)},
        headers={"Origin": "http://testserver"},
    )
    assert response.status_code != 403


def test_the_submitter_side_still_sends_no_referrer():
    response = Client().get("/ru/")
    assert response["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize(
    ("accept", "expected"),
    [("", "en"), ("ru-RU,ru;q=0.9", "ru"), ("uz,ru;q=0.5", "ru"), ("uz,kk", "en"), ("en-GB", "en")],
)
def test_before_login_the_console_speaks_the_browsers_first_console_language(accept, expected):
    headers = {"Accept-Language": accept} if accept else {}
    response = Client().get("/console/login/", headers=headers)
    assert response["Content-Language"] == expected
