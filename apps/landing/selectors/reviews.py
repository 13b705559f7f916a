"""Reads behind the reviews pages."""


def panel(project, user) -> dict:
    """What the project's landing page shows of reviews (the context of landing/_reviews_panel.html)."""
    return {}
