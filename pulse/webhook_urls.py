"""Outside the language prefix: what the SMS provider is told to call."""

from django.urls import path

from . import views_sms

app_name = "pulse_webhooks"

urlpatterns = [
    path("sms/status/", views_sms.sms_status, name="sms_status"),
]
