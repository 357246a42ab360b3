"""Input shapes for the organisation pages. The rules are in ``organisations.py``; these parse."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from testimony.accounts.organisations import NAME_MAX_LENGTH, clean_name


class NameForm(forms.Form):
    """One name (an organisation's or a caseload's), cleaned as the services store it."""

    name = forms.CharField(
        label=_("Name"),
        # A little slack: clean_name collapses spaces, then says plainly when it is too long.
        max_length=NAME_MAX_LENGTH * 2,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        error_messages={"required": _("Enter a name."), "max_length": _("That name is far too long.")},
    )

    def __init__(self, *args, label=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if label is not None:
            self.fields["name"].label = label

    def clean_name(self) -> str:
        return clean_name(self.cleaned_data["name"])


class AccountChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        parts = [
            obj.get_role_display(),
            obj.organisation.name if obj.organisation_id else _("no organisation"),
        ]
        if not obj.is_active:
            parts.append(_("deactivated"))
        return f"{obj.username} ({', '.join(str(part) for part in parts)})"


class MemberForm(forms.Form):
    """One account, chosen among ``accounts`` (the ones the page offers, or its members)."""

    user = AccountChoiceField(
        label=_("Account"),
        queryset=None,
        empty_label=_("Choose an account"),
        error_messages={
            "required": _("Choose an account."),
            "invalid_choice": _("That account cannot be chosen here."),
        },
    )

    def __init__(self, *args, accounts, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = accounts.select_related("organisation")
