"""Forms of the fulfilment pages: they check the shape; services/fulfilment.py checks the rules."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.forms import StyledFormMixin
from apps.enterprises.uscc import normalize_uscc
from apps.org.models import Unit
from apps.policies.models import Fulfilment, FulfilmentState, Policy, PolicyItem
from apps.policies.pending_fulfilment import QUEUE_STATES

MATERIAL_SLOTS = 3
QUEUE_LABELS = {"review": _("待部门审核、确认"), "legal": _("待法制审核"), "pay": _("待兑付")}


class FulfilmentFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, widget=forms.TextInput(
        attrs={"placeholder": _("编号、企业名称或信用代码")}))  # fmt: skip
    queue = forms.ChoiceField(label=_("待办"), required=False,
                              choices=[("", _("全部")), *((key, QUEUE_LABELS[key]) for key in QUEUE_STATES)])  # fmt: skip
    state = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *FulfilmentState.choices])
    policy = forms.ModelChoiceField(label=_("政策"), required=False, queryset=Policy.objects.none())
    item = forms.ModelChoiceField(label=_("条款"), required=False, queryset=PolicyItem.objects.none())
    unit = forms.ModelChoiceField(label=_("责任部门"), required=False, queryset=Unit.objects.none())
    channel = forms.ChoiceField(label=_("申报渠道"), required=False,
                                choices=[("", _("全部")), *Fulfilment.Channel.choices])  # fmt: skip
    overdue = forms.BooleanField(label=_("仅看逾期"), required=False)

    def __init__(self, *args, cases, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["policy"].queryset = Policy.objects.filter(pk__in=cases.values("item__policy_id"))
        self.fields["item"].queryset = PolicyItem.objects.filter(pk__in=cases.values("item_id")).select_related(
            "policy"
        )
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=cases.values("unit_id"))


def _add_material_slots(form: forms.Form, *, required: bool) -> None:
    for slot in range(1, MATERIAL_SLOTS + 1):
        form.fields[f"material_name_{slot}"] = forms.CharField(
            label=_("材料 %(n)s 名称") % {"n": slot},
            max_length=100,
            required=False,
            widget=forms.TextInput(attrs={"class": "form-control"}),
        )
        form.fields[f"material_file_{slot}"] = forms.FileField(
            label=_("材料 %(n)s 文件") % {"n": slot}, required=required and slot == 1,
            widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
            help_text=_("PDF、Word（.docx）、Excel（.xlsx）、JPG 或 PNG，不超过 20 MB。") if slot == 1 else "",
        )  # fmt: skip


def materials_of(cleaned_data: dict) -> list:
    """The (name, file) pairs the form was given."""
    pairs = []
    for slot in range(1, MATERIAL_SLOTS + 1):
        upload = cleaned_data.get(f"material_file_{slot}")
        if upload:
            pairs.append((cleaned_data.get(f"material_name_{slot}", ""), upload))
    return pairs


class ContactFieldsMixin(forms.Form):
    contact_name = forms.CharField(label=_("联系人"), max_length=50)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=20)
    declared_amount = forms.DecimalField(
        label=_("申报金额（万元）"), required=False, max_digits=12, decimal_places=2,
        help_text=_("非资金类支持可不填。"),
    )  # fmt: skip


class PortalApplyForm(StyledFormMixin, ContactFieldsMixin):
    """An enterprise's online application for one item."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _add_material_slots(self, required=True)


class WindowApplyForm(StyledFormMixin, ContactFieldsMixin):
    """An application recorded at the window: the item and the enterprise by its credit code."""

    item = forms.ModelChoiceField(label=_("政策条款"), queryset=PolicyItem.objects.none())
    uscc = forms.CharField(label=_("企业统一社会信用代码"), max_length=30)

    field_order = ["item", "uscc", "contact_name", "contact_phone", "declared_amount"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        in_force = Policy.objects.in_force(today)
        self.fields["item"].queryset = PolicyItem.objects.filter(policy__in=in_force).select_related("policy")
        _add_material_slots(self, required=True)

    def clean_uscc(self) -> str:
        return normalize_uscc(self.cleaned_data["uscc"])


def move_form_class(move) -> type[forms.Form]:
    """The form of a move of the table: the fields it asks for."""
    fields: dict[str, forms.Field] = {}
    if "amount" in move.asks:
        label = _("核定金额（万元）") if move.action == "pass" else _("拟兑现金额（万元）")
        fields["amount"] = forms.DecimalField(label=label, max_digits=12, decimal_places=2)
    if "payment" in move.asks:
        fields["amount"] = forms.DecimalField(label=_("兑付金额（万元）"), max_digits=12, decimal_places=2)
        fields["paid_on"] = forms.DateField(label=_("兑付日期"), widget=forms.DateInput(attrs={"type": "date"}))
        fields["payment_method"] = forms.ChoiceField(label=_("兑付方式"), choices=Fulfilment.PaymentMethod.choices)
        fields["voucher_number"] = forms.CharField(label=_("凭证号"), max_length=60, required=False,
                                                   help_text=_("银行转账必填。"))  # fmt: skip
        fields["voucher"] = forms.FileField(label=_("兑付凭证（可选）"), required=False)
    if "note" in move.asks:
        label = _("理由") if move.note_required and "amount" not in move.asks else _("意见或说明")
        fields["note"] = forms.CharField(label=label, required=move.note_required,
                                         widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def init(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"id_{move.action}_%s")  # several moves' forms on one page
        super(form_class, self).__init__(*args, **kwargs)
        if "materials" in move.asks:
            _add_material_slots(self, required=True)

    form_class = type(f"{move.action.title()}MoveForm", (StyledFormMixin, forms.Form), {**fields, "__init__": init})
    return form_class


def move_values(move, cleaned_data: dict) -> dict:
    """What the form gives the service."""
    values = {name: value for name, value in cleaned_data.items() if not name.startswith("material_")}
    if "materials" in move.asks:
        values["materials"] = materials_of(cleaned_data)
    return values
