"""Writes of the pipeline, one module per subject: projects, workflow (stages), claims, screening."""
