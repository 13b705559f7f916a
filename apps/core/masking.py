"""Masking of personal data on screens and exports (GB/T 35273 7.2: keep 3 + 4 characters)."""


def mask_phone(value: str) -> str:
    """13812345678 → 138****5678; short numbers keep only their last 2 digits."""
    if not value:
        return ""
    if len(value) >= 8:
        return value[:3] + "*" * (len(value) - 7) + value[-4:]
    return "*" * (len(value) - 2) + value[-2:]


def mask_id_number(value: str) -> str:
    """110101199003071234 → 110***********1234."""
    if not value:
        return ""
    if len(value) > 7:
        return value[:3] + "*" * (len(value) - 7) + value[-4:]
    return "*" * len(value)
