from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url


def submitter_page(request: HttpRequest) -> dict:
    path = request.path
    return {
        "quick_exit_url": settings.QUICK_EXIT_URL,
        "neutral_title": settings.NEUTRAL_TITLE,
        "language_links": [
            {"code": code, "name": name, "url": translate_url(path, code)}
            for code, name in settings.LANGUAGES
        ],
    }
