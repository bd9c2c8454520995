from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from scan.permissions import organisations_for
from scan.selectors import rounds_for


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """After login: the user's organisations and what they may do there."""
    entries = [
        {"access": access, "rounds": list(rounds_for(access.organisation)[:3])}
        for access in organisations_for(request.user)
    ]
    return render(request, "cms/start.html", {"entries": entries})


def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    return render(request, "errors/500.html", status=500)


def bench_floor(request: HttpRequest, respondent: int) -> HttpResponse:
    """Load-test floor (only routed with KLANTRAAT_BENCH_FLOOR=1): writes the same rows as a
    wizard step with the same single upsert, and none of the wizard's checks."""
    from django.db import transaction
    from django.utils import timezone

    from scan.models import Answer

    now = timezone.now()
    with transaction.atomic():
        Answer.objects.bulk_create(
            [
                Answer(respondent_id=respondent, statement_code=code, level=level, updated_at=now)
                for code, level in (("KV1.1", 3), ("KV1.2", 4), ("KV1.3", None))
            ],
            update_conflicts=True,
            unique_fields=["respondent", "statement_code"],
            update_fields=["level", "comment", "updated_at"],
        )
    return HttpResponse("ok")
