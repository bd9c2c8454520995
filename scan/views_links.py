"""Open (anonymous) links: creating one with its QR code, withdrawing it, and joining through
it. A browser that joined keeps a signed cookie with its personal link, so opening the open
link again continues that start instead of making a second respondent."""

from __future__ import annotations

import io

import segno
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.permissions import organisation_view
from core.tokens import token_digest

from . import services
from .forms import OpenLinkForm
from .models import OpenLink
from .permissions import SCAN_POLICY
from .selectors import round_of
from .services import LinkProblem, ScanError
from .views import confirm_page, round_page
from .wizard import guard_link, link_problem_response

RESUME_SALT = "scan.open_link.resume"


def open_link_url(token: str) -> str:
    return settings.KLANTRAAT_BASE_URL + reverse("scan_public:open_link", kwargs={"token": token})


def qr_svg(url: str, *, inline: bool = False) -> str:
    """The link as a QR code in SVG, sized to print on a card or a slide; ``inline`` for the
    page (no XML declaration), else a file of its own."""
    code = segno.make(url, error="m")
    title = _("QR code of the open link")
    if inline:
        return code.svg_inline(scale=6, border=4, title=title, svgclass="qr-code")
    out = io.BytesIO()
    code.save(out, kind="svg", scale=10, border=4, title=title)
    return out.getvalue().decode()


@require_POST
@organisation_view(SCAN_POLICY.roles("manage_respondents"))
def open_link_create(request, access, pk: int):
    scan_round = round_of(access, pk)
    form = OpenLinkForm(request.POST, scan_round=scan_round)
    if form.is_valid():
        try:
            link, token = services.open_link_create(
                scan_round=scan_round, user=request.user, **form.cleaned_data
            )
        except ScanError as exc:
            form.add_error(None, exc)  # problems with a field name land at that field
        else:
            url = open_link_url(token)
            return render(
                request,
                "scan/link_issued.html",
                {
                    "access": access,
                    "organisation": access.organisation,
                    "scan_round": scan_round,
                    "open_link": link,
                    "link": url,
                    "token": token,
                    "qr": qr_svg(url, inline=True),
                },
            )
    return round_page(request, access, scan_round, open_link_form=form, status=400)


@require_POST
@organisation_view(SCAN_POLICY.roles("manage_respondents"))
def open_link_revoke(request, access, pk: int, link_pk: int):
    scan_round = round_of(access, pk)
    link = get_object_or_404(OpenLink.objects.select_related("group"), pk=link_pk, round=scan_round)
    if not request.POST.get("confirm"):
        return confirm_page(
            request,
            access,
            scan_round,
            title=_("Withdraw open link"),
            what=_(
                "Nobody new can start through the open link for %(group)s. The people who "
                "already started keep their personal links and their answers."
            )
            % {"group": link.group.label},
            count=None,
            button=_("Withdraw open link"),
        )
    services.open_link_revoke(link=link, user=request.user)
    messages.success(request, _("The open link no longer works."))
    return redirect("scan:round", org=access.organisation.slug, pk=pk)


@require_GET
def open_link_qr(request, token: str) -> HttpResponse:
    """The QR code of a live open link. Whoever has the link may have its picture; unknown
    links count against the address like any other link."""
    try:
        guard_link(request, lambda: services.open_link_for_token(token))
    except LinkProblem:
        raise Http404 from None
    response = HttpResponse(qr_svg(open_link_url(token)), content_type="image/svg+xml")
    if request.GET.get("download"):
        response["Content-Disposition"] = 'attachment; filename="klantraat-open-link.svg"'
    response["Cache-Control"] = "private, no-store"
    return response


def resume_cookie(token: str) -> str:
    """One cookie per open link, named after (part of) the link's hash, never the link."""
    return "klantraat_open_" + token_digest(token)[:16]


def open_link_join(request, token: str) -> HttpResponse:
    """GET shows a start page (link scanners must not create respondents); POST joins. A
    browser that already started through this link goes back to its own wizard."""
    personal = request.get_signed_cookie(resume_cookie(token), default=None, salt=RESUME_SALT)
    if personal and services.open_link_resume(token, personal) is not None:
        return redirect("scan_public:respond", token=personal)
    if request.method != "POST":
        response = render(request, "scan/open_link_start.html", {"token": token})
        if personal:  # the earlier start was submitted or withdrawn: start afresh
            response.delete_cookie(resume_cookie(token), samesite="Lax")
        return response
    try:
        respondent, personal = guard_link(request, lambda: services.open_link_join(token))
    except LinkProblem as problem:
        return link_problem_response(request, problem)
    response = render(
        request,
        "scan/open_link_joined.html",
        {
            "respondent": respondent,
            "link": services.respondent_link_url(personal),
            "token": personal,
        },
    )
    remaining = respondent.round.closes_at - timezone.now()
    response.set_signed_cookie(
        resume_cookie(token),
        personal,
        salt=RESUME_SALT,
        max_age=max(int(remaining.total_seconds()), 0),
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response
