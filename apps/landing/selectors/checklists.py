"""Reads behind the checklists pages."""


def panel(project, user) -> dict:
    """What the project's landing page shows of checklists (the context of landing/_checklists_panel.html)."""
    return {}
