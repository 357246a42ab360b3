"""An evidence package in Chromium: from the case page to a downloaded ZIP that verifies.

An analyst logs in, opens a case, asks for its package, confirms, follows the job's page (the
unit-test worker is eager, so it is ready at once) and downloads the file through the signed
link; the file verifies, every request stayed on the site, and a screenshot is kept.
"""

from __future__ import annotations

import re

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.browser.conftest import screenshot
from tests.browser.helpers import log_in, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(settings, tmp_path):
    from testimony.accounts.models import Organisation
    from testimony.review.models import Case, CaseReport
    from tests.unit.conftest import make_report

    key = Ed25519PrivateKey.generate()
    (tmp_path / "signing.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    settings.SIGNING_KEY_FILE = tmp_path / "signing.pem"
    settings.EVIDENCE_EXPORT_DIR = tmp_path / "exports"
    settings.EVIDENCE_TSA_URL = None
    organisation = Organisation.objects.create(name="Intake organisation", receives_intake=True)
    user, device = person("dilnoza", "analyst", organisation)
    case = Case.objects.create(organisation=organisation, title="Raid at the Sadovod market")
    for language in ("ru", "uz", "tg"):
        CaseReport.objects.create(case=case, report=make_report(language=language))
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return {"user": user, "device": device, "case": case, "public_key": public}


def test_an_analyst_builds_downloads_and_verifies_a_case_package(browser, live_server, world, tmp_path):
    from testimony.evidence.verify import verify_package

    context = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    page = context.new_page()
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    log_in(page, live_server.url, world["user"], world["device"], lands_on=r".*/console/evidence/$")

    page.goto(f"{live_server.url}/console/cases/{world['case'].pk}/")
    page.click("text=Build evidence package")
    page.wait_for_url(re.compile(r".*/evidence/packages/case/\d+/$"))
    assert "will hold 3 reports" in page.content()
    screenshot(page, "evidence-package-confirm")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/evidence/packages/[0-9a-f-]{36}/$"))
    page.wait_for_selector("text=Download the package")
    assert "3 reports, signed." in page.content()
    screenshot(page, "evidence-package-ready")

    with page.expect_download() as download_info:
        page.click("text=Download the package")
    saved = tmp_path / "package.zip"
    download_info.value.save_as(saved)
    check = verify_package(saved, public_key_pem=world["public_key"])
    assert check.ok, check.problems
    assert len(check.manifest["reports"]) == 3
    outside = [url for url in seen if not url.startswith(live_server.url + "/")]
    assert outside == []
    context.close()
