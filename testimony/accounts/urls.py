"""Console URLs of this app; included into the "console" namespace by config/console_urls.py."""

from django.urls import path

from testimony.accounts import views
from testimony.accounts import views_organisations as organisations

urlpatterns: list = [
    # Login, in two steps, and logout.
    path("login/", views.login_view, name="login"),
    path("verify/", views.verify_view, name="verify"),
    path("logout/", views.logout_view, name="logout"),
    # First-time setup from a one-time link.
    path("setup/authenticator/", views.setup_totp_view, name="setup_totp"),
    path("setup/<str:token>/", views.setup_view, name="setup"),
    # One's own account.
    path("account/", views.account_view, name="account"),
    path("account/password/", views.account_password_view, name="account_password"),
    path("account/language/", views.account_language_view, name="account_language"),
    path("account/backup-codes/", views.account_backup_codes_view, name="account_backup_codes"),
    path("account/devices/remove/", views.account_device_remove_view, name="account_device_remove"),
    path("account/keys/name/", views.account_key_name_view, name="account_key_name"),
    path("account/authenticator/", views.account_totp_view, name="account_totp"),
    # Security keys (django-otp-webauthn's ceremonies, behind our gates).
    path("webauthn/authentication/begin/", views.webauthn_auth_begin, name="webauthn_auth_begin"),
    path("webauthn/authentication/complete/", views.webauthn_auth_complete, name="webauthn_auth_complete"),
    path("webauthn/registration/begin/", views.webauthn_register_begin, name="webauthn_register_begin"),
    path(
        "webauthn/registration/complete/", views.webauthn_register_complete, name="webauthn_register_complete"
    ),
    path("webauthn/jsi18n/", views.webauthn_jsi18n, name="webauthn_jsi18n"),
    # Administration.
    path("users/", views.users_view, name="users"),
    path("users/new/", views.user_create_view, name="user_create"),
    path("users/<int:user_id>/", views.user_detail_view, name="user"),
    path(
        "users/<int:user_id>/<slug:action>/",
        views.user_action_view,
        name="user_action",
    ),
    # Organisations, their caseloads and who belongs to them.
    path("organisations/", organisations.organisations_view, name="organisations"),
    path("organisations/<int:organisation_id>/", organisations.organisation_view, name="organisation"),
    path(
        "organisations/<int:organisation_id>/caseloads/",
        organisations.organisation_caseload_create_view,
        name="organisation_caseload_create",
    ),
    path(
        "organisations/<int:organisation_id>/members/",
        organisations.organisation_member_add_view,
        name="organisation_member_add",
    ),
    path("organisations/caseloads/<int:caseload_id>/", organisations.caseload_view, name="caseload"),
    path(
        "organisations/caseloads/<int:caseload_id>/archive/",
        organisations.caseload_archive_view,
        name="caseload_archive",
    ),
    path(
        "organisations/caseloads/<int:caseload_id>/reopen/",
        organisations.caseload_reopen_view,
        name="caseload_reopen",
    ),
    path(
        "organisations/caseloads/<int:caseload_id>/members/add/",
        organisations.caseload_member_add_view,
        name="caseload_member_add",
    ),
    path(
        "organisations/caseloads/<int:caseload_id>/members/remove/",
        organisations.caseload_member_remove_view,
        name="caseload_member_remove",
    ),
]
