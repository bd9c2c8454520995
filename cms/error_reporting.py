"""Optional error reporting to Sentry (on when SENTRY_DSN is set), with secrets kept out.

A respondent's link *is* their key to the scan: whoever holds /r/<token>/ can read and change
the answers. The same goes for open links, pulse survey and card links, welcome links,
password-reset links and API tokens. Nothing of those may reach an outside service, so every
event and breadcrumb passes through ``scrub`` before it leaves: secret path segments and query
values become ``[Filtered]``, Authorization and Cookie headers are dropped, and request bodies
and local variables (answers, names, addresses) are never sent at all.
"""

import re
from typing import Any, cast

from sentry_sdk.types import Breadcrumb, BreadcrumbHint, Event, Hint

FILTERED = "[Filtered]"

# Site-root links whose next path segment is a secret token: the respondent's wizard (r),
# open/QR links (l), pulse survey links (p) and visit-card links (k). An optional language
# prefix (/en/) may come before them.
_SEGMENT = r"(?!\{)[^/?#\s'\"<>]+"  # a path segment; "{token}" in a route name is no secret
_TOKEN_PATH = re.compile(
    rf"(?P<head>(?:^|(?<=[/'\"\s=]))/?(?:[a-z]{{2}}/)?[rlpk]/)(?P<token>{_SEGMENT})"
)
# Links with a user id and a one-time token: the welcome link of a new account, the site's and
# Wagtail's password-reset confirmation. Django swaps the token for "set-password" after the
# first visit; that word stays, the user id is filtered too.
_UID_TOKEN_PATH = re.compile(
    r"(?P<head>(?:welcome|password/reset|password_reset/confirm)/)"
    rf"(?P<uid>{_SEGMENT})/(?P<token>{_SEGMENT})"
)
# Query parameters whose values are secrets (?token=…, ?key=…, access_token, …).
_SECRET_QUERY = re.compile(
    r"(?P<head>(?:^|[?&;\s])[\w.-]*(?:token|key|secret|password|signature)=)(?P<value>[^&#\s'\"<>]*)",
    re.IGNORECASE,
)
# Header and variable names whose values are never sent, wherever they appear in an event.
SECRET_KEYS = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "cookie",
        "set-cookie",
        "x-csrftoken",
        "x-api-key",
        "token",
        "uidb64",
        "password",
        "secret",
        "sessionid",
        "csrftoken",
    }
)
_SECRET_KEY_FORMS = SECRET_KEYS | {key.replace("_", "-") for key in SECRET_KEYS}


def _sub_uid_token(match: re.Match[str]) -> str:
    token = match["token"]
    kept = token if token == "set-password" else FILTERED
    return f"{match['head']}{FILTERED}/{kept}"


def scrub_text(text: str) -> str:
    """``text`` with every secret link segment and secret query value replaced by [Filtered]."""
    if "/" not in text and "=" not in text:
        return text
    text = _UID_TOKEN_PATH.sub(_sub_uid_token, text)
    text = _TOKEN_PATH.sub(lambda m: m["head"] + FILTERED, text)
    return _SECRET_QUERY.sub(lambda m: m["head"] + FILTERED, text)


def scrub(value: Any) -> Any:
    """A copy of ``value`` (an event or breadcrumb: dicts, lists, strings) with secrets removed.

    Strings are scrubbed with ``scrub_text``; the values of secret keys (headers, cookies,
    ``token`` variables) are replaced whole, in dicts and in [name, value] header pairs alike.
    """
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {
            key: FILTERED
            if isinstance(key, str) and key.lower().replace("_", "-") in _SECRET_KEY_FORMS
            else scrub(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        if (
            len(value) == 2
            and isinstance(value[0], str)
            and value[0].lower().replace("_", "-") in _SECRET_KEY_FORMS
        ):
            return [value[0], FILTERED]
        return [scrub(item) for item in value]
    return value


def before_send(event: Event, hint: Hint) -> Event:
    """Sentry's ``before_send`` and ``before_send_transaction``: the event without secrets."""
    scrubbed = cast(Event, scrub(event))
    request = scrubbed.get("request")
    if isinstance(request, dict):
        request.pop("cookies", None)
        request.pop("data", None)
    return scrubbed


def before_breadcrumb(crumb: Breadcrumb, hint: BreadcrumbHint) -> Breadcrumb:
    """Sentry's ``before_breadcrumb``: log lines, queries and HTTP calls without secrets."""
    return cast(Breadcrumb, scrub(crumb))


def init_sentry(
    dsn: str,
    *,
    environment: str | None = None,
    release: str | None = None,
    traces_sample_rate: float = 0.0,
    **options: Any,
) -> None:
    """Start reporting errors of web requests and Celery tasks to the Sentry project at ``dsn``.

    No personal data: no user, cookies, request bodies or local variables, and every event
    and breadcrumb passes through ``before_send``/``before_breadcrumb`` above. ``options``
    go to ``sentry_sdk.init`` as they are (tests pass a transport).
    """
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        release=release or None,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        traces_sample_rate=traces_sample_rate,
        before_send=before_send,
        before_send_transaction=before_send,
        before_breadcrumb=before_breadcrumb,
        **options,
    )
