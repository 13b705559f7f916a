"""The demo city's investment pipeline: about 600 projects per unit of ``--scale``, from lead to full capacity.

Every county, the development zone and the city's 投资促进局 have projects at every stage — many
leads, intentions and talks, fewer signings, fewer still producing — some paused or dropped with
their reasons, from every channel. The calendar is the last two years up to the day of the build:
each project reached its stages in order (registration ≤ signing ≤ start ≤ completion ≤ production
≤ full capacity ≤ today), each move on its timeline, the county's stages from signing on confirmed
by the 市投资促进局 (the coordinating unit) with an opinion, a few sent back once, a few waiting.
Then the records behind them: rounds of talks, monthly funds in place with their out-of-province and
foreign parts, the documents the stage gates ask for (small real files in the storage), teams and
their trips, the events where projects were signed, introducers and their reward claims, the claims
of 首报首谈 and the conflicts waiting for the coordinating unit, and leads overdue for a response.

Rows are inserted in bulk and replicate what the services would write — the code XM{year}-{id:06d}
and the participants of services/projects.py, the timeline, confirmations and stage dates of
services/workflow.py, the claims renewed by each advance and lapsed after the protection period of
services/claims.py — because calling the services row by row would take minutes. What only reads is
the platform's own: each rule of the screening service, the working-day calendar. The same seed on
the same day builds the same pipeline; a build on another day moves its dates with the day.

``plan`` drafts the projects and marks the few that are late, waiting or sent back; ``records``
writes each project's timeline and records; ``claims`` its claim and the conflicts; ``network`` the
events, teams, introducers and rewards; ``saving`` inserts it all; ``sources`` holds what they draw on.
"""

from django.db import connection

from apps.investment.models import (
    Claim,
    ClaimConflict,
    Event,
    FundMonthTotal,
    FundRecord,
    Introducer,
    NegotiationRound,
    PipelineSettings,
    Project,
    ProjectDocument,
    ProjectParticipant,
    RewardClaim,
    RewardRule,
    ScreeningResult,
    StageChange,
    Team,
    TeamMember,
    Trip,
)
from apps.investment.services.kpi_rollup import rebuild_all
from yingshang.demo import project_names as words
from yingshang.demo.context import DemoContext
from yingshang.demo.investment import saving
from yingshang.demo.investment.plan import PipelinePlan

#: what clear() deletes, in this order (what refers to a record goes before it)
PIPELINE_TABLES = (
    ScreeningResult, RewardClaim, ClaimConflict, Claim, FundMonthTotal, FundRecord, NegotiationRound, ProjectDocument,
    StageChange, ProjectParticipant, Project, Introducer, Trip.visited.through, Trip, TeamMember,
    Team.target_industries.through, Team, Event,
)  # fmt: skip


# ---- reads ------------------------------------------------------------------------------------


def counts() -> int:
    """How many projects the pipeline has."""
    return Project.objects.count()


# ---- build and clear ------------------------------------------------------------------------


def build(ctx: DemoContext) -> None:
    """Plan the whole pipeline in memory, then save it in bulk."""
    plan = PipelinePlan(ctx)
    plan.make()
    saving.save(plan)
    rebuild_all()  # the KPI page's monthly fund totals, once for every record inserted in bulk


def clear() -> None:
    """Delete every pipeline record and the files of its documents; gates, rules and time limits stay.

    Plain DELETE statements, as for the registry (enterprises.clear): the ORM would load every row
    to send the delete signals the audit log listens to.
    """
    storage = ProjectDocument._meta.get_field("file").storage
    for name in ProjectDocument.objects.values_list("file", flat=True):
        storage.delete(name)
    for model in PIPELINE_TABLES:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608 - a model's own table
    RewardRule.objects.filter(name=words.REWARD_RULE).delete()
    PipelineSettings.objects.exclude(coordinating_unit=None).update(coordinating_unit=None)
