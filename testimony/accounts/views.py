"""Console accounts: the two-step login, first-time setup, one's own account, and administration.

Login is two steps. Step 1 checks the password through ``django.contrib.auth.authenticate`` (so
django-axes counts failures and refuses locked accounts) and logs the session in *unverified*;
step 2 checks a second factor and only then marks the session verified (``django_otp.login``).
Every console view requires a verified session (``decorators.console_view``), so a password
alone opens nothing. The session key is rotated at both steps.
"""

from __future__ import annotations

import json
import time
from urllib.parse import unquote, urlsplit

from django.contrib.auth import authenticate, logout, user_login_failed
from django.contrib.auth import login as auth_login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.middleware import csrf
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.i18n import JavaScriptCatalog
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn import exceptions as webauthn_errors
from django_otp_webauthn import views as webauthn_views

from testimony.accounts import selectors, services
from testimony.accounts.decorators import console_public, console_view, is_console_user
from testimony.accounts.forms import (
    AccountCreateForm,
    AccountForm,
    CodeForm,
    KeyNameForm,
    LanguageForm,
    LoginForm,
    NewPasswordForm,
    PasswordChangeForm,
)
from testimony.accounts.middleware import IdleTimeoutMiddleware, is_console_path
from testimony.accounts.models import User
from testimony.audit.services import audit_record

STEP1_AT = "console_step1_at"  # when the password step passed; the second step must follow soon
NEXT = "console_next"
SETUP_USER = "console_setup_user"  # the account whose setup link was spent in this session
SETUP_AT = "console_setup_at"
# Long enough to find the phone; short enough that a half-finished login is not left lying around.
STEP2_SECONDS = 5 * 60
SETUP_SECONDS = 30 * 60

CSS = "console/css/accounts.css"


# --- Helpers ----------------------------------------------------------------------------------


def requested_next(request, *, default: str) -> str:
    """The ``next`` a console form or link carries, if ``safe_next`` lets it through, else ``default``."""
    return safe_next(request, request.POST.get("next") or request.GET.get("next"), default=default)


