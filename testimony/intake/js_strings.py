"""Strings the page's script shows, translated on the server and embedded as JSON in the page."""

from django.utils.translation import gettext as _

from testimony.intake import report


def js_strings() -> dict[str, str]:
    return {
        "preparing": _("Preparing the security check…"),
        "encrypting": _("Encrypting your report…"),
        "removing_metadata": _("Removing hidden information from photos…"),
        "uploading": _("Sending files: {percent}%"),
        "sending": _("Sending your report…"),
        "offline": _("The connection was lost. The upload will continue when it is back."),
        "failed": _("Your report could not be sent. Nothing was saved. Please try again."),
        "too_many_files": _("Too many files are attached."),
        "file_too_large": _("This file is too large: {name}"),
        "recording": _("Recording… {seconds} s"),
        "recorded": _("Voice note recorded"),
        "mic_denied": _("The microphone could not be used. You can choose an audio file instead."),
        "remove": _("Remove"),
        "required": _("Please answer the questions marked above."),
        "missing_kind": str(report.MISSING_KIND),
        "missing_when": str(report.MISSING_WHEN),
        "bad_date": str(report.BAD_DATE),
        "future_date": str(report.FUTURE_DATE),
        "missing_country": str(report.MISSING_COUNTRY),
        "missing_who": str(report.MISSING_WHO),
        "missing_account": str(report.MISSING_ACCOUNT),
        "missing_consent": str(report.MISSING_CONSENT),
    }
