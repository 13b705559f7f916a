"""URL-walker samples: each county runs its own little scheme (a year of its own, as schemes are one per
year and group), assessed on itself, with a target, a manual figure, a deduction, a snapshot, a
correction and an admonition. The marker is the scheme's name, the snapshot's label, the note, the
reason or the issues."""

import hashlib
import itertools
from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile

from apps.assessment.models import (
    Admonition,
    Bulletin,
    Correction,
    Deduction,
    ManualValue,
    Metric,
    Scheme,
    SchemeItem,
    Snapshot,
    SnapshotRow,
    Target,
)
from apps.core.tests.samples import sample
from apps.org.models import Unit, User

_years = itertools.count(2031)


def _person(unit: Unit) -> User:
    return User.objects.create(username=f"assessment-{unit.code}-{User.objects.count()}", unit=unit, name="考核经办")


@sample(Scheme)
def make_scheme_sample(unit: Unit, marker: str) -> Scheme:
    return Scheme.objects.create(
        year=next(_years), group=Scheme.Group.COUNTY, name=marker, unit=unit, snapshot_kinds=["month"],
        created_by=_person(unit),
    )  # fmt: skip


@sample(Target)
def make_target_sample(unit: Unit, marker: str) -> Target:
    scheme = make_scheme_sample(unit, marker)
    item = SchemeItem.objects.create(scheme=scheme, metric=Metric.objects.get(code="major_reserve"), weight=10)
    return Target.objects.create(item=item, unit=unit, value=Decimal(5))


@sample(ManualValue)
def make_manual_value_sample(unit: Unit, marker: str) -> ManualValue:
    target = make_target_sample(unit, marker)
    return ManualValue.objects.create(
        target=target, as_of=date(target.item.scheme.year, 1, 31), value=Decimal(2), note=marker,
        evidence=ContentFile(b"%PDF-1.4 sample", name="evidence.pdf"), entered_by=target.item.scheme.created_by,
    )  # fmt: skip


@sample(Deduction)
def make_deduction_sample(unit: Unit, marker: str) -> Deduction:
    scheme = make_target_sample(unit, marker).item.scheme
    return Deduction.objects.create(
        scheme=scheme, unit=unit, kind=Deduction.Kind.OTHER, points=Decimal(1), happened_on=date(scheme.year, 2, 1),
        reason=marker, recorded_by=scheme.created_by,
    )  # fmt: skip


@sample(Snapshot)
def make_snapshot_sample(unit: Unit, marker: str) -> Snapshot:
    target = make_target_sample(unit, marker)
    scheme = target.item.scheme
    snapshot = Snapshot.objects.create(
        scheme=scheme, kind="month", starts_on=date(scheme.year, 1, 1), ends_on=date(scheme.year, 1, 31),
        label=marker, scoring_version=1, inputs={"units": [{"id": unit.pk, "name": unit.name}], "items": []},
    )  # fmt: skip
    SnapshotRow.objects.create(snapshot=snapshot, unit=unit, score=Decimal(10), rank=1, items=[])
    return snapshot


@sample(Correction)
def make_correction_sample(unit: Unit, marker: str) -> Correction:
    snapshot = make_snapshot_sample(unit, marker)
    return Correction.objects.create(
        snapshot=snapshot, corrects=snapshot, unit=unit, metric=Metric.objects.get(code="major_reserve"),
        published=Decimal(1), corrected=Decimal(2), reason=marker,
    )  # fmt: skip


@sample(Admonition)
def make_admonition_sample(unit: Unit, marker: str) -> Admonition:
    snapshot = make_snapshot_sample(unit, marker)
    return Admonition.objects.create(
        snapshot=snapshot, unit=unit, issues=marker, recorded_by=snapshot.scheme.created_by
    )


@sample(Bulletin)
def make_bulletin_sample(unit: Unit, marker: str) -> Bulletin:
    snapshot = make_snapshot_sample(unit, marker)
    docx, pdf = b"PK sample docx", b"%PDF-1.4 sample"
    return Bulletin.objects.create(
        snapshot=snapshot, kind="monthly", number=f"{marker}〔{snapshot.scheme.year}〕1号", title=marker,
        recipients=marker, issued_on=snapshot.ends_on, issuing_unit=unit, summary=marker,
        status=Bulletin.Status.ISSUED, docx=ContentFile(docx, name="b.docx"), pdf=ContentFile(pdf, name="b.pdf"),
        docx_sha256=hashlib.sha256(docx).hexdigest(), pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        template_revision=0, requested_by=snapshot.scheme.created_by,
    )  # fmt: skip
