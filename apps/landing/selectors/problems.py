"""Reads behind the problems pages."""


def panel(project, user) -> dict:
    """What the project's landing page shows of problems (the context of landing/_problems_panel.html)."""
    return {}
