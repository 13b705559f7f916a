"""Background work of the assessment, run by the task worker (./dev worker): thin, by id, idempotent."""

from django_tasks import task


@task()
def generate_bulletin(bulletin_id: int) -> None:
    """Make a requested bulletin's Word and PDF files and issue it."""
    from apps.assessment.models import Bulletin
    from apps.assessment.services.bulletins import generate

    bulletin = Bulletin.objects.filter(pk=bulletin_id, status=Bulletin.Status.GENERATING).first()
    if bulletin is not None:
        generate(bulletin)
