"""The mail service's status webhook (delivered, bounced, complained): django-anymail's view
for the provider chosen in settings (KLANTRAAT_MAIL_PROVIDER), which checks the provider's
signature and the shared basic-auth secret; the reports are written by core.signals (the outbox) and pulse.signals."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.module_loading import import_string
from django.views.decorators.csrf import csrf_exempt

logger = logging.getLogger("klantraat.outbox")

TRACKING_VIEWS = {
    "amazon_ses": "anymail.webhooks.amazon_ses.AmazonSESTrackingWebhookView",
    "brevo": "anymail.webhooks.brevo.BrevoTrackingWebhookView",
    "mailgun": "anymail.webhooks.mailgun.MailgunTrackingWebhookView",
    "mailjet": "anymail.webhooks.mailjet.MailjetTrackingWebhookView",
    "postmark": "anymail.webhooks.postmark.PostmarkTrackingWebhookView",
    "sendgrid": "anymail.webhooks.sendgrid.SendGridTrackingWebhookView",
    "sparkpost": "anymail.webhooks.sparkpost.SparkPostTrackingWebhookView",
}


@csrf_exempt
def mail_events(request: HttpRequest) -> HttpResponse:
    provider = getattr(settings, "KLANTRAAT_MAIL_PROVIDER", "")
    if provider not in TRACKING_VIEWS:
        raise Http404("No mail service with status reports is configured")
    view = import_string(TRACKING_VIEWS[provider]).as_view()
    try:
        # All or nothing: a batch that fails half-way leaves every row as it was.
        with transaction.atomic():
            return view(request)
    except (SuspiciousOperation, ValueError, KeyError, TypeError, AttributeError):
        # A forged signature, a wrong secret or a payload that is not the provider's.
        logger.warning("mail status webhook refused", exc_info=True)
        return HttpResponseBadRequest("invalid webhook request")
