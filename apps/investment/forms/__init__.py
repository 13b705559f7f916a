"""Forms of the pipeline, one module per subject."""
