"""What the demo runner hands to every domain module: the seed, the scale and what earlier modules built."""

import random
from dataclasses import dataclass, field

#: the password of every generated account (≥ 8 characters, 3 character classes: it passes the policy)
DEMO_PASSWORD = "Demo@2026"  # noqa: S105 - published demo credential, documented in README.md
DEFAULT_SEED = 20261122


@dataclass
class DemoContext:
    seed: int
    scale: int
    #: DEMO_PASSWORD hashed once; every generated account reuses it
    password_hash: str
    #: units by code, filled by the org module for the modules that follow it
    units: dict = field(default_factory=dict)
    #: how many 12345 tickets to generate; None: the appeals module's own number per scale step (the tests' size)
    tickets: int | None = None

    def rng(self, name: str) -> random.Random:
        """A generator of its own per module and purpose, so adding a module leaves the others' data unchanged."""
        return random.Random(f"{self.seed}:{name}")
