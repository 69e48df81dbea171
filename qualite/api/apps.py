from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "qualite.api"
    label = "api"
    verbose_name = "API REST"