def safe_next(request, candidate: str | None, *, default: str | None = None) -> str:
    """``candidate`` if it is a console page on this site, else ``default`` (the start page).

    Only same-site paths under /console/ pass: no scheme, no host, no ``//`` or backslash
    tricks, no dot segments (``/console/../``), and not the login steps themselves.
    """
    if default is None:
        default = reverse("console:home")
    if not candidate or len(candidate) > 2000:
        return default
    path = urlsplit(candidate).path
    decoded = unquote(candidate)
    if (
        not is_console_path(candidate)
        or "\\" in decoded
        or "//" in decoded
        or "/.." in decoded
        or any(ord(ch) < 32 for ch in decoded)
        or not url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return default
    if path in {reverse("console:login"), reverse("console:verify"), reverse("console:logout")}:
        return default
    return candidate


def _page(request, template: str, context: dict | None = None, status: int = 200):
    return render(
        request, f"console/accounts/{template}", {"accounts_css": CSS, **(context or {})}, status=status
    )


def _webauthn_config(request) -> dict:
    """What django-otp-webauthn's scripts read from ``json_script`` (no inline script needed)."""
    return {
        "autocompleteLoginFieldSelector": None,
        "nextFieldSelector": "input[name='next']",
        "csrfToken": csrf.get_token(request),
        "beginAuthenticationUrl": reverse("console:webauthn_auth_begin"),
        "completeAuthenticationUrl": reverse("console:webauthn_auth_complete"),
        "beginRegistrationUrl": reverse("console:webauthn_register_begin"),
        "completeRegistrationUrl": reverse("console:webauthn_register_complete"),
    }


def _key_messages() -> dict:
    """Words console/js/accounts.js puts in place of the library's, in the console's language.

    (django-otp-webauthn's script catalogue has no Russian, and its words speak of passkeys.)
    """
    return {
        "notUsed": _(
            "No security key registered for this account answered: the request was cancelled or "
            "timed out, or this key is not one you added. Try again, or use a code."
        ),
        "notAdded": _("The security key was not added. Try again, or try another key."),
        "alreadyAdded": _("This security key is already registered for your account."),
    }


def _qr_svg(uri: str) -> str:
    """The otpauth URI as an inline SVG QR code (no script, no image request, CSP-clean)."""
    import segno

    # segno writes only path data and colours: nothing in it comes from a person's input but
    # the URI, which is encoded into the modules, never written out as text.
    return mark_safe(segno.make(uri, micro=False).svg_inline(scale=5, light="#fff", dark="#000"))  # noqa: S308


def _totp_secret(device: TOTPDevice) -> str:
    import base64

    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _finish_login(request, device, factor: str):
    """Mark the session verified, rotate its key, record the login, go where the person was headed."""
    otp_login(request, device)
    request.session.cycle_key()
    request.session.pop(STEP1_AT, None)
    target = safe_next(request, request.session.pop(NEXT, None))
    services.login_record(user=request.user, factor=factor)
    return target


def lockout_response(request, original_response=None, credentials=None):
    """What django-axes shows for a locked account (settings.AXES_LOCKOUT_CALLABLE).

    The same page and words whether the name exists or not: axes counts failures by name,
    existing or not, so a lockout says nothing about which accounts exist.
    """
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        logout(request)  # a half-finished login (password passed, codes failing) ends here too
    return _page(request, "login.html", {"form": LoginForm(), "locked": True}, status=429)


# --- Login, second step, logout --------------------------------------------------------------------


@console_public
def login_view(request):
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if is_console_user(request.user):
        return redirect(next_url)
    if request.user.is_authenticated and time.time() - request.session.get(STEP1_AT, 0) < STEP2_SECONDS:
        return redirect("console:verify")
    timed_out = getattr(request, "console_timed_out", False) or request.session.pop(
        IdleTimeoutMiddleware.TIMED_OUT, False
    )
    form = LoginForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request=request, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
        )
        if user is None:
            # Unknown name, wrong password, deactivated account: one message for all.
            error = _("The login name or password is not right.")
        elif not selectors.has_confirmed_second_factor(user):
            error = _(
                "This account has no second factor yet. Finish setting it up with your setup link, "
                "or ask an administrator for a new one."
            )
        else:
            auth_login(request, user)  # rotates the session key; the session is not verified yet
            request.session[STEP1_AT] = int(time.time())
            request.session[NEXT] = next_url
            return redirect("console:verify")
    return _page(
        request, "login.html", {"form": form, "error": error, "next": next_url, "timed_out": timed_out}
    )


@console_public
def verify_view(request):
    user = request.user
    if not user.is_authenticated:
        return redirect("console:login")
    if user.is_verified():
        return redirect(safe_next(request, request.session.get(NEXT)))
    if time.time() - request.session.get(STEP1_AT, 0) > STEP2_SECONDS:
        logout(request)
        return _page(request, "login.html", {"form": LoginForm(), "step2_expired": True})
    form = CodeForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        device = services.second_factor_verify(user=user, code=form.cleaned_data["code"])
        if device is not None:
            kind = "backup" if device.persistent_id.startswith("otp_static.") else "totp"
            return redirect(_finish_login(request, device, kind))
        # A wrong code counts towards the same lockout as a wrong password.
        user_login_failed.send(sender=__name__, credentials={"username": user.username}, request=request)
        error = _(
            "That code is not right. Codes change every 30 seconds and backup codes work once. "
            "After a wrong code, wait a few seconds before the next try."
        )
    has_key = any(d.kind == "key" for d in selectors.user_devices(user))
    return _page(
        request,
        "verify.html",
        {
            "form": form,
            "error": error,
            "has_key": has_key,
            "webauthn_config": _webauthn_config(request) if has_key else None,
            "key_messages": _key_messages() if has_key else None,
            "next": request.session.get(NEXT, ""),
        },
    )


