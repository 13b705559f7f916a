"""Uploading a ledger and committing a checked one: every row in one transaction, or nothing."""

import logging
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import acting_as
from apps.core.errors import BusinessRuleError
from apps.core.models import LedgerImport
from apps.enterprises.models import Enterprise, Industry
from apps.enterprises.services import EnterpriseData, register_enterprise, suggest_duplicate
from apps.investment.importing.checking import claim_problem, existing_project, save_import, surviving
from apps.investment.importing.columns import ACTION_LINK, AMOUNTS, KIND, reached
from apps.investment.models import Project, Stage, StageChange
from apps.investment.services.kpi_rollup import refresh_units
from apps.investment.services.projects import register_lead
from apps.investment.services.workflow import STAGE_DATES, needs_confirmation
from apps.org.models import Unit

logger = logging.getLogger(__name__)


# ---- uploading --------------------------------------------------------------------------------


@transaction.atomic
def upload_ledger(*, filename: str, content: bytes, by) -> LedgerImport:
    """Keep an uploaded ledger for the importer's unit and queue its check."""
    from apps.investment.tasks import check_ledger_import

    if getattr(by, "unit", None) is None:
        raise BusinessRuleError(_("您的账号不属于任何单位，不能导入。"))
    ledger_import = LedgerImport.objects.create(
        kind=KIND, unit=by.unit, filename=filename[:200], content=content, created_by=by
    )
    transaction.on_commit(lambda: check_ledger_import.enqueue(ledger_import.pk))
    return ledger_import


# ---- committing -------------------------------------------------------------------------------


@transaction.atomic
def start_commit(ledger_import: LedgerImport) -> None:
    """Queue the commit of a checked ledger without errors."""
    from apps.investment.tasks import commit_ledger_import

    if not ledger_import.can_commit:
        raise BusinessRuleError(_("该文件还有错误或尚未检查完，不能导入。"))
    updated = LedgerImport.objects.filter(pk=ledger_import.pk, kind=KIND, status=LedgerImport.Status.CHECKED).update(
        status=LedgerImport.Status.COMMITTING
    )
    if not updated:
        raise BusinessRuleError(_("该文件已在导入中或已导入。"))
    ledger_import.status = LedgerImport.Status.COMMITTING
    transaction.on_commit(lambda: commit_ledger_import.enqueue(ledger_import.pk))


def commit_import(ledger_import: LedgerImport) -> LedgerImport:
    """Create every row's project (and new enterprise) in one transaction; any failure writes nothing."""
    try:
        with transaction.atomic(), acting_as(ledger_import.created_by):
            rows, summary = _commit_rows(ledger_import)
    except BusinessRuleError as error:
        return save_import(ledger_import, status=LedgerImport.Status.FAILED, errors=[error.message])
    except Exception:  # a bug must not leave the import "committing" for ever; the transaction rolled back
        logger.exception("Committing ledger import %s failed", ledger_import.pk)
        return save_import(
            ledger_import,
            status=LedgerImport.Status.FAILED,
            errors=[_("导入时发生意外错误，未写入任何数据；请联系管理员。")],
        )
    return save_import(
        ledger_import, status=LedgerImport.Status.COMMITTED, rows=rows, summary=summary, committed_at=timezone.now()
    )


def _commit_rows(ledger_import: LedgerImport) -> tuple[list[dict], dict]:
    if ledger_import.errors or ledger_import.error_rows or not ledger_import.rows:
        raise BusinessRuleError(_("该文件还有错误，未导入任何数据。"))
    created, rows, units = {}, [], set()
    summary = {"projects": 0, "enterprises_created": 0, "enterprises_linked": 0, "pending": 0}
    for row in ledger_import.rows:
        try:
            project, change = _commit_row(row, ledger_import, created)
        except BusinessRuleError as error:
            raise BusinessRuleError(
                _("第 %(row)s 行：%(reason)s 未导入任何数据。") % {"row": row["number"], "reason": error.message}
            ) from error
        rows.append({**row, "project": {"id": project.pk, "code": project.code}})
        units.add(project.unit_id)
        summary["projects"] += 1
        summary["pending"] += change.approval == StageChange.Approval.PENDING
        summary["enterprises_linked"] += row["enterprise"]["action"] == ACTION_LINK
    summary["enterprises_created"] = len(created)
    refresh_units(units)  # once for the file: the KPI page's totals of every unit it placed projects in
    return rows, summary


