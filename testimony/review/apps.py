from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReviewConfig(AppConfig):
    name = "testimony.review"
    label = "review"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from testimony.review.services.report_counts import install_after_migrate

        # The queue's counts: triggers (re)installed and counts recomputed after every migrate.
        post_migrate.connect(install_after_migrate, sender=self, dispatch_uid="review.report_counts")