@console_public
@require_POST
def logout_view(request):
    logout(request)
    return redirect("console:login")


# --- Security keys (django-otp-webauthn, with our gates around its views) -------------------------------


class SecondFactorOnly:
    """A key is a second factor only: the password step must have passed, recently.

    (settings also turn passwordless login off; this holds even if that setting changes.)
    """

    def check_can_authenticate(self):
        if not self.request.user.is_authenticated:
            raise webauthn_errors.PasswordlessLoginDisabled(detail=_("Log in with your password first."))
        if time.time() - self.request.session.get(STEP1_AT, 0) > STEP2_SECONDS:
            raise webauthn_errors.NotAuthenticated(
                detail=_("Too much time passed since the password step. Log in again.")
            )
        super().check_can_authenticate()


class KeyAuthBegin(SecondFactorOnly, webauthn_views.BeginCredentialAuthenticationView):
    pass


class KeyNotAccepted(webauthn_errors.OTPWebAuthnApiError):
    status_code = 403
    default_code = "key_not_accepted"
    default_detail = gettext_lazy(
        "This security key is not one registered for your account, or its answer was not valid. "
        "Use a key you added to this account, or a code."
    )


class KeyAuthComplete(SecondFactorOnly, webauthn_views.CompleteCredentialAuthenticationView):
    # The library's own words for these speak of passkeys, suggest logging out to use another
    # account's key, and are not in the console's languages; one answer of ours covers them all,
    # and says no more than "not this key" about whose key it was.
    NOT_ACCEPTED = (
        webauthn_errors.CredentialNotFound,
        webauthn_errors.CredentialUserMismatch,
        webauthn_errors.CredentialDisabled,
        webauthn_errors.UnprocessableEntity,
    )

    def post(self, *args, **kwargs):
        try:
            return super().post(*args, **kwargs)
        except self.NOT_ACCEPTED as refused:
            raise KeyNotAccepted() from refused

    def complete_auth(self, device):
        self._target = _finish_login(self.request, device, "key")

    def get_success_url(self):
        return getattr(self, "_target", None) or reverse("console:home")


class KeyRegisterComplete(webauthn_views.CompleteCredentialRegistrationView):
    def post(self, *args, **kwargs):
        from django_otp_webauthn.models import WebAuthnCredential

        with transaction.atomic():
            response = super().post(*args, **kwargs)
            key = WebAuthnCredential.objects.get(pk=json.loads(response.content)["id"])
            audit_record(
                actor=self.request.user,
                action="account.second_factor_add",
                object_type="user",
                object_id=self.request.user.pk,
                details={"kind": "key", "device": key.persistent_id},
            )
        return response


webauthn_auth_begin = console_public(KeyAuthBegin.as_view())
webauthn_auth_complete = console_public(KeyAuthComplete.as_view())
# Adding a key needs a verified session: a password alone must never enrol a new factor.
webauthn_register_begin = console_view(None)(webauthn_views.BeginCredentialRegistrationView.as_view())
webauthn_register_complete = console_view(None)(KeyRegisterComplete.as_view())
webauthn_jsi18n = console_public(JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]))


# --- First-time setup (from the link an administrator or create_reviewer gave) ----------------------------


@console_public
def setup_view(request, token: str):
    user = selectors.setup_token_user(token)
    if user is None:
        return _page(request, "setup_invalid.html", status=404)
    form = NewPasswordForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.setup_password_set(token=token, password=form.cleaned_data["password1"])
        except services.AccountRefused:
            return _page(request, "setup_invalid.html", status=404)
        if request.user.is_authenticated:
            logout(request)  # someone else's session in this browser must not carry over
        request.session.cycle_key()
        request.session[SETUP_USER] = user.pk
        request.session[SETUP_AT] = int(time.time())
        return redirect("console:setup_totp")
    return _page(request, "setup_password.html", {"form": form, "account": user})


