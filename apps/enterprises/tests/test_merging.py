import pytest

from apps.core.errors import BusinessRuleError
from apps.enterprises.merging import merge_enterprises, references, undo_merge
from apps.enterprises.models import Contact, DuplicateSuggestion, Enterprise, NameGram, Tag
from apps.enterprises.selectors import find_matches
from apps.enterprises.tests.factories import make_enterprise, valid_uscc

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(officer_a, officer_b):
    """A registered enterprise and a duplicate another team typed, each with things pointing at it."""
    high_tech, leader = Tag.objects.get(name="高新技术企业"), Tag.objects.get(name="链主")
    code = valid_uscc()
    survivor = make_enterprise("示范市东城区华兴电子有限公司", tags=[high_tech])
    duplicate = make_enterprise(
        "华兴电子（示范）有限公司", uscc=code, short_names=["华兴"], tags=[leader], address="东城区人民路 1 号"
    )
    branch = make_enterprise(
        "华兴电子（示范）有限公司西城分公司", parent=duplicate, group_role=Enterprise.GroupRole.BRANCH
    )
    contact_a = Contact.objects.create(enterprise=duplicate, unit=officer_a.unit, name="张伟")
    contact_b = Contact.objects.create(enterprise=duplicate, unit=officer_b.unit, name="李娜")
    low, high = sorted((survivor.pk, duplicate.pk))
    suggestion = DuplicateSuggestion.objects.create(
        first_id=low, second_id=high, verdict="same", score=0.9, source="scan"
    )
    return {"survivor": survivor, "duplicate": duplicate, "branch": branch, "contacts": [contact_a, contact_b],
            "suggestion": suggestion, "tags": {high_tech, leader}, "code": code}  # fmt: skip


def test_references_are_found_through_the_model_graph():
    assert (Contact, "enterprise") in references()


def test_merge_moves_every_reference_names_tags_and_missing_identity(pair, officer_a):
    survivor, duplicate = pair["survivor"], pair["duplicate"]

    merge = merge_enterprises(survivor=survivor, merged=duplicate, suggestion=pair["suggestion"], by=officer_a)

    survivor.refresh_from_db()
    duplicate.refresh_from_db()
    assert duplicate.status == Enterprise.Status.MERGED
    assert duplicate.merged_into == survivor
    assert survivor.uscc == pair["code"]
    assert duplicate.uscc is None
    assert survivor.address == "东城区人民路 1 号"
    assert set(Contact.objects.filter(enterprise=survivor)) == set(pair["contacts"])
    assert Enterprise.objects.get(pk=pair["branch"].pk).parent == survivor
    assert set(survivor.tags.all()) == pair["tags"]
    assert dict(survivor.names.values_list("name", "kind")) == {
        "示范市东城区华兴电子有限公司": "full",
        "华兴电子（示范）有限公司": "former",
        "华兴": "short",
    }
    assert not NameGram.objects.filter(enterprise=duplicate).exists()
    assert set(merge.moved["enterprises.Contact.enterprise"]) == {c.pk for c in pair["contacts"]}
    assert merge.moved["enterprises.Enterprise.parent"] == [pair["branch"].pk]
    assert DuplicateSuggestion.objects.get(pk=pair["suggestion"].pk).status == DuplicateSuggestion.Status.MERGED
    assert find_matches("华兴电子（示范）有限公司")[0].enterprise == survivor


def test_undo_puts_everything_back(pair, officer_a, officer_b):
    survivor, duplicate = pair["survivor"], pair["duplicate"]
    before_names = set(survivor.names.values_list("name", flat=True))
    merge = merge_enterprises(survivor=survivor, merged=duplicate, suggestion=pair["suggestion"], by=officer_a)

    undo_merge(merge=merge, by=officer_b)

    survivor.refresh_from_db()
    duplicate.refresh_from_db()
    merge.refresh_from_db()
    assert duplicate.status == Enterprise.Status.ACTIVE
    assert duplicate.merged_into is None
    assert duplicate.uscc == pair["code"]
    assert survivor.uscc is None
    assert survivor.address == ""
    assert set(Contact.objects.filter(enterprise=duplicate)) == set(pair["contacts"])
    assert Enterprise.objects.get(pk=pair["branch"].pk).parent == duplicate
    assert set(survivor.tags.values_list("name", flat=True)) == {"高新技术企业"}
    assert set(survivor.names.values_list("name", flat=True)) == before_names
    assert NameGram.objects.filter(enterprise=duplicate).exists()
    assert merge.undone_by == officer_b
    assert merge.undone_at is not None
    assert DuplicateSuggestion.objects.get(pk=pair["suggestion"].pk).status == DuplicateSuggestion.Status.OPEN
    with pytest.raises(BusinessRuleError, match="已撤销"):
        undo_merge(merge=merge, by=officer_b)


def test_two_valid_usccs_cannot_be_merged(officer_a):
    first = make_enterprise("示范市甲科技有限公司", uscc=valid_uscc())
    second = make_enterprise("甲科技有限公司", uscc=valid_uscc())

    with pytest.raises(BusinessRuleError, match="是不同的法人"):
        merge_enterprises(survivor=first, merged=second, by=officer_a)

    assert Enterprise.objects.active().count() == 2


def test_a_merged_record_cannot_be_merged_again_nor_its_merge_undone_after_the_survivor_moved_on(officer_a):
    a, b, c = (make_enterprise(f"示范市{n}科技有限公司") for n in ("甲甲", "乙乙", "丙丙"))
    first = merge_enterprises(survivor=b, merged=a, by=officer_a)
    with pytest.raises(BusinessRuleError, match="已被合并"):
        merge_enterprises(survivor=c, merged=a, by=officer_a)
    merge_enterprises(survivor=c, merged=b, by=officer_a)

    with pytest.raises(BusinessRuleError, match="请先撤销那次合并"):
        undo_merge(merge=first, by=officer_a)


def test_merging_a_parent_into_its_own_subsidiary_lifts_the_subsidiary(officer_a):
    parent = make_enterprise("示范控股集团有限公司")
    child = make_enterprise("示范控股有限公司", parent=parent, group_role=Enterprise.GroupRole.SUBSIDIARY)

    merge = merge_enterprises(survivor=child, merged=parent, by=officer_a)
    child.refresh_from_db()
    assert child.parent is None
    assert child.group_role == Enterprise.GroupRole.INDEPENDENT

    undo_merge(merge=merge, by=officer_a)
    child.refresh_from_db()
    assert child.parent == parent
    assert child.group_role == Enterprise.GroupRole.SUBSIDIARY


def test_a_merge_fills_a_missing_business_scope_and_the_undo_empties_it(officer_a):
    survivor = make_enterprise("示范市东城区锂电材料有限公司")
    duplicate = make_enterprise("锂电材料（示范）有限公司", business_scope="正极材料的生产和销售")

    merge = merge_enterprises(survivor=survivor, merged=duplicate, suggestion=None, by=officer_a)
    survivor.refresh_from_db()
    assert survivor.business_scope == "正极材料的生产和销售"

    undo_merge(merge=merge, by=officer_a)
    survivor.refresh_from_db()
    assert survivor.business_scope == ""
