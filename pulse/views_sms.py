"""The SMS provider's delivery receipt (Twilio's status callback): signed with the account's
auth token over the URL and the posted fields; anything else gets 400 and changes nothing."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator

from .services.invitations import invitation_delivery_record
from .sms import receipt_report


@csrf_exempt
@require_POST
def sms_status(request: HttpRequest) -> HttpResponse:
    token = getattr(settings, "KLANTRAAT_TWILIO_AUTH_TOKEN", "")
    if not token:
        raise Http404("No SMS provider with delivery receipts is configured")
    # Twilio signs the URL it called: the public one, whatever proxy sits in between.
    url = settings.KLANTRAAT_BASE_URL + request.get_full_path()
    signature = request.headers.get("X-Twilio-Signature", "")
    if not RequestValidator(token).validate(url, request.POST.dict(), signature):
        return HttpResponseBadRequest("invalid signature")
    report = receipt_report(request.POST.dict())
    if report is None:
        return HttpResponseBadRequest("not a delivery receipt")
    if report.delivery:  # "queued" and "sent" are on the way: nothing to record yet
        with transaction.atomic():
            invitation_delivery_record(report)
    return HttpResponse(status=204)
