"""Every change in the improvement cycle goes through these functions, one module per
aggregate."""

from ..errors import CycleError
from ..permissions import can_change_action, can_create_action, is_chair
from ..selectors import latest_closed_round, latest_model
from .ambitions import ambition_basis, ambition_set, current_targets, default_targets
from .evaluations import (
    evaluation_prepare,
    evaluation_prepare_now,
    evaluations_prepare_due,
    schedule_set,
)
from .improvement_actions import action_change, action_create, action_progress
from .measures import measures_import
from .reminders import reminders_send
from .reviews import (
    NOT_SIGNED_OFF,
    SIGN_OFF_NEEDS_FINAL_SUMMARY,
    WITHDRAWAL_NEEDS_REASON,
    review_for,
    review_save_summary,
    review_sign_off,
    review_snapshot,
    review_withdraw,
)
from .working_groups import working_group_set

__all__ = [
    "NOT_SIGNED_OFF",
    "SIGN_OFF_NEEDS_FINAL_SUMMARY",
    "WITHDRAWAL_NEEDS_REASON",
    "CycleError",
    "action_change",
    "action_create",
    "action_progress",
    "ambition_set",
    "can_change_action",
    "can_create_action",
    "current_targets",
    "default_targets",
    "ambition_basis",
    "evaluation_prepare",
    "evaluation_prepare_now",
    "evaluations_prepare_due",
    "is_chair",
    "latest_closed_round",
    "latest_model",
    "measures_import",
    "reminders_send",
    "review_for",
    "review_save_summary",
    "review_sign_off",
    "review_snapshot",
    "review_withdraw",
    "schedule_set",
    "working_group_set",
]
