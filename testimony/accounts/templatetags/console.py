from django import template

from testimony.accounts.permissions import can as _can

register = template.Library()


@register.filter
def can(user, action: str) -> bool:
    """``{% if request.user|can:"audit.view" %}``: show a link only to those who may follow it."""
    return _can(user, action)
