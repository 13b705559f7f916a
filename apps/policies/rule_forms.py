"""The rule editor's form: a policy officer writes an eligibility rule as rows, never as JSON (unless they want to).

A rule of the rows is a top-level combiner (全部符合 / 符合其一) over conditions; rows sharing a 组 number form an
inner group combined the other way, so "A 且 B 且 (C 或 D)" is three rows with C and D in group 1. Rules that rows
cannot show (deeper nesting, a group combined the same way as the top) open in the advanced JSON textarea.

The form checks shape only: each row is handed to ``rules.parse`` on its own (its mistake shows on the row), then
the whole rule (limits, structure); every message is the parser's. Field and operator selects accept any text so
that a forged value meets the parser's message, not a generic "invalid choice".
"""

import json
import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.enterprises.models import Industry, Tag
from apps.policies import rules
from apps.policies.rules import BOOL, CHOICE, CODE, DATE, FIELDS, NUMBER, TAGS, RuleError

ALL, ANY = "all", "any"
COMBINERS = ((ALL, gettext_lazy("全部符合")), (ANY, gettext_lazy("符合其一")))
ROWS, JSON_MODE = "rows", "json"
MODES = ((ROWS, gettext_lazy("按条件逐行填写")), (JSON_MODE, gettext_lazy("高级：直接编辑 JSON")))
#: how the condition select groups the fields
FIELD_GROUPS = (
    (gettext_lazy("企业基本情况"), ("industry", "region", "tags", "scale", "registered_capital", "founded_years",
                                     "founded_on")),
    (gettext_lazy("上年度经营数据"), ("revenue", "tax", "rd_expense", "employees")),
    (gettext_lazy("在本市投资"), ("contracted_investment", "funds_in_place")),
    (gettext_lazy("信用状况"), ("black_listed", "red_listed")),
)  # fmt: skip
#: lists may be typed separated by 、，, ; or new lines (and spaces)
SEPARATORS = re.compile(r"[、，,;；\s]+")
#: the value inputs a row shows for each kind of field (the script shows the ones of the chosen field)
KIND_INPUTS = {
    CODE: ("codes", "text"),
    TAGS: ("tags",),
    CHOICE: ("scale",),
    NUMBER: ("number", "low", "high"),
    DATE: ("date", "date_low", "date_high"),
    BOOL: ("flag",),
}


def other(combiner: str) -> str:
    return ANY if combiner == ALL else ALL


def split_values(text: str) -> list[str]:
    return [part for part in SEPARATORS.split(text or "") if part]


class LooseChoiceField(forms.ChoiceField):
    """A select whose value is checked by the rule parser (its message names the row), not by the choices."""

    def valid_value(self, value: str) -> bool:
        return True


class LooseMultipleChoiceField(forms.MultipleChoiceField):
    def valid_value(self, value: str) -> bool:
        return True


def field_choices() -> list:
    return [("", "—")] + [(str(title), [(name, str(FIELDS[name].label)) for name in names])
                          for title, names in FIELD_GROUPS]  # fmt: skip


def op_choices() -> list:
    labels = {op: str(label) for op, label in rules.OP_LABELS.items()}
    seen, choices = set(), []
    for ops in rules.KIND_OPS.values():
        for op in ops:
            if op not in seen:
                seen.add(op)
                choices.append((op, labels[op]))
    return choices


def industry_choices() -> list:
    """Sections with their divisions, for picking industry codes (deeper codes are typed)."""
    rows = Industry.objects.filter(level__in=[Industry.Level.SECTION, Industry.Level.DIVISION]).values_list(
        "code", "name", "level", "parent__code"
    )
    sections: dict[str, tuple[str, list]] = {}
    divisions: list[tuple[str, str, str]] = []
    for code, name, level, parent in rows.order_by("code"):
        if level == Industry.Level.SECTION:
            sections[code] = (name, [(code, _("%(code)s %(name)s（整个门类）") % {"code": code, "name": name})])
        else:
            divisions.append((code, name, parent))
    for code, name, parent in divisions:
        if parent in sections:
            sections[parent][1].append((code, f"{code} {name}"))
    return [(f"{code} {name}", options) for code, (name, options) in sorted(sections.items())]


