"""Rate limits read from settings at each request (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]), not frozen at
import: a deployment (or a test) changes them without a restart of the class."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class _Lu:
    def get_rate(self):
        return settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"].get(self.scope)


class DebitUtilisateur(_Lu, UserRateThrottle):
    pass


class DebitAnonyme(_Lu, AnonRateThrottle):
    pass
