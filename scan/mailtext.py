"""Mail texts: the placeholders a text may use, checking a text before it is saved, and
rendering it. Pure functions, no queries."""

from __future__ import annotations

from string import Formatter

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

PLACEHOLDERS = (
    "name",
    "organisation",
    "round",
    "link",
    "opens_on",
    "closes_on",
    "threshold",
    "minutes",
)
REQUIRED_IN_BODY = ("link",)

BROKEN_TEXT = gettext_lazy(
    "The text has a stray or unclosed brace: %(error)s. Placeholders look like {link}; "
    "write {{ or }} for a brace itself."
)
UNKNOWN_PLACEHOLDERS = gettext_lazy("Unknown placeholders: %(names)s. Use only: %(allowed)s.")
LINK_REQUIRED = gettext_lazy("The text must contain the respondent's link: {link}.")
FORMATTED_PLACEHOLDER = gettext_lazy(
    "Placeholders cannot carry a format or conversion: %(names)s. Write them as {name}."
)


def _braced(names) -> str:
    return ", ".join("{" + n + "}" for n in names)


class MailTextError(ValueError):
    """A text that cannot be rendered; the message names the problem."""


def placeholders_in(text: str) -> list[tuple[str, str, str | None]]:
    """(name, format_spec, conversion) of every placeholder; raises MailTextError when the
    text cannot be parsed (a stray '{' or '}')."""
    try:
        return [
            (name, spec or "", conversion)
            for _literal, name, spec, conversion in Formatter().parse(text)
            if name is not None
        ]
    except ValueError as exc:
        raise MailTextError(str(BROKEN_TEXT % {"error": exc})) from exc


def problems(*, subject: str, body: str) -> dict[str, list[str]]:
    """Field -> messages; empty when the text can be saved."""
    found: dict[str, list[str]] = {}
    for field, text in (("subject", subject), ("body", body)):
        try:
            names = placeholders_in(text)
        except MailTextError as exc:
            found.setdefault(field, []).append(str(exc))
            continue
        unknown = sorted({n for n, _s, _c in names if n not in PLACEHOLDERS})
        if unknown:
            found.setdefault(field, []).append(
                str(
                    UNKNOWN_PLACEHOLDERS
                    % {
                        "names": _braced(unknown),
                        "allowed": _braced(PLACEHOLDERS),
                    }
                )
            )
        formatted = sorted({n for n, s, c in names if (s or c) and n in PLACEHOLDERS})
        if formatted:
            found.setdefault(field, []).append(
                str(FORMATTED_PLACEHOLDER % {"names": ", ".join(formatted)})
            )
        if field == "body" and not any(n == "link" for n, _s, _c in names):
            found.setdefault(field, []).append(str(LINK_REQUIRED))
    return found


def check_template(*, subject: str, body: str) -> None:
    found = problems(subject=subject, body=body)
    if found:
        raise ValidationError(found)


def render_text(text: str, context: dict[str, str]) -> str:
    """Fill in the placeholders; raises MailTextError for a text that cannot be rendered
    (a template saved before the checks existed, or written to the database directly)."""
    names = placeholders_in(text)
    unknown = sorted({n for n, _s, _c in names if n not in context})
    if unknown:
        raise MailTextError(
            str(
                UNKNOWN_PLACEHOLDERS
                % {
                    "names": _braced(unknown),
                    "allowed": _braced(PLACEHOLDERS),
                }
            )
        )
    try:
        return text.format_map(context)
    except (ValueError, KeyError, IndexError, AttributeError) as exc:
        raise MailTextError(str(BROKEN_TEXT % {"error": exc})) from exc
