from django.apps import AppConfig
from django.db.models.signals import pre_save


class AccountsConfig(AppConfig):
    name = "testimony.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        from testimony.accounts.lockout import blank_client_metadata

        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            pre_save.connect(blank_client_metadata, sender=model, dispatch_uid=f"blank-{model.__name__}")
