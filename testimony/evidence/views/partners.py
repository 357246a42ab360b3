"""Partner API tokens in the console (coordinators, ``partner.manage``): list, issue, revoke.

A new token is shown once, in the answer to the form that created it (a no-store page, like
every console page); afterwards only its prefix is ever shown. Each token reads this
organisation's evidence, within its scopes, until it expires or is revoked.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from testimony.accounts.decorators import console_view
from testimony.evidence.models import PartnerToken
from testimony.evidence.services import partners as services


class PartnerTokenForm(forms.Form):
    partner = forms.CharField(
        label=_("Partner organisation"),
        max_length=PartnerToken._meta.get_field("partner").max_length,
        help_text=_("Who will hold the token; shown in this list and in the audit log."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("What it may read"),
        choices=PartnerToken.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=services.MAX_DAYS,
        initial=90,
    )


def _page(request, *, form: PartnerTokenForm, created: PartnerToken | None = None, plaintext: str = ""):
    now = timezone.now()
    labels = dict(PartnerToken.Scope.choices)
    rows = [
        {
            "token": token,
            "scopes": [labels.get(scope, scope) for scope in token.scopes],
            "expired": token.expires_at <= now,
        }
        for token in services.partner_tokens_for(request.user)
    ]
    return render(
        request,
        "console/evidence/partner_tokens.html",
        {
            "section": "evidence",
            "form": form,
            "rows": rows,
            "created": created,
            "plaintext": plaintext,
            "max_days": services.MAX_DAYS,
        },
    )


@console_view("partner.manage")
@require_http_methods(["GET", "POST"])
def partner_tokens(request):
    form = PartnerTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, plaintext = services.partner_token_create(
                user=request.user,
                partner=form.cleaned_data["partner"],
                scopes=form.cleaned_data["scopes"],
                expires_at=timezone.now() + dt.timedelta(days=form.cleaned_data["days"]),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # Rendered, not redirected: the token exists in this answer and nowhere else.
            return _page(request, form=PartnerTokenForm(), created=token, plaintext=plaintext)
    return _page(request, form=form)


@console_view("partner.manage")
@require_POST
def partner_token_revoke(request, token_id: int):
    services.partner_token_revoke(user=request.user, token_id=token_id)
    return redirect("console:evidence_partners")


urlpatterns = [
    path("evidence/partners/", partner_tokens, name="evidence_partners"),
    path("evidence/partners/<int:token_id>/revoke/", partner_token_revoke, name="evidence_partner_revoke"),
]
