"""Strings the page's script shows, translated on the server and embedded as JSON in the page."""

from django.utils.translation import gettext as _


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
        "missing_kind": _("Choose what happened."),
        "missing_when": _("Give the year and month, and the day if you know it."),
        "bad_date": _("This date does not exist."),
        "future_date": _("The date cannot be in the future."),
        "missing_country": _("Choose the country."),
        "missing_who": _("Choose who was involved, or 'I don't know'."),
        "missing_account": _("Describe what happened."),
        "missing_consent": _("Please confirm that you have read how your report will be used."),
    }
