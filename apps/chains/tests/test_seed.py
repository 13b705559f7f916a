import json

from apps.chains.models import Chain, Link, Segment
from apps.chains.seed import SEED_FILE, load_seed_chains
from apps.enterprises.models import Industry

EIGHT = ["新能源汽车", "光伏", "氢能", "新材料", "现代煤化工", "绿色食品", "装备制造", "数字经济"]


def test_eight_chains_with_links_over_three_segments_and_sub_links(db):
    chains = load_seed_chains()
    assert [chain.name for chain in chains] == EIGHT
    for chain in chains:
        links = list(chain.links.all())
        assert 8 <= len(links) <= 15, chain.name
        assert {link.segment for link in links} == set(Segment.values), chain.name
        assert any(link.parent_id for link in links), chain.name
        for link in links:
            assert 3 <= len(link.keywords) <= 8, link
            assert link.industry_codes, link
    photovoltaic = Chain.objects.get(name="光伏")
    assert {"多晶硅", "硅片", "电池片", "组件", "逆变器", "支架", "光伏电站"} <= set(
        photovoltaic.links.values_list("name", flat=True)
    )


def test_every_industry_code_is_in_the_registry_table(db):
    known = set(Industry.objects.values_list("code", flat=True))
    specs = json.loads(SEED_FILE.read_text(encoding="utf-8"))
    codes = {code for chain in specs for link in chain["links"] for code in _codes(link)}
    assert codes <= known


def _codes(link: dict) -> list[str]:
    return [*link["industry_codes"], *(code for sub in link.get("sub_links", []) for code in sub["industry_codes"])]


def test_sub_links_sit_where_their_parent_sits(db):
    load_seed_chains()
    cells = Link.objects.get(chain__name="新能源汽车", name="电芯")
    assert cells.parent.name == "动力电池"
    assert cells.segment == cells.parent.segment == Segment.UPSTREAM


def test_loading_twice_changes_nothing_and_keeps_a_keepers_choices(db):
    load_seed_chains()
    counts = (Chain.objects.count(), Link.objects.count())
    hydrogen = Chain.objects.get(name="氢能")
    hydrogen.is_active = False
    hydrogen.save()
    own = Link.objects.create(chain=hydrogen, segment=Segment.DOWNSTREAM, name="氢能检测")
    Link.objects.filter(chain__name="光伏", name="硅片").update(keywords=["旧词"])

    load_seed_chains()

    assert (Chain.objects.count(), Link.objects.count()) == (counts[0], counts[1] + 1)
    assert Chain.objects.get(name="氢能").is_active is False
    assert Link.objects.filter(pk=own.pk).exists()
    assert "硅片" in Link.objects.get(chain__name="光伏", name="硅片").keywords
