"""Loading a round's answers for scoring: one query, straight into a DataFrame."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from wagtail import hooks

from core.models import AccessToken, TokenScope
from core.services.tokens import tokens_of_user
from scan.modeldoc import ModelDoc
from scan.models import Answer, Respondent, ScanRound, StepComment
from scan.selectors import model_doc

from .extensions import (
    CELL_PANELS_HOOK,
    DASHBOARD_PANELS_HOOK,
    REVIEW_PANELS_HOOK,
    TREND_PANELS_HOOK,
    Panel,
)
from .scoring import ALL, ORGANISATION, empty_answers


@dataclass(frozen=True)
class LoadedAnswers:
    """A round's submitted answers (ANSWER_COLUMNS), its groups with answers, and the
    comments written beside the answers (group, cell, comment)."""

    answers: pd.DataFrame
    groups: list[tuple[str, str]]
    comments: pd.DataFrame


PEOPLE_COLUMNS = ["respondent", "round", "group", "group_name", "group_position", "department"]
COMMENT_COLUMNS = ["group", "cell", "comment"]


def answers_frames(rounds: list[ScanRound]) -> list[LoadedAnswers]:
    """The answers of several rounds, split per round. Only submitted respondents count: a
    half-finished scan is not a result. Three narrow queries: the respondents (group and
    department once per person, not per answer), the answers as three plain columns, and the
    few answers with a comment."""
    if not rounds:
        return []
    ids = [r.pk for r in rounds]
    submitted = {"respondent__round_id__in": ids, "respondent__submitted_at__isnull": False}
    people = pd.DataFrame(
        list(
            Respondent.objects.filter(round_id__in=ids, submitted_at__isnull=False).values_list(
                "pk", "round_id", "group__kind", "group__name", "group__position", "department"
            )
        ),
        columns=PEOPLE_COLUMNS,
    )
    respondent, statement, level = _answer_columns(ids)
    comments = pd.DataFrame(
        list(
            Answer.objects.filter(**submitted)
            .exclude(comment="")
            .exclude(comment__isnull=True)
            .values_list(
                "respondent__round_id", "respondent__group__kind", "statement_code", "comment"
            )
        ),
        columns=["round", "group", "statement", "comment"],
    )
    round_of = people.set_index("respondent")["round"]
    answer_round = round_of.reindex(respondent).to_numpy() if len(respondent) else respondent
    out = []
    for scan_round in rounds:
        mine = answer_round == scan_round.pk
        out.append(
            answer_table(
                respondent[mine],
                statement[mine],
                level[mine],
                people[people["round"] == scan_round.pk],
                comments[comments["round"] == scan_round.pk],
                model_doc(scan_round),
            )
        )
    return out


# Per statement, its answers as one text of "respondent,level" pairs (-1: not applicable):
# the database aggregates, so no Python object is made per answer.
_AGGREGATE = {
    "postgresql": "string_agg(a.respondent_id::text || ',' || COALESCE(a.level, -1)::text, ',')",
    "sqlite": "group_concat(a.respondent_id || ',' || COALESCE(a.level, -1), ',')",
}


def _answer_columns(round_ids: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Respondent ids, statement codes and levels (NaN: not applicable) of the submitted
    answers of these rounds, as numpy columns."""
    vendor = connection.vendor
    if vendor not in _AGGREGATE:
        listed = list(
            Answer.objects.filter(
                respondent__round_id__in=round_ids, respondent__submitted_at__isnull=False
            ).values_list("respondent_id", "statement_code", "level")
        )
        return (
            np.array([r[0] for r in listed], dtype=np.int64),
            np.array([r[1] for r in listed], dtype=object),
            np.array([np.nan if r[2] is None else r[2] for r in listed], dtype=np.float64),
        )
    sql = (
        f"SELECT a.statement_code, {_AGGREGATE[vendor]} "
        f"FROM {Answer._meta.db_table} a JOIN {Respondent._meta.db_table} r "
        "ON r.id = a.respondent_id "
        f"WHERE r.round_id IN ({', '.join(['%s'] * len(round_ids))}) "
        "AND r.submitted_at IS NOT NULL GROUP BY a.statement_code"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, round_ids)
        rows = cursor.fetchall()
    pairs = [np.array(text.split(","), dtype=np.int64).reshape(-1, 2) for _code, text in rows]
    if not pairs:
        return np.array([], dtype=np.int64), np.array([], dtype=object), np.array([])
    both = np.concatenate(pairs)
    codes = np.array([code for code, _text in rows], dtype=object)
    level = both[:, 1].astype(np.float64)
    level[both[:, 1] < 0] = np.nan
    return both[:, 0], np.repeat(codes, [len(p) for p in pairs]), level


