"""Importing a registry extract from Excel: check every row in the background, then commit all or nothing.

Each row is checked by the same form as manual registration (EnterpriseForm), then matched
against the registry and against the other rows:

- a row whose USCC is already registered, or whose name the matcher calls the same enterprise
  with high confidence, is a **match**: it is shown with the record it matched and not created;
- a row the matcher finds likely the same as (or of one group with) a registered enterprise is
  created, and a duplicate suggestion opens for a person to review;
- two rows with one USCC or one name are an error: the file must say which is right.

Nothing is written until the person commits a file without errors; the commit runs in one
transaction and re-checks the USCCs, so a code registered meanwhile fails the whole import.
"""

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from apps.core.audit import acting_as
from apps.core.errors import BusinessRuleError
from apps.enterprises.forms import EnterpriseForm
from apps.enterprises.matching.compare import Verdict
from apps.enterprises.matching.normalize import clean_name, parse_name
from apps.enterprises.models import Enterprise, Industry, RegistryImport, Tag
from apps.enterprises.selectors import find_matches
from apps.enterprises.services import register_enterprise, suggest_duplicate
from apps.enterprises.uscc import normalize_uscc

#: the template's column titles: data that must read back, so never translated
NAME, USCC, SHORT, FORMER, FORM, REGION, REGION_CODE, ADDRESS, CAPITAL, FOUNDED, INDUSTRY, TAGS, PARENT, ROLE = (
    "企业名称", "统一社会信用代码", "简称", "曾用名", "组织形式", "注册地", "注册地行政区划代码", "住所",
    "注册资本（万元）", "成立日期", "行业代码", "标签", "上级企业统一社会信用代码", "集团关系",
)  # fmt: skip
SCOPE = "经营范围"
HEADERS = (
    NAME,
    USCC,
    SHORT,
    FORMER,
    FORM,
    REGION,
    REGION_CODE,
    ADDRESS,
    CAPITAL,
    FOUNDED,
    INDUSTRY,
    TAGS,
    PARENT,
    ROLE,
    SCOPE,
)
REQUIRED = (NAME,)
FIELD_OF = {
    NAME: "name", USCC: "uscc", SHORT: "short_names", FORMER: "former_names", FORM: "legal_form",
    REGION: "region_name", REGION_CODE: "region_code", ADDRESS: "address", CAPITAL: "registered_capital",
    FOUNDED: "founded_on", INDUSTRY: "industry", TAGS: "tags", PARENT: "parent", ROLE: "group_role",
    SCOPE: "business_scope",
}  # fmt: skip
#: the 集团关系 column's values: file data, so fixed Chinese words whatever the interface language
ROLES = {
    "独立企业": Enterprise.GroupRole.INDEPENDENT,
    "子公司": Enterprise.GroupRole.SUBSIDIARY,
    "分支机构": Enterprise.GroupRole.BRANCH,
}
INDEPENDENT = "独立企业"
MAX_ROWS = 20000
#: a full name matched this strongly is an enterprise already registered; a short name only suggests one
SURE_MATCH = 0.9
PROGRESS_EVERY = 50
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")

ACTION_CREATE, ACTION_MATCH = "create", "match"


def template_rows() -> list[tuple]:
    """Two example rows for the downloadable template."""
    return [
        (
            "示范市东城区华兴电子有限公司", "91990101MA0000000U", "华兴电子", "", "有限责任公司", "示范市东城区", "990101",
            "示范市东城区人民路 88 号", 500, "2018-06-01", "39", "高新技术企业、专精特新", "", "独立企业",
            "电子元器件制造；集成电路设计；传感器销售",
        ),
        (
            "示范市东城区华兴电子有限公司西城分公司", "", "", "", "分公司", "示范市西城区", "990102",
            "示范市西城区建设路 9 号", "", "2021-03-15", "39", "", "91990101MA0000000U", "分支机构", "",
        ),
    ]  # fmt: skip


# ---- reading and checking --------------------------------------------------------------------


def check_import(registry_import: RegistryImport) -> RegistryImport:
    """Read the uploaded workbook, check and match every row; store the result on the import."""
    _save(registry_import, status=RegistryImport.Status.CHECKING, processed_rows=0)
    lines, errors = _read(registry_import.content)
    if errors:
        return _save(registry_import, status=RegistryImport.Status.CHECKED, errors=errors, rows=[], total_rows=0)
    _save(registry_import, total_rows=len(lines))
    rows = []
    for done, (number, values) in enumerate(lines, start=1):
        rows.append(check_row(number, values))
        if done % PROGRESS_EVERY == 0:
            _save(registry_import, processed_rows=done)
    _flag_repeats(rows)
    _check_parents(rows)
    return _save(
        registry_import,
        status=RegistryImport.Status.CHECKED,
        rows=rows,
        processed_rows=len(rows),
        matched_count=sum(1 for row in rows if row["action"] == ACTION_MATCH and not row["errors"]),
    )


