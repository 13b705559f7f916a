"""Reads behind the taskforces pages."""


def panel(project, user) -> dict:
    """What the project's landing page shows of taskforces (the context of landing/_taskforces_panel.html)."""
    return {}
