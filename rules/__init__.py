"""The HSCT-for-MS screening criteria as code: answers in, an explained assessment out.

Pure Python, standard library only. The specification it implements is written out
from these declarations in ``docs/criteria.md`` (``python -m rules docs``).
"""

from .answers import Answers, AnswersError, Problem
from .assess import evaluate, outcome_of
from .cautions import CAUTIONS, CAUTIONS_BY_ID
from .content import CRITERIA_VERSION, SOURCES_CHECKED
from .criteria import CRITERIA, CRITERIA_BY_ID
from .fields import FIELDS, UNSURE
from .model import OUTCOMES, STATUSES, Assessment, Finding
from .sources import SOURCES

__all__ = [
    "CAUTIONS",
    "CAUTIONS_BY_ID",
    "CRITERIA",
    "CRITERIA_BY_ID",
    "CRITERIA_VERSION",
    "FIELDS",
    "OUTCOMES",
    "SOURCES",
    "SOURCES_CHECKED",
    "STATUSES",
    "UNSURE",
    "Answers",
    "AnswersError",
    "Assessment",
    "Finding",
    "Problem",
    "evaluate",
    "outcome_of",
]
