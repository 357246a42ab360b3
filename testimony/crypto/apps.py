from django.apps import AppConfig


class CryptoConfig(AppConfig):
    """Holds key management commands; the crypto modules themselves use no models."""

    name = "testimony.crypto"
    label = "crypto"