class ConditionForm(forms.Form):
    """One row: a condition, with an input for each kind of value (only the chosen field's is read)."""

    field = LooseChoiceField(label=gettext_lazy("条件项"), required=False)
    op = LooseChoiceField(label=gettext_lazy("判断方式"), required=False)
    group = forms.IntegerField(
        label=gettext_lazy("组"), required=False, min_value=1, max_value=99,
        help_text=gettext_lazy("同一组号的条件合成一组，与其他条件的组合方式相反。"),
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "min": 1}),
    )  # fmt: skip
    codes = LooseMultipleChoiceField(
        label=gettext_lazy("从行业分类中选择"), required=False,
        widget=forms.SelectMultiple(attrs={"class": "form-select form-select-sm", "size": 6}),
    )  # fmt: skip
    text = forms.CharField(
        label=gettext_lazy("代码"), required=False, max_length=4000,
        help_text=gettext_lazy("多个值用顿号、逗号或换行分隔。"),
        widget=forms.Textarea(attrs={"class": "form-control form-control-sm", "rows": 2}),
    )  # fmt: skip
    tags = LooseMultipleChoiceField(label=gettext_lazy("企业标签"), required=False, widget=forms.CheckboxSelectMultiple)
    scale = LooseMultipleChoiceField(
        label=gettext_lazy("企业规模"), required=False, widget=forms.CheckboxSelectMultiple
    )
    number = forms.CharField(label=gettext_lazy("数值"), required=False, max_length=200)
    low = forms.CharField(label=gettext_lazy("下限"), required=False, max_length=200)
    high = forms.CharField(label=gettext_lazy("上限"), required=False, max_length=200)
    date = forms.CharField(label=gettext_lazy("日期"), required=False, max_length=200,
                           widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    date_low = forms.CharField(label=gettext_lazy("起"), required=False, max_length=200,
                               widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    date_high = forms.CharField(label=gettext_lazy("止"), required=False, max_length=200,
                                widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    flag = forms.ChoiceField(
        label=gettext_lazy("是否"),
        required=False,
        choices=(("true", gettext_lazy("是")), ("false", gettext_lazy("否"))),
    )

    def __init__(self, *args, industries: list | None = None, tag_names: list[str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = field_choices()
        self.fields["op"].choices = op_choices()
        self.fields["codes"].choices = industries or []
        self.fields["tags"].choices = [(name, name) for name in tag_names or []]
        self.fields["scale"].choices = FIELDS["scale"].choices
        for name in ("field", "op", "flag"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"
        for name in ("number", "low", "high", "date", "date_low", "date_high"):
            self.fields[name].widget.attrs["class"] = "form-control form-control-sm"
        self.fields["field"].widget.attrs["data-rule-field"] = ""
        self.fields["op"].widget.attrs["data-rule-op"] = ""

    @property
    def is_blank(self) -> bool:
        return not (self.cleaned_data.get("field") or "").strip()

    def condition(self) -> dict:
        """The row as a condition of the rule format (values as typed: the parser checks them)."""
        data = self.cleaned_data
        name, op = data.get("field", "").strip(), data.get("op", "")
        field = FIELDS.get(name)
        kind = field.kind if field else None
        if kind == CODE:
            value: object = [*data.get("codes", []), *split_values(data.get("text", ""))]
        elif kind == TAGS:
            value = list(data.get("tags", []))
        elif kind == CHOICE:
            value = list(data.get("scale", []))
        elif kind == NUMBER:
            value = [data.get("low", ""), data.get("high", "")] if op == "between" else data.get("number", "")
        elif kind == DATE:
            value = [data.get("date_low", ""), data.get("date_high", "")] if op == "between" else data.get("date", "")
        elif kind == BOOL:
            value = {"true": True, "false": False}.get(data.get("flag"))
        else:
            value = None
        return {"field": name, "op": op, "value": value}

    def clean(self) -> dict:
        data = super().clean()
        if not self.errors and not self.is_blank:
            try:
                rules.parse(self.condition())
            except RuleError as error:
                self.add_error(None, error.message)
        return data


class BaseConditionFormSet(forms.BaseFormSet):
    def __init__(self, *args, **kwargs) -> None:
        self.industries = industry_choices()
        self.tag_names = list(Tag.objects.order_by("id").values_list("name", flat=True))
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict:
        return {"industries": self.industries, "tag_names": self.tag_names}


ConditionFormSet = forms.formset_factory(
    ConditionForm, formset=BaseConditionFormSet, extra=2, max_num=rules.MAX_CONDITIONS, absolute_max=60
)


class RuleForm(forms.Form):
    """The whole editor: the combiner and the rows, or the JSON text; ``rule`` after validation."""

    mode = forms.ChoiceField(label=gettext_lazy("填写方式"), choices=MODES, initial=ROWS, widget=forms.RadioSelect)
    combiner = forms.ChoiceField(
        label=gettext_lazy("以下条件"), choices=COMBINERS, initial=ALL,
        widget=forms.Select(attrs={"class": "form-select"}),
    )  # fmt: skip
    advanced = forms.CharField(
        label=gettext_lazy("高级：直接编辑 JSON"), required=False, max_length=50000,
        widget=forms.Textarea(attrs={"class": "form-control font-monospace", "rows": 10, "spellcheck": "false"}),
    )  # fmt: skip

    def __init__(self, data=None, *, rule: dict | None = None, prefix_rows: str = "rows") -> None:
        rule = rule or {}
        layout = rule_to_rows(rule)
        initial = {
            "mode": ROWS if layout is not None else JSON_MODE,
            "combiner": layout[0] if layout else ALL,
            "advanced": json.dumps(rule, ensure_ascii=False, indent=2) if rule else "",
        }
        super().__init__(data, initial=initial)
        self.rows = ConditionFormSet(data, initial=layout[1] if layout else [], prefix=prefix_rows)
        self.rule: dict = {}

    def is_valid(self) -> bool:
        rows_valid = self.rows.is_valid() if self.data.get("mode", ROWS) == ROWS else True
        return super().is_valid() and rows_valid

    def clean(self) -> dict:
        data = super().clean()
        try:
            if data.get("mode") == JSON_MODE:
                self.rule = self._parse_json(data.get("advanced", ""))
            elif self.rows.is_valid():
                self.rule = rules.parse(build_rule(data.get("combiner", ALL), self._rows()))
            else:
                self.add_error(None, _("有条件行填写有误，请按各行的提示修改。"))
        except RuleError as error:
            self.add_error(None, error.message)
        return data

    def _parse_json(self, text: str) -> dict:
        try:
            return rules.parse(text)
        except RuleError as error:
            self.add_error("advanced", error.message)
            return {}

    def _rows(self) -> list[tuple[dict, int | None]]:
        return [(form.condition(), form.cleaned_data.get("group"))
                for form in self.rows.forms if form.cleaned_data and not form.is_blank]  # fmt: skip


def build_rule(combiner: str, rows: list[tuple[dict, int | None]]) -> dict:
    """The rule of the rows: rows with one group number become an inner group combined the other way, placed
    where the group's first row is."""
    if not rows:
        return {}
    children: list = []
    groups: dict[int, list[dict]] = {}
    for condition, group in rows:
        if group is None:
            children.append(condition)
        elif group in groups:
            groups[group].append(condition)
        else:
            groups[group] = [condition]
            children.append(groups[group])
    nodes = [child if isinstance(child, dict) else (child[0] if len(child) == 1 else {other(combiner): child})
             for child in children]  # fmt: skip
    return {combiner: nodes}


def rule_to_rows(rule: dict) -> tuple[str, list[dict]] | None:
    """The combiner and the rows' initial data of a rule, or None when rows cannot show it (use the JSON)."""
    if not rule:
        return ALL, []
    pickable = _pickable_codes() if any(c["field"] == "industry" for c in rules.conditions(rule)) else set()
    if "field" in rule:
        return ALL, [condition_initial(rule, None, pickable)]
    combiner = ALL if ALL in rule else ANY
    rows: list[dict] = []
    group = 0
    for child in rule[combiner]:
        if "field" in child:
            rows.append(condition_initial(child, None, pickable))
            continue
        inner = other(combiner)
        if inner not in child or any("field" not in grandchild for grandchild in child[inner]):
            return None
        group += 1
        rows.extend(condition_initial(grandchild, group, pickable) for grandchild in child[inner])
    return combiner, rows


def condition_initial(condition: dict, group: int | None, pickable: set[str]) -> dict:
    """A parsed condition as a row's initial data (industry codes of the picker selected, the others typed)."""
    name, op, value = condition["field"], condition["op"], condition["value"]
    kind = FIELDS[name].kind
    row: dict = {"field": name, "op": op, "group": group}
    if kind == CODE:
        picked = pickable if name == "industry" else set()
        row["codes"] = [code for code in value if code in picked]
        row["text"] = "、".join(code for code in value if code not in picked)
    elif kind == TAGS:
        row["tags"] = list(value)
    elif kind == CHOICE:
        row["scale"] = list(value)
    elif kind == NUMBER:
        row.update({"low": value[0], "high": value[1]} if op == "between" else {"number": value})
    elif kind == DATE:
        row.update({"date_low": value[0], "date_high": value[1]} if op == "between" else {"date": value})
    elif kind == BOOL:
        row["flag"] = "true" if value else "false"
    return row


def _pickable_codes() -> set[str]:
    levels = [Industry.Level.SECTION, Industry.Level.DIVISION]
    return set(Industry.objects.filter(level__in=levels).values_list("code", flat=True))