def _enrol_totp(request, user: User, *, template: str, done):
    """Show the QR code and secret of an unconfirmed device; confirm it with one code."""
    device = services.totp_device_start(user=user)
    form = CodeForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        if services.totp_device_confirm(user=user, device_id=device.pk, token=form.cleaned_data["code"]):
            return done()
        error = _("That code is not right. Check the phone's clock and try the newest code.")
    return _page(
        request,
        template,
        {
            "form": form,
            "error": error,
            "account": user,
            "qr_svg": _qr_svg(device.config_url),
            "secret": _totp_secret(device),
            "otpauth_uri": device.config_url,
        },
    )


@console_public
def setup_totp_view(request):
    user_id = request.session.get(SETUP_USER)
    if user_id is None or time.time() - request.session.get(SETUP_AT, 0) > SETUP_SECONDS:
        return _page(request, "setup_invalid.html", status=404)
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return _page(request, "setup_invalid.html", status=404)

    def done():
        codes = services.backup_codes_regenerate(user=user)
        request.session.pop(SETUP_USER, None)
        request.session.pop(SETUP_AT, None)
        return _page(request, "backup_codes.html", {"codes": codes, "after_setup": True})

    return _enrol_totp(request, user, template="setup_totp.html", done=done)


# --- One's own account ------------------------------------------------------------------------------

DONE = {
    "password": gettext_lazy("Your password is changed."),
    "language": gettext_lazy("Language saved."),
    "device_removed": gettext_lazy("The device is removed."),
    "totp_added": gettext_lazy("The authenticator app is added."),
    "key_added": gettext_lazy("The security key is added."),
    "key_named": gettext_lazy("The security key's name is saved."),
}


def _account_page(request, *, password_form=None, error=None, status=200):
    done = request.GET.get("done")
    return _page(
        request,
        "account.html",
        {
            "section": "account",
            "password_form": password_form or PasswordChangeForm(user=request.user),
            "language_form": LanguageForm(initial={"language": request.user.console_language}),
            "devices": selectors.user_devices(request.user),
            "webauthn_config": _webauthn_config(request),
            "key_messages": _key_messages(),
            "done": DONE.get(done),
            "error": error,
        },
        status=status,
    )


@console_view(None)
def account_view(request):
    return _account_page(request)


@console_view(None)
@require_POST
def account_password_view(request):
    from django.contrib.auth import update_session_auth_hash

    form = PasswordChangeForm(request.POST, user=request.user)
    if not form.is_valid():
        return _account_page(request, password_form=form, status=400)
    services.user_password_change(user=request.user, password=form.cleaned_data["password1"])
    update_session_auth_hash(request, request.user)  # this session stays; other sessions end
    return redirect(reverse("console:account") + "?done=password")


@console_view(None)
@require_POST
def account_language_view(request):
    form = LanguageForm(request.POST)
    if form.is_valid():
        services.user_language_set(user=request.user, language=form.cleaned_data["language"])
    return redirect(reverse("console:account") + "?done=language")


@console_view(None)
@require_POST
def account_backup_codes_view(request):
    codes = services.backup_codes_regenerate(user=request.user)
    return _page(request, "backup_codes.html", {"codes": codes, "section": "account"})


@console_view(None)
@require_POST
def account_device_remove_view(request):
    try:
        services.device_remove(user=request.user, persistent_id=request.POST.get("device", ""))
    except services.AccountRefused as refusal:
        return _account_page(request, error=str(refusal), status=400)
    return redirect(reverse("console:account") + "?done=device_removed")


@console_view(None)
@require_POST
def account_key_name_view(request):
    form = KeyNameForm(request.POST)
    if not form.is_valid():
        return _account_page(request, error=_("No such device."), status=400)
    try:
        services.key_name_set(
            user=request.user, key_id=form.cleaned_data["key"], name=form.cleaned_data["name"]
        )
    except services.AccountRefused as refusal:
        return _account_page(request, error=str(refusal), status=400)
    return redirect(reverse("console:account") + "?done=key_named")


