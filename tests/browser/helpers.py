"""Logging in to the console in Chromium: an account with a password and an authenticator app,
and the two login steps, for every browser test that logs in to the console.
"""

from __future__ import annotations

import re

from django_otp.oath import totp

PASSWORD = "correct horse battery staple 7"
QUEUE = r".*/console/queue/.*"


def person(username: str, role: str, organisation):
    """An account that can log in with ``PASSWORD`` and a confirmed TOTP device: (user, device)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from testimony.accounts.models import User

    user = User.objects.create(username=username, role=role, organisation=organisation)
    user.set_password(PASSWORD)
    user.save()
    return user, TOTPDevice.objects.create(user=user, name="", confirmed=True)


def password_step(page, base_url: str, user) -> None:
    """The first login step; waits for the second-factor page."""
    page.goto(f"{base_url}/console/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r".*/console/verify/.*"))


def log_in(page, base_url: str, user, device, *, lands_on: str = QUEUE) -> None:
    """Password, then the TOTP code; waits for the page the role lands on."""
    password_step(page, base_url, user)
    device.refresh_from_db()
    page.fill("input[name=code]", f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}")
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(lands_on))
