"""Outside the language prefix: what the mail service is told to call."""

from django.urls import path

from . import views_delivery

app_name = "core_webhooks"

urlpatterns = [
    path("mail/events/", views_delivery.mail_events, name="mail_events"),
]