@console_view(None)
def account_totp_view(request):
    """Add another authenticator app (a new phone) while the old factor still works."""
    return _enrol_totp(
        request,
        request.user,
        template="account_totp.html",
        done=lambda: redirect(reverse("console:account") + "?done=totp_added"),
    )


# --- Administration (user.manage) ---------------------------------------------------------------------


def _setup_url(request, token: str) -> str:
    return request.build_absolute_uri(reverse("console:setup", args=[token]))


@console_view("user.manage")
def users_view(request):
    users = list(selectors.users_for_admin())
    locked = selectors.locked_usernames(u.username for u in users)
    rows = [{"account": u, "locked": u.username in locked, "set_up": u.has_usable_password()} for u in users]
    return _page(request, "users.html", {"section": "users", "rows": rows})


@console_view("user.manage")
def user_create_view(request):
    form = AccountCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.user_create(
                actor=request.user,
                username=data["username"],
                role=data["role"],
                organisation=data["organisation"],
                caseloads=data["caseloads"],
            )
        except ValidationError as invalid:
            form.add_error(None, invalid)
        else:
            return _page(
                request,
                "setup_link.html",
                {
                    "section": "users",
                    "account": created.user,
                    "setup_url": _setup_url(request, created.setup_token),
                },
            )
    return _page(request, "user_form.html", {"section": "users", "form": form, "creating": True})


DONE_ADMIN = {
    "saved": gettext_lazy("Saved."),
    "deactivate": gettext_lazy("The account is deactivated."),
    "reactivate": gettext_lazy("The account is active again."),
    "unlock": gettext_lazy("The account is unlocked."),
}


@console_view("user.manage")
def user_detail_view(request, user_id: int):
    account = selectors.access_user(user=request.user, user_id=user_id)
    initial = {
        "role": account.role,
        "organisation": account.organisation,
        "caseloads": account.caseloads.all(),
    }
    form = AccountForm(request.POST or None, initial=initial)
    error = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_update(
                actor=request.user,
                user_id=account.pk,
                role=data["role"],
                organisation=data["organisation"],
                caseloads=data["caseloads"],
            )
        except (services.AccountRefused, ValidationError) as refusal:
            error = refusal.messages[0] if isinstance(refusal, ValidationError) else str(refusal)
        else:
            return redirect(reverse("console:user", args=[account.pk]) + "?done=saved")
    done = request.GET.get("done")
    return _page(
        request,
        "user_form.html",
        {
            "section": "users",
            "form": form,
            "account": account,
            "error": error,
            "done": DONE_ADMIN.get(done),
            "locked": account.username in selectors.locked_usernames([account.username]),
            "set_up": account.has_usable_password(),
            "is_self": account.pk == request.user.pk,
            "devices": selectors.user_devices(account),
        },
    )


@console_view("user.manage")
@require_POST
def user_action_view(request, user_id: int, action: str):
    account = selectors.access_user(user=request.user, user_id=user_id, for_write=True)
    try:
        if action in ("deactivate", "reactivate"):
            services.user_set_active(actor=request.user, user_id=account.pk, active=action == "reactivate")
        elif action == "unlock":
            services.user_unlock(actor=request.user, user_id=account.pk)
        elif action in ("reset", "setup-link"):
            issue = (
                services.user_second_factor_reset if action == "reset" else services.user_setup_link_reissue
            )
            token = issue(actor=request.user, user_id=account.pk)
            return _page(
                request,
                "setup_link.html",
                {
                    "section": "users",
                    "account": account,
                    "setup_url": _setup_url(request, token),
                    "reset": True,
                },
            )
        else:
            raise Http404
    except services.AccountRefused as refusal:
        return _page(
            request,
            "refused.html",
            {"section": "users", "account": account, "error": str(refusal)},
            status=400,
        )
    return HttpResponseRedirect(reverse("console:user", args=[account.pk]) + f"?done={action}")
