"""The investment pipeline's records: projects and their stages, claims, teams, events, rewards, rules."""

from apps.investment.models.claims import Claim, ClaimConflict
from apps.investment.models.events import Event
from apps.investment.models.kpi_rollup import FundMonthTotal
from apps.investment.models.projects import (
    Channel,
    FundRecord,
    NegotiationRound,
    Project,
    ProjectDocument,
    ProjectParticipant,
    Stage,
    StageChange,
)
from apps.investment.models.rewards import Introducer, RewardClaim, RewardRule
from apps.investment.models.rules import PipelineSettings, ScreeningResult, ScreeningRule, StageGate
from apps.investment.models.teams import Team, TeamMember, Trip

__all__ = [
    "Channel",
    "Claim",
    "ClaimConflict",
    "Event",
    "FundMonthTotal",
    "FundRecord",
    "Introducer",
    "NegotiationRound",
    "PipelineSettings",
    "Project",
    "ProjectDocument",
    "ProjectParticipant",
    "RewardClaim",
    "RewardRule",
    "ScreeningResult",
    "ScreeningRule",
    "Stage",
    "StageChange",
    "StageGate",
    "Team",
    "TeamMember",
    "Trip",
]
