"""Input shapes for the account pages. Rules live in services.py; these only parse and validate."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from testimony.accounts.models import Caseload, Organisation, Role, User


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Login name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True, "spellcheck": "false"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app, or a backup code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "text",
                "autofocus": True,
                "spellcheck": "false",
            }
        ),
    )

    def clean_code(self) -> str:
        # People type codes with spaces ("123 456") and backup codes in capitals.
        return "".join(self.cleaned_data["code"].split()).lower()


class KeyNameForm(forms.Form):
    """A name for one of one's own security keys (sent by console/js/accounts.js)."""

    key = forms.IntegerField(min_value=1)
    # Longer names are cut by the service (the field on the page stops at 64 already).
    name = forms.CharField(label=_("Name of the key"), required=False)


class NewPasswordForm(forms.Form):
    """A new password, twice, checked by the configured validators against ``user``."""

    password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters; a few unrelated words make a good one."),
    )
    password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        one, two = data.get("password1"), data.get("password2")
        if one and two and one != two:
            raise forms.ValidationError(_("The two passwords differ."))
        if one:
            password_validation.validate_password(one, self.user)
        return data


class PasswordChangeForm(NewPasswordForm):
    current = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["current", "password1", "password2"]

    def clean_current(self) -> str:
        current = self.cleaned_data["current"]
        if not self.user.check_password(current):
            raise forms.ValidationError(_("That is not your current password."))
        return current


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Console language"), choices=settings.CONSOLE_LANGUAGES)


class CaseloadChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Caseload) -> str:
        if obj.archived_at is None:
            return str(obj)
        return gettext("%(caseload)s (archived)") % {"caseload": obj}


class AccountForm(forms.Form):
    """Role, organisation and caseloads of an account (create and edit).

    Open caseloads are offered, and besides them the archived caseloads the account already has
    (``initial["caseloads"]``), ticked: saving the form for another change keeps them, unticking
    one takes it away for good (until it is reopened). ``services.user_update`` holds the same
    rule for any caller.
    """

    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.order_by("name"), required=False
    )
    caseloads = CaseloadChoiceField(
        label=_("Caseloads"),
        queryset=Caseload.objects.none(),
        required=False,
        help_text=_("None: the whole organisation. Otherwise only these (they must be the organisation's)."),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        held = [getattr(c, "pk", c) for c in self.initial.get("caseloads") or ()]
        field = self.fields["caseloads"]
        field.queryset = (
            Caseload.objects.filter(Q(archived_at__isnull=True) | Q(pk__in=held))
            .select_related("organisation")
            .order_by("organisation__name", "name")
        )
        if held and Caseload.objects.filter(pk__in=held, archived_at__isnull=False).exists():
            field.help_text = format_lazy(
                "{} {}",
                field.help_text,
                _("An archived caseload stays while it is ticked; once taken away it cannot be added again."),
            )

    def clean(self):
        data = super().clean()
        organisation, caseloads = data.get("organisation"), data.get("caseloads") or []
        if any(organisation is None or c.organisation_id != organisation.pk for c in caseloads):
            raise forms.ValidationError(_("Caseloads must belong to the account's organisation."))
        role = data.get("role")
        if role and role != Role.ADMINISTRATOR and organisation is None:
            raise forms.ValidationError(_("Every role but administrator needs an organisation."))
        return data


class AccountCreateForm(AccountForm):
    username = forms.RegexField(
        label=_("Login name"),
        max_length=150,
        regex=r"^[\w.@+-]+\Z",
        help_text=_("Letters, digits and . @ + - _ only."),
    )
    field_order = ["username", "role", "organisation", "caseloads"]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("An account with this login name exists."))
        return username
