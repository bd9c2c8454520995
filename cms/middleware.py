"""Project middleware: forwarded headers only from trusted proxies, the audit actor of a
request, and the retry page when the database drops out."""

import logging
import re

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

from core.audit import acting_as
from core.ratelimit import from_trusted_proxy

logger = logging.getLogger("klantraat")


class TrustedProxyHeadersMiddleware:
    """X-Forwarded-Proto and X-Forwarded-Host are anyone's to write: they are dropped unless
    the connection comes from KLANTRAAT_TRUSTED_PROXIES. Otherwise a client on plain HTTP
    could send "X-Forwarded-Proto: https" and be treated as on HTTPS (no redirect, secure
    cookies handed over a plain connection). First in the chain, before SecurityMiddleware."""

    HEADERS = ("HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not from_trusted_proxy(request):
            for header in self.HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)


# Pages whose address is itself the key (respondent, open, pulse survey and card links, the
# welcome and password-reset links), an organisation's pages and the API.
PERSONAL_PATH = re.compile(
    r"^/(?:[a-z]{2}/)?(?:[rlpk]|org|api|welcome|password|cms/password_reset)/"
)


class NoStoreMiddleware:
    """Personal and results pages are never kept by a browser or proxy cache
    (``Cache-Control: no-store``): the back button of a shared computer, or a proxy in between,
    must not show someone's answers, scores, exports or survey. That is every response to a
    signed-in person and every page under a secret link, an organisation or the API; public
    pages seen anonymously keep their caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or PERSONAL_PATH.match(request.path_info):
            add_never_cache_headers(response)
        return response


class AuditActorMiddleware:
    """The person behind a request is the actor of every audit event it writes, also when the
    change happens deep inside the CMS (a role changed on a membership snippet)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with acting_as(getattr(request, "user", None)):
            return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """A database that drops out (locked, restarted, connection lost) gives the retry page with
    503 and Retry-After on every page, not a server error. The wizard keeps its own handling,
    which also hands the typed answers back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.warning("Database unavailable during %s %s", request.method, request.path)
        # Rendered without the request's context processors: they read the user, the session
        # and the site settings, all from the database that just failed. Nothing posted is
        # echoed back (it may be a password).
        html = render_to_string("scan/step_retry.html", {"posted": [], "request": request})
        response = HttpResponse(html, status=503)
        response["Retry-After"] = "5"
        return response
