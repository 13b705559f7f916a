class BusinessRuleError(Exception):
    """A business rule refused the change; the message is shown to the user as it is."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def required_text(value: str, field: str, message: str) -> str:
    """The text stripped; a BusinessRuleError on ``field`` with ``message`` when nothing is left."""
    text = (value or "").strip()
    if not text:
        raise BusinessRuleError(message, field=field)
    return text
