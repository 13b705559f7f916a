"""Reads behind the progress pages."""


def panel(project, user) -> dict:
    """What the project's landing page shows of progress (the context of landing/_progress_panel.html)."""
    return {}
