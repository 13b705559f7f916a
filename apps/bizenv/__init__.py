"""营商环境评价 (business-environment evaluation).

Part one, the indicator system as versioned data: models/indicators.py (Methodology, Indicator),
methods.py (each scoring method's parameter names), services/methodologies.py (versions, indicators,
publication, copies), services/tree_excel.py (the tree in Excel), permissions.py, and the pages in
views.py. The scoring engine is scoring.py.
"""