def _read(content: bytes) -> tuple[list[tuple[int, dict]], list[str]]:
    try:
        sheet = load_workbook(BytesIO(content), read_only=True, data_only=True).worksheets[0]
        sheet.reset_dimensions()
        lines = list(sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2))
    except Exception:  # openpyxl raises many kinds (zip, xml, key) for a file that is not a workbook
        return [], [_("无法读取该文件，请上传 .xlsx 格式的 Excel 文件（可先下载模板）。")]
    if not lines:
        return [], [_("文件是空的。")]
    titles = [str(cell).strip() if cell is not None else "" for cell in lines[0]]
    missing = [title for title in REQUIRED if title not in titles]
    if missing:
        return [], [_("第 1 行缺少表头“%(name)s”，请使用导入模板。") % {"name": "、".join(missing)}]
    if len(lines) > MAX_ROWS + 1:
        return [], [_("一次最多导入 %(max)s 行，请分批导入。") % {"max": MAX_ROWS}]
    columns = {title: titles.index(title) for title in HEADERS if title in titles}
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        values = {title: _display(line[i] if i < len(line) else None) for title, i in columns.items()}
        if any(values.values()):
            rows.append((number, values))
    if not rows:
        return [], [_("文件中没有数据行。")]
    return rows, []


def check_row(number: int, values: dict[str, str]) -> dict:
    """One row's errors (by column) and what it matched; the form is the registration form."""
    row = {"number": number, "values": values, "errors": [], "action": ACTION_CREATE, "match": None, "possible": []}
    data, lookups = _form_data(values, row["errors"])
    form = EnterpriseForm(data)
    if not form.is_valid():
        for field, messages in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            row["errors"] += [f"{label}：{message}" if label else message for message in messages]
        return row
    cleaned = form.cleaned_data
    row["data"] = {
        **{key: value for key, value in data.items() if key not in {"tags", "industry", "parent"}},
        "uscc": cleaned["uscc"],
        **lookups,
    }
    _match(row, cleaned["name"], cleaned["uscc"])
    return row


def _form_data(values: dict[str, str], errors: list[str]) -> tuple[dict, dict]:
    data = {field: values.get(title, "") for title, field in FIELD_OF.items()}
    lookups: dict = {"industry": None, "tags": [], "parent_uscc": normalize_uscc(values.get(PARENT, ""))}
    role = values.get(ROLE, "") or INDEPENDENT
    data["group_role"] = ROLES.get(role, role)
    if data["group_role"] not in Enterprise.GroupRole.values:
        errors.append(_("集团关系：“%(value)s”不是可选值（独立企业、子公司、分支机构）。") % {"value": role})
    data["founded_on"] = _date_text(values.get(FOUNDED, ""), errors)
    code = values.get(INDUSTRY, "")
    if code:
        industry = Industry.objects.filter(code=code.zfill(2) if code.isdigit() else code.upper()).first()
        if industry is None:
            errors.append(_("行业代码：“%(code)s”不是国民经济行业分类（GB/T 4754-2017）的代码。") % {"code": code})
        else:
            data["industry"], lookups["industry"] = str(industry.pk), industry.pk
    tags = [t for t in values.get(TAGS, "").replace("，", "、").replace(",", "、").split("、") if t.strip()]
    known = dict(Tag.objects.filter(name__in=[t.strip() for t in tags]).values_list("name", "pk"))
    unknown = [t.strip() for t in tags if t.strip() not in known]
    if unknown:
        errors.append(_("标签：没有名为“%(names)s”的标签。") % {"names": "、".join(unknown)})
    data["tags"] = list(known.values())
    lookups["tags"] = list(known.values())
    data["parent"] = ""
    return data, lookups


def _date_text(text: str, errors: list[str]) -> str:
    if not text:
        return ""
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text.split(" ")[0], pattern).date().isoformat()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    errors.append(_("成立日期：“%(value)s”无法识别，请写成 2018-06-01 这样的格式。") % {"value": text})
    return ""


def _match(row: dict, name: str, uscc: str) -> None:
    registered = Enterprise.objects.filter(uscc=uscc).first() if uscc else None
    if registered is not None:
        row["action"] = ACTION_MATCH
        row["match"] = {"id": registered.pk, "name": registered.name, "verdict": "same", "score": 1.0,
                        "reasons": [_("统一社会信用代码相同")]}  # fmt: skip
        return
    matches = find_matches(name, uscc=uscc, limit=3)
    summary = [
        {
            "id": m.enterprise.pk,
            "name": m.enterprise.name,
            "verdict": m.verdict.value,
            "score": m.score,
            "reasons": m.reasons,
            "codes": [{"code": r.code, "detail": r.detail} for r in m.comparison.reasons],
        }
        for m in matches
    ]
    best = matches[0] if matches else None
    if best is not None and best.verdict == Verdict.SAME and best.score >= SURE_MATCH and parse_name(name).is_full:
        row["action"], row["match"] = ACTION_MATCH, summary[0]
        row["possible"] = summary[1:]
    else:
        row["possible"] = summary


