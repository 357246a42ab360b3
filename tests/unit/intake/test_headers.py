"""Security headers on every submitter response."""

import pytest

pytestmark = pytest.mark.django_db

PAGES = ["/ru/", "/uz/followup/", "/api/v1/challenges/"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_are_not_stored_and_leak_no_referrer(client, path):
    response = client.get(path)
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", PAGES)
def test_content_security_policy_is_strict(client, path):
    policy = dict(
        (part.split()[0], part.split()[1:])
        for part in response_policy(client, path).split(";")
        if part.strip()
    )
    assert policy["default-src"] == ["'none'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    all_sources = " ".join(" ".join(values) for values in policy.values())
    assert "unsafe-inline" not in all_sources
    assert "unsafe-eval" not in all_sources
    assert "http" not in all_sources  # no external origin of any kind


def response_policy(client, path):
    return client.get(path)["Content-Security-Policy"]


def test_permissions_policy_allows_only_the_microphone_for_voice_notes(client):
    policy = client.get("/ru/")["Permissions-Policy"]
    assert "geolocation=()" in policy
    assert "camera=()" in policy
    assert "microphone=(self)" in policy


def test_pages_have_no_inline_script_or_style_and_no_external_resource(client):
    html = client.get("/ru/").content.decode()
    assert "<script>" not in html
    assert " style=" not in html
    assert "<style" not in html
    assert "http://" not in html
    for attribute in ('src="http', 'href="http'):
        # Only the quick-exit link may point elsewhere; it is a navigation, not a resource.
        assert html.count(attribute) <= (1 if attribute == 'href="http' else 0)


def test_hsts_is_sent_over_https_in_production(client, settings):
    settings.SECURE_HSTS_SECONDS = 63072000
    response = client.get("/ru/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=63072000")


def test_onion_location_is_advertised_when_configured(client, settings):
    settings.ONION_HOSTNAME = "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz234567.onion"
    response = client.get("/ru/")
    assert response["Onion-Location"].startswith(f"http://{settings.ONION_HOSTNAME}/ru/")


def test_cross_site_posts_are_refused(client):
    response = client.post("/ru/", {}, HTTP_SEC_FETCH_SITE="cross-site")
    assert response.status_code == 403
    response = client.post("/ru/", {}, HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403


def test_same_origin_posts_with_a_null_origin_are_accepted(client):
    # Browsers send Origin: null on same-origin posts when Referrer-Policy is no-referrer.
    response = client.post(
        "/ru/followup/", {"receipt": "1"}, HTTP_ORIGIN="null", HTTP_SEC_FETCH_SITE="same-origin"
    )
    assert response.status_code == 400  # the form's own answer, not a 403


def test_get_pages_are_compressed_but_post_answers_are_not(client):
    page = client.get("/ru/", HTTP_ACCEPT_ENCODING="gzip")
    assert page["Content-Encoding"] == "gzip"
    answer = client.post("/ru/followup/", {"receipt": "1"}, HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in answer