def _commit_row(row: dict, ledger_import: LedgerImport, created: dict) -> tuple[Project, StageChange]:
    data, by = row["data"], ledger_import.created_by
    unit = Unit.objects.filter(pk=data["unit"], is_active=True, path__startswith=ledger_import.unit.path).first()
    if unit is None:
        raise BusinessRuleError(_("责任单位已不在本单位管辖范围内。"))
    enterprise = _enterprise_for(row, created, by)
    problem = claim_problem(enterprise.pk, unit)
    if problem:
        raise BusinessRuleError(problem)
    code = existing_project(enterprise.pk, data["name"])
    if code:
        raise BusinessRuleError(_("该企业已有同名项目（%(code)s）。") % {"code": code})
    registration = register_lead(enterprise=enterprise, unit=unit, by=by, responded=True, **_details(data))
    if registration.in_conflict:
        raise BusinessRuleError(_("该企业刚被其他单位首报。"))
    return registration.project, place_at_stage(registration.project, row, ledger_import, by)


def _enterprise_for(row: dict, created: dict, by) -> Enterprise:
    match = row["enterprise"]
    if match["action"] == ACTION_LINK:
        enterprise = surviving(Enterprise.objects.filter(pk=match["id"]).first())
        if enterprise is None:
            raise BusinessRuleError(_("投资企业“%(name)s”已不在企业库中，请重新上传检查。") % {"name": match["name"]})
        return enterprise
    if match["key"] in created:
        return created[match["key"]]
    enterprise = register_enterprise(data=EnterpriseData(name=match["name"], uscc=row["data"]["uscc"]), by=by)
    for possible in match["possible"]:
        other = Enterprise.objects.filter(pk=possible["id"], status=Enterprise.Status.ACTIVE).first()
        if other is not None:
            suggest_duplicate(
                first=enterprise,
                second=other,
                verdict=possible["verdict"],
                score=possible["score"],
                reasons=possible["codes"],
                source="import",
            )
    created[match["key"]] = enterprise
    return enterprise


def _details(data: dict) -> dict:
    details = {name: data[name] for name in ("name", "channel", "kind", "description", "expected_jobs")}
    details |= {name: data[name] for name in ("investor_out_of_province", "investor_foreign")}
    details["industry"] = Industry.objects.filter(pk=data["industry"]).first() if data["industry"] else None
    for name in AMOUNTS.values():
        details[name] = Decimal(data[name]) if data[name] else None
    details["counted_before"] = details["counted_before"] or Decimal(0)
    return details


def place_at_stage(project: Project, row: dict, ledger_import: LedgerImport, by) -> StageChange:
    """Put a freshly registered project at the ledger's stage and dates, on the timeline as 台账导入."""
    stage = Stage(row["data"]["stage"])
    dates = {Stage(step): date.fromisoformat(day) for step, day in row["data"]["dates"].items()}
    counted = Stage.LEAD
    for step in reached(stage):
        if needs_confirmation(project, step):
            break
        counted = step
    pending = counted != stage
    project.stage, project.counted_stage = stage, counted
    for step, day in dates.items():
        setattr(project, STAGE_DATES[step], day)
    fields = ["stage", "counted_stage", *(STAGE_DATES[step] for step in dates)]
    if stage != Stage.LEAD:
        project.assessed_at = timezone.now()
        fields.append("assessed_at")
    project.save(update_fields=[*fields, "updated_at"])
    reason = _("由台账《%(file)s》第 %(row)s 行导入。") % {"file": ledger_import.filename, "row": row["number"]}
    if pending:
        reason += _("“%(stage)s”阶段待上级确认后计入统计。") % {"stage": stage.label}
    return StageChange.objects.create(
        project=project,
        kind=StageChange.Kind.IMPORT,
        from_stage=counted if pending else Stage.LEAD,
        to_stage=stage,
        happened_on=dates.get(stage) or max(dates.values(), default=timezone.localdate()),
        reason=reason,
        by=by,
        approval=StageChange.Approval.PENDING if pending else StageChange.Approval.NOT_REQUIRED,
    )
