"""Reads of the pipeline: lists, board, KPIs, scorecards."""