def answer_table(
    respondent: np.ndarray,
    statement: np.ndarray,
    level: np.ndarray,
    people: pd.DataFrame,
    comments: pd.DataFrame,
    doc: ModelDoc,
) -> LoadedAnswers:
    """One round's answers (ANSWER_COLUMNS) from plain columns as the database gives them:
    respondent ids, statement codes and levels, with the respondents (PEOPLE_COLUMNS) and the
    comments (group, statement, comment). Text columns come out as categories built from the
    model's few codes: no text is hashed per answer except the statement code, once."""
    if len(respondent) == 0:
        return LoadedAnswers(empty_answers(), [], pd.DataFrame(columns=COMMENT_COLUMNS))
    lookup = doc.statement_frame_rows()
    statements = sorted({s for s, _c, _d in lookup})
    cell_of = {s: c for s, c, _d in lookup}
    domain_of = {s: d for s, _c, d in lookup}
    codes = pd.Categorical(statement, categories=statements).codes
    known = codes >= 0  # answers to statements the model does not have are left out
    if not known.any():
        return LoadedAnswers(empty_answers(), [], pd.DataFrame(columns=COMMENT_COLUMNS))
    codes = codes[known].astype(np.int64)
    cells = sorted(set(cell_of.values()))
    domains = sorted(set(domain_of.values()))
    cell_codes = np.array([cells.index(cell_of[s]) for s in statements], dtype=np.int64)
    domain_codes = np.array([domains.index(domain_of[s]) for s in statements], dtype=np.int64)

    people = people.assign(department=people["department"].fillna(""))
    person = pd.Index(people["respondent"]).get_indexer(respondent[known])
    kinds = sorted({str(k) for k in people["group"]} | {ALL, ORGANISATION})
    group = pd.Categorical(people["group"].astype(str), categories=kinds).codes
    departments = sorted(set(people["department"]))
    department = pd.Categorical(people["department"], categories=departments).codes
    answers = pd.DataFrame(
        {
            "respondent": respondent[known],
            "group": pd.Categorical.from_codes(group[person], categories=kinds),
            "department": pd.Categorical.from_codes(department[person], categories=departments),
            "statement": pd.Categorical.from_codes(codes, categories=statements),
            "cell": pd.Categorical.from_codes(cell_codes[codes], categories=cells),
            "domain": pd.Categorical.from_codes(domain_codes[codes], categories=domains),
            "level": level[known],
        }
    )
    answered = people[people["respondent"].isin(np.unique(answers["respondent"].to_numpy()))]
    groups = answered.drop_duplicates("group").sort_values(["group_position", "group"])
    comments = comments[comments["statement"].isin(cell_of)]
    return LoadedAnswers(
        answers=answers,
        groups=[
            (str(k), str(n)) for k, n in zip(groups["group"], groups["group_name"], strict=True)
        ],
        comments=comments.assign(cell=comments["statement"].map(cell_of))[
            COMMENT_COLUMNS
        ].reset_index(drop=True),
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


def _signed_snapshots(rounds: list[ScanRound]) -> QuerySet | None:
    """The snapshots in force (not withdrawn) of the signed rounds among these; None when
    none of them is signed (no query)."""
    from .models import FrozenResults

    signed = [r.pk for r in rounds if r.signed_at is not None]
    if not signed:
        return None
    return FrozenResults.objects.filter(round_id__in=signed, withdrawn_at__isnull=True)


def _newest_releases(round_ids: list[int]) -> QuerySet:
    """The latest release of each of these rounds."""
    from .models import Release

    newest = Release.objects.filter(round=OuterRef("round")).order_by("-number").values("number")
    return Release.objects.filter(round_id__in=round_ids, number=Subquery(newest[:1]))


def frozen_snapshots(rounds: list[ScanRound]) -> dict[int, dict]:
    """The snapshot in force (not withdrawn) of each signed round among these; no query when
    none of them is signed."""
    snapshots = _signed_snapshots(rounds)
    return {} if snapshots is None else dict(snapshots.values_list("round_id", "data"))


def latest_releases(rounds: list[ScanRound]) -> dict[int, dict]:
    """The snapshot of each round's latest release among these, in one query."""
    if not rounds:
        return {}
    return dict(_newest_releases([r.pk for r in rounds]).values_list("round_id", "data"))


def snapshot_overalls(rounds: list[ScanRound]) -> dict[int, tuple[str, int, dict | None]]:
    """Per round the snapshot its figures come from, as for ``frozen_snapshots`` and
    ``latest_releases`` ("signed" or "release", and its id: a snapshot's figures never
    change), with that snapshot's overall table alone, picked out by the database."""
    found: dict[int, tuple[str, int, dict | None]] = {}
    overall = ("round_id", "pk", "data__scores__overall")
    snapshots = _signed_snapshots(rounds)
    if snapshots is not None:
        for round_id, pk, table in snapshots.values_list(*overall):
            found[round_id] = ("signed", pk, table)
    rest = [r.pk for r in rounds if r.pk not in found]
    if rest:
        for round_id, pk, table in _newest_releases(rest).values_list(*overall):
            found[round_id] = ("release", pk, table)
    return found


def trend_rounds(scan_round: ScanRound, *, limit: int = 8) -> list[ScanRound]:
    """This round and the ones before it, oldest first, following previous_round links. The
    organisation's rounds are read in one query and the links followed among them, instead
    of one query per round."""
    others = {r.pk: r for r in ScanRound.objects.filter(organisation_id=scan_round.organisation_id)}
    link = ScanRound._meta.get_field("previous_round")
    chain: list[ScanRound] = []
    current: ScanRound | None = scan_round
    while current is not None and len(chain) < limit and current not in chain:
        chain.append(current)
        found = others.get(current.previous_round_id or 0)
        if found is not None and not link.is_cached(current):
            link.set_cached_value(current, found)  # as if followed: later reads need no query
        current = current.previous_round  # (a link outside the organisation costs a query)
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


def organisation_api_tokens(organisation) -> QuerySet[AccessToken]:
    """The personal API tokens a coordinator of ``organisation`` may see and revoke. A token
    acts with all of its owner's roles, so only tokens of people whose one and only role is in
    this organisation; consultants and staff keep theirs to themselves."""
    from core.models import Membership, Role

    elsewhere = Membership.objects.filter(user=OuterRef("user")).exclude(organisation=organisation)
    consultant = Membership.objects.filter(user=OuterRef("user"), role=Role.CONSULTANT)
    return (
        AccessToken.objects.for_scope(TokenScope.RESULTS_READ)
        .filter(
            user__memberships__organisation=organisation,
            user__is_staff=False,
            user__is_superuser=False,
        )
        .exclude(Exists(elsewhere))
        .exclude(Exists(consultant))
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__email", "-created_at")
    )


def api_tokens_of(user) -> QuerySet[AccessToken]:
    """A person's own results tokens, newest first."""
    return tokens_of_user(user, TokenScope.RESULTS_READ)
