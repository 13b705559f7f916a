"""Saving the plan in bulk, with the generated timestamps and the documents' small files."""

import struct
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.db import models
from django.utils import timezone

from apps.investment.models import (
    Claim,
    ClaimConflict,
    Event,
    FundRecord,
    Introducer,
    NegotiationRound,
    PipelineSettings,
    Project,
    ProjectDocument,
    ProjectParticipant,
    RewardClaim,
    ScreeningResult,
    StageChange,
    Team,
    TeamMember,
    Trip,
)

if TYPE_CHECKING:
    from yingshang.demo.investment.plan import PipelinePlan


BATCH = 1000


def save(pipeline: "PipelinePlan") -> None:
    """Settings, events, teams and introducers first, then the projects and what hangs on them."""
    settings = PipelineSettings.current()
    settings.coordinating_unit = pipeline.bureau
    settings.save()
    Event.objects.bulk_create(pipeline.events, batch_size=BATCH)
    _save_teams(pipeline)
    Introducer.objects.bulk_create([i for group in pipeline.introducers.values() for i in group], batch_size=BATCH)
    _save_projects(pipeline)
    plans = pipeline.plans
    with generated_timestamps(StageChange, NegotiationRound, FundRecord, ScreeningResult, Claim, ClaimConflict):
        ProjectParticipant.objects.bulk_create([r for p in plans for r in p.participants], batch_size=BATCH)
        StageChange.objects.bulk_create([r for p in plans for r in p.changes], batch_size=BATCH)
        NegotiationRound.objects.bulk_create([r for p in plans for r in p.talks], batch_size=BATCH)
        FundRecord.objects.bulk_create([r for p in plans for r in p.funds], batch_size=BATCH)
        ScreeningResult.objects.bulk_create([r for p in plans for r in p.screenings], batch_size=BATCH)
        Claim.objects.bulk_create([p.claim for p in plans], batch_size=BATCH)
        ClaimConflict.objects.bulk_create(pipeline.conflicts, batch_size=BATCH)
    _save_documents(pipeline)
    pipeline.rule.save()
    with generated_timestamps(RewardClaim):
        RewardClaim.objects.bulk_create(pipeline.rewards, batch_size=BATCH)


def _save_teams(pipeline: "PipelinePlan") -> None:
    teams = [team for group in pipeline.teams.values() for team in group]
    Team.objects.bulk_create(teams, batch_size=BATCH)
    through = Team.target_industries.through
    links = [
        through(team_id=team.pk, industry_id=pipeline.industries[code].pk)
        for team, codes in pipeline.team_industries
        for code in codes
        if code in pipeline.industries
    ]
    through.objects.bulk_create(links, batch_size=BATCH)
    TeamMember.objects.bulk_create(pipeline.members, batch_size=BATCH)
    Trip.objects.bulk_create([trip for trip, _visited in pipeline.trips], batch_size=BATCH)
    visits = Trip.visited.through
    rows = [visits(trip_id=trip.pk, enterprise_id=pk) for trip, visited in pipeline.trips for pk in visited]
    visits.objects.bulk_create(rows, batch_size=BATCH)


def _save_projects(pipeline: "PipelinePlan") -> None:
    """In the order they were registered, so that ids and codes (XM2026-000123, services/projects.py) follow it."""
    pipeline.plans.sort(key=lambda p: p.project.created_at)
    projects = [p.project for p in pipeline.plans]
    for n, project in enumerate(projects):
        project.code = f"demo-{n}"
    with generated_timestamps(Project):
        Project.objects.bulk_create(projects, batch_size=BATCH)  # SQLite and PostgreSQL return the new ids
    for project in projects:
        project.code = f"XM{timezone.localtime(project.created_at).year}-{project.pk:06d}"
    Project.objects.bulk_update(projects, ["code"], batch_size=BATCH)


def _save_documents(pipeline: "PipelinePlan") -> None:
    """Each document a small real file in the storage (a PDF, or a PNG for a photo), under its project's code."""
    field_ = ProjectDocument._meta.get_field("file")
    rows = []
    for plan in pipeline.plans:
        project = plan.project
        for kind, title, uploaded in plan.documents:
            photo = kind == ProjectDocument.Kind.START_PHOTO
            path = f"investment/{uploaded:%Y/%m}/{project.code}-{kind}.{'png' if photo else 'pdf'}"
            content = (
                SITE_PHOTO if photo else pdf_bytes([f"Yingshang demo: {kind}", project.code, f"{uploaded:%Y-%m-%d}"])
            )
            name = field_.storage.save(path, ContentFile(content))
            rows.append(
                ProjectDocument(
                    project=project,
                    kind=kind,
                    title=title,
                    file=name,
                    uploaded_by_id=plan.officer.pk,
                    uploaded_at=uploaded,
                )
            )
    with generated_timestamps(ProjectDocument):
        ProjectDocument.objects.bulk_create(rows, batch_size=BATCH)


@contextmanager
def generated_timestamps(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let bulk inserts keep the generated times: auto_now and auto_now_add would stamp every row with now."""
    fields = [
        f
        for model in model_classes
        for f in model._meta.concrete_fields
        if isinstance(f, models.DateField) and (f.auto_now or f.auto_now_add)
    ]
    flags = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in flags:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


# ---- the documents' files


def pdf_bytes(lines: list[str]) -> bytes:
    """A one-page PDF showing ``lines`` (ASCII) in Helvetica, with a correct cross-reference table."""
    shown = " ".join(
        "({}) '".format(line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")) for line in lines
    )
    stream = f"BT /F1 14 Tf 72 770 Td 20 TL {shown} ET"
    bodies = (
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    )
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("ascii")
    table = "".join(f"{offset:010d} 00000 n \n" for offset in offsets)
    trailer = f"trailer\n<< /Size {len(bodies) + 1} /Root 1 0 R >>\nstartxref\n{len(out)}\n%%EOF\n"
    return out + f"xref\n0 {len(bodies) + 1}\n0000000000 65535 f \n{table}{trailer}".encode("ascii")


def png_bytes(width: int, height: int, bands: tuple[tuple[int, int, int], ...]) -> bytes:
    """A PNG of horizontal colour bands (a stand-in for a site photo: sky, crane yellow, earth)."""
    rows = [bands[min(len(bands) - 1, y * len(bands) // height)] for y in range(height)]
    raw = b"".join(b"\x00" + bytes(colour) * width for colour in rows)

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


SITE_PHOTO = png_bytes(320, 180, ((135, 190, 235), (135, 190, 235), (240, 190, 40), (150, 110, 70), (120, 90, 60)))
