"""Walks every URL pattern as a user of one county and reports where another county's records leak.

For each pattern:
- no arguments (lists, exports, searches): the page, its Excel export and a search for the
  foreign records' markers must not contain any marker of a record owned by the other county;
- arguments declared with ``scoped_path(model=M)``: a record of M owned by the other county must
  answer 404 or 403 (GET, or POST for POST-only views), and the user's own record must not 404;
- arguments declared with ``scoped_path(model=None, example_kwargs=…)``: treated like a list;
- arguments declared with ``global_path``: records shared by the whole city, only opened;
- arguments not declared at all: reported, because nobody has said what they point at.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from apps.core.tests.samples import discover, shared_models

#: URL names the walker does not open, each with the reason.
EXEMPT = {
    "set_language": "changes the language only",
    "org:login": "anonymous page",
    "org:logout": "ends the walker's own session",
    # the public Open311 feed shows the whole city's non-confidential tickets without personal data, by
    # design and without login; apps/appeals/tests/test_open311.py proves what it leaves out
    "open311:services": "public Open311 code list",
    "open311:requests": "public Open311 feed (no personal data, confidential tickets left out)",
    "open311:request": "public Open311 feed (no personal data, confidential tickets left out)",
}
DENIED = {403, 404}
#: every foreign marker starts with this; searching for it finds them all, and a search box
#: that echoes the query shows only the prefix, never a whole marker
FOREIGN_PREFIX = "越界样本"


@dataclass
class Samples:
    own: dict
    foreign: dict

    @property
    def foreign_markers(self) -> list[str]:
        return [marker for marker, _obj in self.foreign.values()]


def iter_patterns(patterns=None, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    """Every named URL pattern with its namespaced name."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            child_ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from iter_patterns(entry.url_patterns, child_ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def make_samples(own_unit, foreign_unit) -> Samples:
    """One record of every registered model in each county, named by a unique marker."""
    own, foreign = {}, {}
    for model, maker in discover().items():
        label = model._meta.label
        own_marker, foreign_marker = f"本区样本·{label}", f"{FOREIGN_PREFIX}·{label}"
        own[model] = (own_marker, maker(own_unit, own_marker))
        if model not in shared_models:
            foreign[model] = (foreign_marker, maker(foreign_unit, foreign_marker))
    return Samples(own, foreign)


def response_text(response) -> str:
    """What a person could read in the response: HTML/JSON text or every cell of a workbook."""
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in content_type:
        workbook = load_workbook(BytesIO(body), read_only=True)
        return "\n".join(
            str(cell) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for cell in row
        )
    return body.decode(errors="replace")


def walk(client: Client, samples: Samples) -> list[str]:
    """Problems found while walking every URL as the client's user; empty when nothing leaks."""
    problems: list[str] = []
    for name, pattern in iter_patterns():
        if name in EXEMPT or name.startswith(("admin:", "djdt:")):
            continue
        arguments = list(pattern.pattern.converters)
        if not arguments:
            problems += _check_listing(client, name, reverse(name), samples)
        elif not hasattr(pattern, "scoped_model"):
            problems.append(f"{name}: takes {arguments} but is not declared with scoped_path/global_path")
        elif pattern.global_records:
            problems += _check_global(client, name, pattern, samples)
        elif pattern.scoped_model is None:
            problems += _check_listing(client, name, reverse(name, kwargs=pattern.example_kwargs), samples)
        else:
            problems += _check_record(client, name, pattern, samples)
    return problems


def _check_listing(client: Client, name: str, url: str, samples: Samples) -> list[str]:
    response = client.get(url)
    if response.status_code != 200:
        return []
    responses = [response, client.get(url, {"export": "xlsx"})]
    responses.append(client.get(url, {"q": FOREIGN_PREFIX}))
    problems = []
    for variant in responses:
        if variant.status_code != 200:
            continue
        text = response_text(variant)
        problems += [f"{name}: shows another county's record {m!r}" for m in samples.foreign_markers if m in text]
    return sorted(set(problems))


def _check_record(client: Client, name: str, pattern: URLPattern, samples: Samples) -> list[str]:
    model = pattern.scoped_model
    if model not in samples.foreign:
        return [f"{name}: no sample maker registered for {model._meta.label} (add one in tests/samples.py)"]
    problems = []
    foreign_status = _open(client, name, pattern, samples.foreign[model][1])
    if foreign_status not in DENIED:
        problems.append(f"{name}: another county's {model._meta.label} answered {foreign_status}, expected 404")
    own_status = _open(client, name, pattern, samples.own[model][1])
    if own_status == 404:
        problems.append(f"{name}: the user's own {model._meta.label} answered 404, so the check proves nothing")
    return problems


def _check_global(client: Client, name: str, pattern: URLPattern, samples: Samples) -> list[str]:
    model = pattern.scoped_model
    if model not in samples.own:
        return [f"{name}: no sample maker registered for {model._meta.label} (add one in tests/samples.py)"]
    status = _open(client, name, pattern, samples.own[model][1])
    return [f"{name}: answered {status}"] if status >= 500 else []


def _open(client: Client, name: str, pattern: URLPattern, obj) -> int:
    url = reverse(name, kwargs={next(iter(pattern.pattern.converters)): obj.pk, **pattern.example_kwargs})
    status = client.get(url).status_code
    if status == 405:
        status = client.post(url, {}).status_code
    return status
