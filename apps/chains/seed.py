"""The chains every deployment starts with (data/chains.json): eight chains of the city's industries with their
links, sub-links, industry codes and keywords.

Loading is idempotent: a chain is found by its name and a link by its chain and name, and their fields are set
from the file, so loading again after an upgrade refreshes the shipped maps; links a keeper added stay, and
whether a chain is in use is the keeper's choice, never reset.
"""

import json
from pathlib import Path

from django.db import transaction

from apps.chains.models import Chain, Link
from apps.chains.services.maps import check_industry_codes, clean_terms
from apps.core.audit import acting_as
from apps.org.models import User

SEED_FILE = Path(__file__).resolve().parent / "data" / "chains.json"


def load_seed_chains(*, by: User | None = None) -> list[Chain]:
    """Create or refresh the shipped chains and their links; returns the chains in the file's order."""
    specs = json.loads(SEED_FILE.read_text(encoding="utf-8"))
    with transaction.atomic(), acting_as(by):
        return [_load_chain(spec, by) for spec in specs]


def _load_chain(spec: dict, by: User | None) -> Chain:
    chain, _created = Chain.objects.update_or_create(
        name=spec["name"],
        defaults={
            "description": spec["description"],
            "weak_below": spec["weak_below"],
            "order": spec["order"],
            "updated_by": by,
        },
    )
    for order, link_spec in enumerate(spec["links"], start=1):
        parent = _load_link(chain, link_spec, link_spec["segment"], None, order)
        for sub_order, sub_spec in enumerate(link_spec.get("sub_links", []), start=1):
            _load_link(chain, sub_spec, parent.segment, parent, sub_order)
    return chain


def _load_link(chain: Chain, spec: dict, segment: str, parent: Link | None, order: int) -> Link:
    link, _created = Link.objects.update_or_create(
        chain=chain,
        name=spec["name"],
        defaults={
            "segment": segment,
            "parent": parent,
            "description": spec.get("description", ""),
            "industry_codes": check_industry_codes(spec["industry_codes"]),
            "keywords": clean_terms(spec["keywords"]),
            "order": order,
        },
    )
    return link
