from django import forms

from apps.core.errors import BusinessRuleError


class StyledFormMixin:
    """Gives every widget its Bootstrap class, so templates render fields without per-field markup."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.DateInput) and widget.input_type == "date":
                widget.format = "%Y-%m-%d"  # what <input type="date"> takes, whatever the locale writes
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


def add_rule_error(form: forms.Form, error: BusinessRuleError) -> None:
    """Show a service's refusal on the form, beside its field when the form has that field."""
    form.add_error(error.field if error.field in form.fields else None, error.message)
