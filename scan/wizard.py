"""The respondent wizard: one step per cell, every step written to the database on submit.

The database, not the session, is the source of truth: a step is rendered from the saved
answers, so another device, an expired session or a second tab always sees what was saved.
django-formtools provides the named step URLs, the step helper and the management form.
Nothing is kept in a session: respondents get no session row and no session cookie, and a
step save writes only their answers.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from functools import cached_property

from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.db import InterfaceError, OperationalError, connection
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from formtools.wizard.forms import ManagementForm
from formtools.wizard.storage.base import BaseStorage
from formtools.wizard.views import NamedUrlWizardView

from core import ratelimit

from . import selectors, services
from .forms import CellStepForm, ClosingForm, IntroForm, initial_for_step
from .selectors import model_doc
from .services import LinkProblem, ScanError
from .wizard_steps import step_wording, wizard_wording

INTRO, CLOSING, DONE = "intro", "closing", "done"

LINK_PROBLEM_STATUS = {
    "unknown": 404,
    "revoked": 410,
    "closed": 410,
    "not_open": 403,
    "full": 403,
    "too_many": 429,
}
logger = logging.getLogger(__name__)


def guard_link(request, resolve):
    """Resolve a link; count every unknown one against the address it came from."""
    try:
        return resolve()
    except LinkProblem as problem:
        if problem.reason == "unknown" and not ratelimit.link_miss_allowed(request):
            raise LinkProblem("too_many") from problem
        raise


def link_problem_response(request, problem: LinkProblem) -> HttpResponse:
    return render(
        request,
        "scan/link_problem.html",
        {"reason": problem.reason, "scan_round": problem.scan_round},
        status=LINK_PROBLEM_STATUS.get(problem.reason, 404),
    )


def database_unavailable_response(request) -> HttpResponse:
    """The database dropped out mid-request. The step's transaction was rolled back as a whole,
    so nothing is half-written; the respondent gets the typed answers back to send again."""
    posted = []
    if request.method == "POST":
        posted = [
            (name, value)
            for name, values in request.POST.lists()
            if name != "csrfmiddlewaretoken"
            for value in values
        ]
    response = render(request, "scan/step_retry.html", {"posted": posted}, status=503)
    response["Retry-After"] = "5"
    return response


class RequestStorage(BaseStorage):
    """Wizard state that lives for one request only. The step comes from the URL or the
    posted management form and the answers from the database, so there is nothing to keep."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.init_data()


