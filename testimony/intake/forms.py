"""The submission form for browsers without JavaScript (input shape only)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from testimony.intake import places
from testimony.intake.choices import COUNTRIES, KINDS, MONTHS, PERPETRATORS
from testimony.intake.report import (
    BAD_CITIZENSHIP,
    BAD_DATE,
    FUTURE_DATE,
    MISSING_ACCOUNT,
    MISSING_CONSENT,
    MISSING_COUNTRY,
    MISSING_KIND,
    MISSING_WHEN,
    MISSING_WHO,
    build_report,
)

_FIRST_YEAR = 2014
_WHEN_ERRORS = {
    "required": MISSING_WHEN,
    "invalid_choice": FUTURE_DATE,
}


def _years() -> list[tuple[str, str]]:
    this_year = dt.date.today().year
    return [(str(year), str(year)) for year in range(this_year, _FIRST_YEAR - 1, -1)]


def grouped_places(language: str) -> list:
    groups: list = [("", _("Choose a region or city (optional)"))]
    labels = dict(COUNTRIES)
    for country in places.countries_with_places():
        groups.append((labels.get(country, country), places.place_choices(country, language)))
    return groups


class ReportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What happened?"),
        choices=KINDS,
        widget=forms.RadioSelect,
        error_messages={"required": MISSING_KIND},
    )
    when_year = forms.ChoiceField(label=_("Year"), choices=_years, error_messages=_WHEN_ERRORS)
    when_month = forms.TypedChoiceField(
        label=_("Month"), choices=MONTHS, coerce=int, error_messages=_WHEN_ERRORS
    )
    when_day = forms.TypedChoiceField(
        label=_("Day (if you know it)"),
        choices=[("", _("I don't know"))] + [(str(day), str(day)) for day in range(1, 32)],
        coerce=int,
        required=False,
        empty_value=None,
    )
    country = forms.ChoiceField(
        label=_("Country"), choices=COUNTRIES, error_messages={"required": MISSING_COUNTRY}
    )
    place = forms.ChoiceField(label=_("Region or city"), required=False)
    place_details = forms.CharField(
        label=_("More about the place"),
        help_text=_(
            "For example the market, the district or the detention centre. Do not write your home address."
        ),
        required=False,
        max_length=500,
    )
    who = forms.MultipleChoiceField(
        label=_("Who was involved?"),
        choices=PERPETRATORS,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": MISSING_WHO},
    )
    # Optional, and empty by default: a coarse count of which communities are affected is worth
    # having only if nobody feels they must answer.
    citizenship = forms.ChoiceField(
        label=_("Your citizenship"),
        help_text=_("Helps show which communities are affected. Leave empty if you prefer."),
        # Translators: the empty choice of the optional citizenship question.
        choices=[("", _("Prefer not to say")), *COUNTRIES],
        required=False,
        widget=forms.Select(attrs={"aria-describedby": "citizenship-hint"}),
        error_messages={"invalid_choice": BAD_CITIZENSHIP},
    )
    account = forms.CharField(
        label=_("What happened? Tell it in your own words."),
        help_text=_("Write in any language. You do not have to give your name."),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": MISSING_ACCOUNT},
    )
    keep_location = forms.BooleanField(
        label=_("Keep the location recorded in my photos, as evidence of where they were taken"),
        required=False,
    )
    consent = forms.BooleanField(
        label=_("I have read how my report will be used, and I agree."),
        error_messages={"required": MISSING_CONSENT},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = grouped_places(get_language() or settings.LANGUAGE_CODE)
        self.fields["account"].max_length = settings.ACCOUNT_MAX_CHARS
        self.fields["account"].widget.attrs["maxlength"] = settings.ACCOUNT_MAX_CHARS

    def clean(self) -> dict:
        data = super().clean()
        year, month, day = data.get("when_year"), data.get("when_month"), data.get("when_day")
        if year and month:
            try:
                date = dt.date(int(year), month, day or 1)
            except ValueError:
                self.add_error("when_day", BAD_DATE)
            else:
                if date > dt.date.today() + dt.timedelta(days=1):
                    self.add_error("when_month", FUTURE_DATE)
        country, place = data.get("country"), data.get("place")
        if place and country and not places.is_known_place(country, place):
            self.add_error("place", _("This place is not in the country you chose."))
        return data

    def report(self, *, language: str) -> dict:
        data = self.cleaned_data
        when = f"{int(data['when_year']):04d}-{data['when_month']:02d}"
        if data.get("when_day"):
            when += f"-{data['when_day']:02d}"
        return build_report(
            kind=data["kind"],
            when=when,
            country=data["country"],
            place=data.get("place") or "",
            place_details=data.get("place_details") or "",
            who=list(data["who"]),
            citizenship=data.get("citizenship") or "",
            account=data["account"],
            language=language,
            keep_location=bool(data.get("keep_location")),
            consent=bool(data["consent"]),
        )


class FollowUpForm(forms.Form):
    receipt = forms.CharField(
        label=_("Your receipt"),
        max_length=64,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}),
    )


class ReplyForm(forms.Form):
    receipt = forms.CharField(widget=forms.HiddenInput, max_length=64)
    text = forms.CharField(
        label=_("Your reply or more information"), widget=forms.Textarea(attrs={"rows": 5})
    )
