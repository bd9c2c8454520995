"""Loading a round's answers for scoring: one query, straight into a DataFrame."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from wagtail import hooks

from scan.modeldoc import ModelDoc
from scan.models import Answer, ScanRound, StepComment
from scan.selectors import model_doc

from .extensions import (
    CELL_PANELS_HOOK,
    DASHBOARD_PANELS_HOOK,
    REVIEW_PANELS_HOOK,
    TREND_PANELS_HOOK,
    Panel,
)
from .models import ApiToken
from .scoring import ANSWER_COLUMNS, empty_answers


@dataclass(frozen=True)
class LoadedAnswers:
    """A round's submitted answers (ANSWER_COLUMNS), its groups with answers, and the
    comments written beside the answers (group, cell, comment)."""

    answers: pd.DataFrame
    groups: list[tuple[str, str]]
    comments: pd.DataFrame


ROW_COLUMNS = [
    "round",
    "respondent",
    "group",
    "group_name",
    "group_position",
    "department",
    "statement",
    "level",
    "comment",
]
COMMENT_COLUMNS = ["group", "cell", "comment"]


def answers_frames(rounds: list[ScanRound]) -> list[LoadedAnswers]:
    """The answers of several rounds in ONE query, split per round. Only submitted respondents
    count: a half-finished scan is not a result."""
    if not rounds:
        return []
    rows = list(
        Answer.objects.filter(
            respondent__round__in=[r.pk for r in rounds],
            respondent__submitted_at__isnull=False,
        ).values_list(
            "respondent__round_id",
            "respondent_id",
            "respondent__group__kind",
            "respondent__group__name",
            "respondent__group__position",
            "respondent__department",
            "statement_code",
            "level",
            "comment",
        )
    )
    frame = pd.DataFrame(rows, columns=ROW_COLUMNS)
    return [_loaded(frame[frame["round"] == r.pk], model_doc(r)) for r in rounds]


def _loaded(frame: pd.DataFrame, doc: ModelDoc) -> LoadedAnswers:
    if frame.empty:
        return LoadedAnswers(empty_answers(), [], pd.DataFrame(columns=COMMENT_COLUMNS))
    lookup = pd.DataFrame(doc.statement_frame_rows(), columns=["statement", "cell", "domain"])
    frame = frame.merge(lookup, on="statement", how="inner")
    groups = (
        frame[["group", "group_name", "group_position"]]
        .drop_duplicates("group")
        .sort_values(["group_position", "group"])
    )
    comments = frame.loc[frame["comment"].fillna("") != "", COMMENT_COLUMNS]
    frame = frame.assign(
        level=frame["level"].astype("float64"), department=frame["department"].fillna("")
    )
    return LoadedAnswers(
        answers=frame[list(ANSWER_COLUMNS)].reset_index(drop=True),
        groups=[
            (str(k), str(n)) for k, n in zip(groups["group"], groups["group_name"], strict=True)
        ],
        comments=comments.reset_index(drop=True),
    )


def answers_frame(scan_round: ScanRound) -> pd.DataFrame:
    """Answers of one round with group, department, cell and domain, as one DataFrame."""
    return answers_frames([scan_round])[0].answers


def step_comments_frame(round_id: int) -> pd.DataFrame:
    """Comments written on a whole step (a cell), of submitted respondents."""
    rows = StepComment.objects.filter(
        respondent__round_id=round_id, respondent__submitted_at__isnull=False
    ).values_list("respondent__group__kind", "cell_code", "comment")
    return pd.DataFrame(list(rows), columns=COMMENT_COLUMNS)


def previous_round(scan_round: ScanRound) -> ScanRound | None:
    """The round before this one, with its snapshot in force as ``frozen_data`` (None when
    it is not signed): one query, or none when the caller loaded an unsigned previous round."""
    from django.db.models import OuterRef, Subquery

    from .models import FrozenResults

    if scan_round.previous_round_id is None:
        return None
    if ScanRound._meta.get_field("previous_round").is_cached(scan_round):
        previous = scan_round.previous_round
        if previous is not None and "frozen_data" not in previous.__dict__:
            previous.frozen_data = (  # type: ignore[attr-defined]  # as the query annotates it
                frozen_snapshots([previous]).get(previous.pk) if previous.signed_at else None
            )
        return previous
    snapshot = FrozenResults.objects.filter(
        round=OuterRef("pk"), round__signed_at__isnull=False, withdrawn_at__isnull=True
    ).values("data")[:1]
    return (
        ScanRound.objects.select_related("model_version")
        .annotate(frozen_data=Subquery(snapshot))
        .filter(pk=scan_round.previous_round_id)
        .first()
    )


def consensus_levels(scan_round: ScanRound) -> dict[str, int]:
    return dict(scan_round.consensus.values_list("cell_code", "level"))


def frozen_snapshots(rounds: list[ScanRound]) -> dict[int, dict]:
    """The snapshot in force (not withdrawn) of each signed round among these; no query when
    none of them is signed."""
    from .models import FrozenResults

    signed = [r.pk for r in rounds if r.signed_at is not None]
    if not signed:
        return {}
    rows = FrozenResults.objects.filter(round_id__in=signed, withdrawn_at__isnull=True).values_list(
        "round_id", "data"
    )
    return dict(rows)


def latest_releases(rounds: list[ScanRound]) -> dict[int, dict]:
    """The snapshot of each round's latest release among these, in one query."""
    from .models import Release

    if not rounds:
        return {}
    newest = Release.objects.filter(round=OuterRef("round")).order_by("-number").values("number")
    rows = Release.objects.filter(
        round_id__in=[r.pk for r in rounds], number=Subquery(newest[:1])
    ).values_list("round_id", "data")
    return dict(rows)