def _flag_repeats(rows: list[dict]) -> None:
    seen_codes: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    for row in rows:
        if row["errors"]:
            continue
        code, name = row["data"]["uscc"], clean_name(row["data"]["name"])
        if code and code in seen_codes:
            row["errors"].append(_("统一社会信用代码与第 %(row)s 行重复。") % {"row": seen_codes[code]})
        elif name in seen_names:
            row["errors"].append(_("企业名称与第 %(row)s 行重复。") % {"row": seen_names[name]})
        if code:
            seen_codes.setdefault(code, row["number"])
        seen_names.setdefault(name, row["number"])


def _check_parents(rows: list[dict]) -> None:
    in_file = {row["data"]["uscc"] for row in rows if not row["errors"] and row["data"]["uscc"]}
    wanted = {row["data"]["parent_uscc"] for row in rows if not row["errors"] and row["data"]["parent_uscc"]}
    registered = set(Enterprise.objects.active().filter(uscc__in=wanted).values_list("uscc", flat=True))
    for row in rows:
        if row["errors"]:
            continue
        parent, role = row["data"]["parent_uscc"], row["data"]["group_role"]
        if parent and parent not in registered and parent not in in_file:
            row["errors"].append(_("上级企业统一社会信用代码 %(code)s 既未登记，也不在本文件中。") % {"code": parent})
        elif role != Enterprise.GroupRole.INDEPENDENT and not parent:
            row["errors"].append(_("子公司和分支机构须填写上级企业统一社会信用代码。"))
        elif role == Enterprise.GroupRole.INDEPENDENT and parent:
            row["errors"].append(_("独立企业不填上级企业；子公司或分支机构请填写集团关系。"))


# ---- committing ----------------------------------------------------------------------------


def start_commit(registry_import: RegistryImport) -> None:
    """Queue the commit of a checked import without errors."""
    from apps.enterprises.tasks import commit_registry_import

    if not registry_import.can_commit:
        raise BusinessRuleError(_("该文件还有错误或尚未检查完，不能导入。"))
    updated = RegistryImport.objects.filter(pk=registry_import.pk, status=RegistryImport.Status.CHECKED).update(
        status=RegistryImport.Status.COMMITTING
    )
    if not updated:
        raise BusinessRuleError(_("该文件已在导入中或已导入。"))
    transaction.on_commit(lambda: commit_registry_import.enqueue(registry_import.pk))


def commit_import(registry_import: RegistryImport) -> RegistryImport:
    """Create the rows that matched nothing, all in one transaction; a failure writes nothing."""
    try:
        with transaction.atomic(), acting_as(registry_import.created_by):
            created = _create_rows(registry_import)
    except BusinessRuleError as error:
        return _save(registry_import, status=RegistryImport.Status.FAILED, errors=[error.message])
    return _save(
        registry_import, status=RegistryImport.Status.COMMITTED, created_count=created, committed_at=timezone.now()
    )


def _create_rows(registry_import: RegistryImport) -> int:
    pending = [row for row in registry_import.rows if row["action"] == ACTION_CREATE]
    by_code = dict(Enterprise.objects.active().exclude(uscc=None).values_list("uscc", "pk"))
    created = 0
    while pending:
        ready = [row for row in pending if not row["data"]["parent_uscc"] or row["data"]["parent_uscc"] in by_code]
        if not ready:
            raise BusinessRuleError(
                _("第 %(row)s 行的上级企业无法确定（上级关系成环）。") % {"row": pending[0]["number"]}
            )
        for row in ready:
            enterprise = _create(row, by_code, registry_import.created_by)
            if enterprise.uscc:
                by_code[enterprise.uscc] = enterprise.pk
            created += 1
        pending = [row for row in pending if row not in ready]
    return created


def _create(row: dict, by_code: dict[str, int], by) -> Enterprise:
    data = row["data"]
    form = EnterpriseForm({**data, "tags": data["tags"], "industry": data["industry"] or "", "parent": ""})
    if not form.is_valid():
        raise BusinessRuleError(_("第 %(row)s 行的数据已失效，请重新上传检查。") % {"row": row["number"]})
    entry = form.to_data()
    entry.parent = Enterprise.objects.get(pk=by_code[data["parent_uscc"]]) if data["parent_uscc"] else None
    try:
        enterprise = register_enterprise(data=entry, by=by)
    except BusinessRuleError as error:
        raise BusinessRuleError(
            _("第 %(row)s 行：%(reason)s") % {"row": row["number"], "reason": error.message}
        ) from error
    for possible in row["possible"]:
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
    return enterprise


def _save(registry_import: RegistryImport, **fields) -> RegistryImport:
    for name, value in fields.items():
        setattr(registry_import, name, value)
    RegistryImport.objects.filter(pk=registry_import.pk).update(**fields)
    return registry_import


def _display(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value).strip()
