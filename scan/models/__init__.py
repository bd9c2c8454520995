"""The maturity model, scan rounds, respondents and their answers.

The maturity model is edited as a draftable snippet; publishing freezes it into an
immutable ModelVersion document. Rounds pin a version and answers refer to statement codes
inside that document, so editing the model never changes old results.

One module per aggregate; everything is re-exported here, so ``from scan.models import X``
is the import to use.
"""

# Registration order = the order of the original single module (backups and dumps follow it).
# isort: off
from .maturity import LEVELS, MaturityModel, ModelVersion
from .rounds import GroupKind, OpenLink, RespondentGroup, RoundStatus, ScanRound
from .respondents import COMMENT_MAX_LENGTH, Answer, Respondent, RespondentToken, StepComment
from .mail import MailKind, MailTemplate, RespondentMail
from .workshop import Consensus

# isort: on

__all__ = [
    "COMMENT_MAX_LENGTH",
    "LEVELS",
    "Answer",
    "Consensus",
    "GroupKind",
    "MailKind",
    "MailTemplate",
    "ModelVersion",
    "MaturityModel",
    "OpenLink",
    "Respondent",
    "RespondentMail",
    "RespondentGroup",
    "RespondentToken",
    "RoundStatus",
    "ScanRound",
    "StepComment",
]
