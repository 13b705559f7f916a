from apps.bizenv.models.indicators import Indicator, Methodology
from apps.bizenv.models.rounds import Entry, Reference, Result, Round, Score

__all__ = ["Entry", "Indicator", "Methodology", "Reference", "Result", "Round", "Score"]
