"""The action list as a file (CSV or Excel), with the filters of the page. Written through
scan's table writers, so text a spreadsheet would run as a formula stays text."""

from __future__ import annotations

from django.utils.translation import gettext as _

from scan.exports import table_csv, table_xlsx

from .models import ImprovementAction


def action_rows(actions, cell_names: dict[str, str]) -> list[list]:
    header = [
        _("Action"),
        _("Cells"),
        _("Owner"),
        _("Working group"),
        _("Start date"),
        _("Due date"),
        _("Status"),
        _("Priority"),
        _("Overdue"),
        _("Expected effect"),
    ]
    rows: list[list] = [header]
    for action in actions:
        assert isinstance(action, ImprovementAction)
        rows.append(
            [
                action.title,
                ", ".join(cell_names.get(c.cell_code, c.cell_code) for c in action.cells.all()),
                str(action.owner) if action.owner else "",
                action.working_group.name if action.working_group else "",
                action.start_on.isoformat() if action.start_on else "",
                action.due_on.isoformat() if action.due_on else "",
                str(action.get_status_display()),
                str(action.get_priority_display()),
                _("yes") if action.is_overdue else "",
                action.expected_effect,
            ]
        )
    return rows


def actions_file(actions, cell_names: dict[str, str], fmt: str) -> bytes:
    rows = action_rows(actions, cell_names)
    return table_csv(rows) if fmt == "csv" else table_xlsx(rows, _("Actions"))