def trend_rounds(scan_round: ScanRound, *, limit: int = 8) -> list[ScanRound]:
    """This round and the ones before it, oldest first (following previous_round links, then
    the organisation's other closed rounds with the same model)."""
    chain: list[ScanRound] = []
    current: ScanRound | None = scan_round
    while current is not None and len(chain) < limit and current not in chain:
        chain.append(current)
        current = current.previous_round
    return list(reversed(chain))


def rounds_for_api(organisation) -> list[ScanRound]:
    return list(
        organisation.rounds.select_related("model_version__model")
        .prefetch_related("groups")
        .order_by("-opens_on")
    )


OVERLAY_HOOK = "klantraat_honeycomb_overlays"
REPORT_SECTIONS_HOOK = "klantraat_report_sections"


def round_overlays(scan_round: ScanRound) -> dict:
    """Targets, annotations and per-cell actions that apps building on the honeycomb add
    through the ``klantraat_honeycomb_overlays`` hook (the honeycomb never imports them).
    Each hook takes the round and returns {"targets": {...}, "annotations": {...}, ...}."""
    merged: dict = {}
    for hook in hooks.get_hooks(OVERLAY_HOOK):
        for key, value in hook(scan_round).items():
            merged.setdefault(key, {}).update(value)
    return merged


def _panels(hook_name: str, *args) -> list[Panel]:
    panels: list[Panel] = []
    for hook in hooks.get_hooks(hook_name):
        found = hook(*args) or []
        if not all(isinstance(panel, Panel) for panel in found):
            raise TypeError(f"{hook_name}: {hook.__qualname__} returned something else than Panels")
        panels.extend(found)
    return panels


def cell_panels(scan_round: ScanRound, cell_code: str, language: str) -> list[Panel]:
    """Sections other apps add to a cell's page through the ``klantraat_cell_panels`` hook (the
    honeycomb never imports them): each hook is a ``RoundCellPanels``."""
    return _panels(CELL_PANELS_HOOK, scan_round, cell_code, language)


def dashboard_panels(organisation, language: str) -> list[Panel]:
    """Sections for the organisation's dashboard (``klantraat_dashboard_panels``): each hook
    is an ``OrganisationPanels``."""
    return _panels(DASHBOARD_PANELS_HOOK, organisation, language)


def review_panels(scan_round: ScanRound, language: str) -> list[Panel]:
    """Sections for a round's review (``klantraat_review_panels``): each hook is a
    ``RoundPanels``."""
    return _panels(REVIEW_PANELS_HOOK, scan_round, language)


def trend_panels(scan_round: ScanRound, cell_code: str, language: str) -> list[Panel]:
    """Sections below one cell's trend (``klantraat_trend_panels``): each hook is a
    ``RoundCellPanels``."""
    return _panels(TREND_PANELS_HOOK, scan_round, cell_code, language)


def organisation_api_tokens(organisation) -> QuerySet[ApiToken]:
    """The personal API tokens a coordinator of ``organisation`` may see and revoke. A token
    acts with all of its owner's roles, so only tokens of people whose one and only role is in
    this organisation; consultants and staff keep theirs to themselves."""
    from scan.models import Membership, Role

    elsewhere = Membership.objects.filter(user=OuterRef("user")).exclude(organisation=organisation)
    consultant = Membership.objects.filter(user=OuterRef("user"), role=Role.CONSULTANT)
    return (
        ApiToken.objects.filter(
            user__memberships__organisation=organisation,
            user__is_staff=False,
            user__is_superuser=False,
        )
        .exclude(Exists(elsewhere))
        .exclude(Exists(consultant))
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__email", "-created_at")
    )


def api_tokens_of(user) -> QuerySet[ApiToken]:
    """A person's own API tokens, newest first."""
    return ApiToken.objects.filter(user=user).order_by("-created_at")
