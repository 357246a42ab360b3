"""``{% load review_labels %}``: ``{{ report.language|language_name }}``, ``{{ code|country_name }}``."""

from django import template

from testimony.review import labels

register = template.Library()


@register.filter
def language_name(code: str) -> str:
    return labels.language_name(code)


@register.filter
def country_name(code: str) -> str:
    return labels.country_name(code)
