import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import translate_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language, get_language_from_path, override
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.permissions import organisations_for
from pulse.selectors import partners_for_user
from scan.selectors import rounds_for

logger = logging.getLogger("klantraat")


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """After login: the user's organisations and what they may do there."""
    entries = [
        {"access": access, "rounds": list(rounds_for(access.organisation)[:3])}
        for access in organisations_for(request.user)
    ]
    partners = list(partners_for_user(request.user))
    if partners and not entries:
        # A contract partner's login: its scorecards are all it may see.
        return redirect("pulse_public:partner_home")
    return render(request, "cms/start.html", {"entries": entries, "partners": partners})


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch language and stay on the same page: the page's address is translated into the
    chosen language (query string and wizard step kept) and the choice is kept in a cookie.

    Django's own view resolves the address in the language of the request to /i18n/, which
    is not the page's language, so "/en/..." was never translated back."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    if not check_for_language(language):
        return HttpResponseRedirect(next_url)
    page_language = get_language_from_path(urlsplit(next_url).path) or settings.LANGUAGE_CODE
    with override(page_language):
        target = translate_url(next_url, language)
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            # A real table, not "SELECT 1": a database without the schema is not usable either.
            cursor.execute("SELECT 1 FROM django_migrations LIMIT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database is not usable")
        return False
    return True


def _cache_ok() -> bool:
    key = "klantraat:healthz"
    try:
        cache.set(key, "ok", 10)
        return cache.get(key) == "ok"
    except Exception:  # every cache backend raises its own errors
        logger.exception("Health check: the cache is not usable")
        return False


def _broker_ok() -> bool:
    # Invitations, reminders and exports go through the broker; an unreachable broker would
    # queue nothing. One short attempt: a health check must answer fast, not retry for minutes.
    from cms.celery import app

    try:
        with app.connection_for_write(connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
        return True
    except Exception:  # every transport raises its own errors
        logger.exception("Health check: the Celery broker is not reachable")
        return False


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """200 only when the database, the shared cache (rate limits, lockouts) and the Celery
    broker all work, so a load balancer takes an instance out of service instead of sending it
    users to fail."""
    checks = {"database": _database_ok(), "cache": _cache_ok(), "broker": _broker_ok()}
    healthy = all(checks.values())
    return JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            "checks": {name: "ok" if ok else "failing" for name, ok in checks.items()},
        },
        status=200 if healthy else 503,
    )


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    return render(request, "errors/500.html", status=500)


def bench_floor(request: HttpRequest, token: str) -> HttpResponse:
    """Load-test floor (only routed with KLANTRAAT_BENCH_FLOOR=1). It does the database work of
    a wizard step save: the same link lookup, the same row lock of the respondent and the same
    single upsert, in one transaction. It answers with the wizard's redirect (same status, same
    empty body, a Location of the same length), and does none of the wizard's checks, forms or
    model reading."""
    from django.db import transaction
    from django.http import HttpResponseRedirect
    from django.utils import timezone

    from core.tokens import token_digest
    from scan.models import Answer, Respondent, RespondentToken

    link = (
        RespondentToken.objects.select_related(
            "respondent__round__organisation",
            "respondent__round__model_version",
            "respondent__group",
        )
        .defer("respondent__round__model_version__document")
        .get(token_hash=token_digest(token))
    )
    now = timezone.now()
    with transaction.atomic():
        respondent = (
            Respondent.objects.select_for_update(of=("self",))
            .select_related("round", "group")
            .get(pk=link.respondent_id)
        )
        Answer.objects.bulk_create(
            [
                Answer(respondent=respondent, statement_code=code, level=level, updated_at=now)
                for code, level in (("KV1.1", 3), ("KV1.2", 4), ("KV1.3", None))
            ],
            update_conflicts=True,
            unique_fields=["respondent", "statement_code"],
            update_fields=["level", "comment", "updated_at"],
        )
    return HttpResponseRedirect(f"/r/{token}/KV2/")


def bench_view_floor(request: HttpRequest, pk: int) -> HttpResponse:
    """Viewer floor of the load test (only routed with KLANTRAAT_BENCH_FLOOR=1): what a
    signed-in page of a stored release cannot avoid. It reads the session and the user, checks
    a membership of the round's organisation, reads the round's latest release (one row, its
    JSON parsed) and answers with a page of ``?bytes=`` characters; no scoring, drawing or
    template."""
    from django.core.exceptions import PermissionDenied

    from core.models import Membership
    from honeycomb.models import Release

    if not request.user.is_authenticated:
        raise PermissionDenied
    if not Membership.objects.filter(user=request.user, organisation__rounds=pk).exists():
        raise PermissionDenied
    release = Release.objects.filter(round_id=pk).order_by("-number").values("data").first()
    size = min(int(request.GET.get("bytes") or 0), 1_000_000) if release else 0
    return HttpResponse("x" * size, content_type="text/html; charset=utf-8")