class RespondentWizard(NamedUrlWizardView):
    form_list = [(INTRO, IntroForm)]  # replaced per respondent in dispatch()
    template_name = "scan/wizard_step.html"
    storage_name = "scan.wizard.RequestStorage"

    def dispatch(self, request, *args, **kwargs):
        try:
            return self.dispatch_with_database(request, *args, **kwargs)
        except (OperationalError, InterfaceError):
            logger.warning("Database unavailable during a respondent request", exc_info=True)
            if connection.connection is not None and not connection.is_usable():
                connection.close()  # the next request connects afresh
            return database_unavailable_response(request)

    def dispatch_with_database(self, request, *args, **kwargs):
        try:
            self.respondent = guard_link(
                request, lambda: services.respondent_for_token(kwargs["token"])
            )
        except LinkProblem as problem:
            return link_problem_response(request, problem)
        self.token = kwargs["token"]
        self.language = get_language() or "nl"
        self.doc = model_doc(self.respondent.round)
        self.group = self.respondent.group.kind
        self.wording = wizard_wording(self.doc, self.group, self.language)
        self.cells = self.wording.cells
        self.form_list = OrderedDict(
            [
                (INTRO, IntroForm),
                *((code, CellStepForm) for code in self.cells),
                (CLOSING, ClosingForm),
            ]
        )
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def saved(self) -> tuple[dict, dict]:
        """The respondent's saved answers and step comments, read only when a page needs them."""
        return selectors.respondent_answers(self.respondent)

    @property
    def answers(self) -> dict:
        return self.saved[0]

    @property
    def step_comments(self) -> dict:
        return self.saved[1]

    def get_prefix(self, request, *args, **kwargs):
        # Session data is only a cache (answers live in the database), so one prefix is enough.
        return "respondent_wizard"

    def get_step_url(self, step):
        return reverse(self.url_name, kwargs={"token": self.token, "step": step})

    def landing_step(self) -> str:
        if self.respondent.started_at is None and not self.answers:
            return INTRO
        return selectors.first_open_cell(self.respondent, set(self.answers)) or CLOSING

    # --- forms ----------------------------------------------------------------------------

    def get_form_initial(self, step):
        # A posted step is validated on its own data; reading the saved answers is only
        # needed to show a page.
        if step in self.cells and self.request.method != "POST":
            return initial_for_step(
                self.cells[step], self.group, self.answers, self.step_comments.get(step, "")
            )
        return {}

    def get_form(self, step=None, data=None, files=None):
        # On GET the saved answers are the truth, never stale session data.
        if self.request.method != "POST":
            data, files = None, None
        if step is None:
            step = self.steps.current
        if step in self.cells:
            # The step's fields are built once per model version, group and language.
            form_class = step_wording(self.doc, step, self.group, self.language).form_class
            return form_class(
                data=data,
                files=files,
                prefix=self.get_form_prefix(step, form_class),
                initial=self.get_form_initial(step),
            )
        return super().get_form(step=step, data=data, files=files)

    # --- requests ---------------------------------------------------------------------------

    def get(self, request, *args, **kwargs):
        step = kwargs.get("step")
        if self.respondent.submitted_at is not None:
            if step != DONE:
                return redirect(self.get_step_url(DONE))
            return self.render_thanks()
        if step is None:
            target = self.landing_step()
            self.storage.current_step = target
            if target != INTRO:
                # Opening the link again: say where the respondent picks up.
                messages.info(self.request, self.welcome_back(target))
            return redirect(self.get_step_url(target))
        if step == DONE:
            return redirect(self.get_step_url(self.landing_step()))
        if step not in self.get_form_list():
            raise Http404(_("This step does not exist."))
        self.storage.current_step = step
        return self.render(self.get_form(step=step))

    def post(self, *args, **kwargs):
        if self.respondent.submitted_at is not None:
            messages.info(
                self.request, _("Your answers were already submitted; nothing was changed.")
            )
            return redirect(self.get_step_url(DONE))
        management = ManagementForm(self.request.POST, prefix=self.prefix)
        if not management.is_valid():
            raise SuspiciousOperation("ManagementForm data is missing or has been tampered.")
        step = management.cleaned_data["current_step"]
        if step not in self.get_form_list():
            raise SuspiciousOperation("Unknown wizard step posted.")
        # The posted step wins over the session: an expired session or another tab never
        # makes us validate the answers against the wrong step.
        self.storage.current_step = step
        form = self.get_form(step=step, data=self.request.POST, files=self.request.FILES)

        goto = self.request.POST.get("wizard_goto_step")
        if goto:
            if goto not in self.get_form_list():
                raise SuspiciousOperation("Unknown wizard step requested.")
            if isinstance(form, CellStepForm):
                answers, comment = form.partial_inputs()
                try:
                    services.answers_save(
                        respondent=self.respondent,
                        answers=answers,
                        cell_code=step,
                        step_comment=comment,
                    )
                except ScanError as exc:
                    return self.render_error(form, exc)
            return self.render_goto_step(goto)

        if not form.is_valid():
            return self.render(form, status=400)
        try:
            if isinstance(form, CellStepForm):
                services.answers_save(
                    respondent=self.respondent,
                    answers=form.answer_inputs(),
                    cell_code=step,
                    step_comment=(
                        form.cleaned_data["step_comment"]
                        if "step_comment" in form.changed_data
                        else None  # untouched: leave the stored comment alone
                    ),
                )
            elif step == INTRO:
                services.respondent_start(self.respondent, language=self.language)
            elif step == CLOSING:
                services.respondent_submit(self.respondent)
                self.storage.reset()
                return redirect(self.get_step_url(DONE))
        except ScanError as exc:
            if exc.code == "incomplete":
                messages.warning(self.request, exc.messages[0])
                self.__dict__.pop("saved", None)  # read the answers again
                return redirect(self.get_step_url(self.landing_step()))
            return self.render_error(form, exc)
        return redirect(self.get_step_url(self.get_next_step(step)))

    def welcome_back(self, step: str) -> str:
        if step == CLOSING:
            return _("Welcome back. Every statement has an answer: check them and submit.")
        name = next((e.name for e in self.wording.outline if e.code == step), step)
        return _("Welcome back. Your earlier answers are saved; you continue at “%(topic)s”.") % {
            "topic": name
        }

    def render_error(self, form, exc: ScanError) -> HttpResponse:
        if exc.code in ("submitted",):
            return redirect(self.get_step_url(DONE))
        form.add_error(None, exc.messages[0])
        return self.render(form, status=409 if exc.code in ("closed", "not_open") else 400)

    def render(self, form=None, status: int = 200, **kwargs):
        return self.render_to_response(self.get_context_data(form=form, **kwargs), status=status)

    def render_thanks(self) -> HttpResponse:
        return render(
            self.request,
            "scan/wizard_done.html",
            {"respondent": self.respondent, "scan_round": self.respondent.round},
        )

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        step = self.steps.current
        cell = self.cells.get(step)
        steps = list(self.get_form_list())
        base = self.get_step_url(INTRO).removesuffix(f"{INTRO}/")  # one reverse, not one a cell
        outline = [
            {
                "code": entry.code,
                "name": entry.name,
                "answered": sum(1 for code in entry.statement_codes if code in self.answers),
                "total": len(entry.statement_codes),
                "url": f"{base}{entry.code}/",
            }
            for entry in self.wording.outline
        ]
        texts = step_wording(self.doc, step, self.group, self.language) if cell else None
        context.update(
            {
                "respondent": self.respondent,
                "scan_round": self.respondent.round,
                "organisation": self.respondent.round.organisation,
                "cell": cell,
                "cell_name": texts.cell_name if texts else "",
                "cell_description": texts.cell_description if texts else "",
                "domain_name": texts.domain_name if texts else "",
                "scale": texts.scale if texts else (),
                "topic_number": steps.index(step) if cell else 0,
                "topics_left": len(steps) - 2 - steps.index(step) if cell else 0,
                "minutes": self.wording.minutes,
                "group": self.group,
                "step_number": steps.index(step) + 1,
                "step_count": len(steps),
                "progress_percent": round(100 * steps.index(step) / max(len(steps) - 1, 1)),
                "outline": outline,
                "open_count": sum(o["total"] - o["answered"] for o in outline),
                "levels": self.wording.levels,
                "is_intro": step == INTRO,
                "is_closing": step == CLOSING,
                "prev_step": self.get_prev_step(step),
                "minimum_group_size": self.respondent.round.min_group_size,
            }
        )
        return context

    def done(self, form_list, **kwargs):  # pragma: no cover - post() handles the last step
        return redirect(self.get_step_url(DONE))
