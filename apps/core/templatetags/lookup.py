from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``mapping|get_item:key`` — a dict's value by a key computed in the template (a row's id)."""
    return mapping.get(key) if mapping else None
