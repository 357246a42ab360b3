"""Shared bits for the account tests: a person with a password and an authenticator app."""

from __future__ import annotations

PASSWORD = "correct horse battery staple"


def totp_code(device) -> str:
    from django_otp.oath import totp

    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    return f"{code:06d}"


def with_password_and_totp(user, password: str = PASSWORD):
    """Give ``user`` a password and a confirmed authenticator app; return the device."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user.set_password(password)
    user.save(update_fields=["password"])
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def login_step1(client, username: str, password: str = PASSWORD, next_url: str | None = None):
    data = {"username": username, "password": password}
    if next_url is not None:
        data["next"] = next_url
    return client.post("/console/login/", data)
