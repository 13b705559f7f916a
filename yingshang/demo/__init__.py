"""Generator of the fictional demo city 示范市: one module per domain, run in order by ``runner``.

A domain module exposes ``build(ctx)`` (create its records from ``ctx.rng(...)``, deterministic by seed)
and ``clear()`` (delete what ``build`` made); ``runner.MODULES`` lists them in build order and clears
them in reverse. ``org`` comes first: it builds the units and people every later module uses.
"""
