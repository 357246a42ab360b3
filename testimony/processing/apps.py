from django.apps import AppConfig


class ProcessingConfig(AppConfig):
    name = "testimony.processing"
    label = "processing"
