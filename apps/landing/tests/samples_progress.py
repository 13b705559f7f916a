"""URL-walker samples for progress: a month's report, a photo on it, a batch start.

A report and its photo sit on a project of the unit (made as a lead: the walker only needs the
record to belong to the unit); the marker is the report's description, the photo's caption and
the batch's name.
"""

import itertools
from datetime import date
from io import BytesIO

from django.core.files.base import ContentFile
from PIL import Image

from apps.core.tests.samples import sample
from apps.investment.tests.samples import make_project_sample
from apps.landing.models import BatchStart, ProgressPhoto, ProgressReport
from apps.org.models import Unit, User

_serial = itertools.count(1)


def png_bytes(size: tuple[int, int] = (4, 3)) -> bytes:
    """A real, tiny PNG made with Pillow."""
    buffer = BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


@sample(ProgressReport)
def make_report_sample(unit: Unit, marker: str) -> ProgressReport:
    project = make_project_sample(unit, marker)
    return ProgressReport.objects.create(
        project=project,
        month=date(2026, 1, 1),
        invested_in_month=100,
        invested_to_date=100,
        description=marker,
        reported_by=project.created_by,
    )


@sample(ProgressPhoto)
def make_photo_sample(unit: Unit, marker: str) -> ProgressPhoto:
    report = make_report_sample(unit, marker)
    return ProgressPhoto.objects.create(
        report=report,
        image=ContentFile(png_bytes(), name=f"sample{next(_serial)}.png"),
        caption=marker[:100],
        uploaded_by=report.reported_by,
    )


@sample(BatchStart)
def make_batch_sample(unit: Unit, marker: str) -> BatchStart:
    person = User.objects.create(username=f"batchsample{next(_serial)}", unit=unit, name="样本登记人")
    return BatchStart.objects.create(name=marker, unit=unit, held_on=date(2026, 3, 18), created_by=person)
