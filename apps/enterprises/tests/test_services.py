import pytest

from apps.core.errors import BusinessRuleError
from apps.enterprises import services
from apps.enterprises.index import candidate_ids, enterprise_grams, rebuild_name_index
from apps.enterprises.models import Enterprise, EnterpriseName, GramStat, NameGram, Tag
from apps.enterprises.services import EnterpriseData
from apps.enterprises.tests.factories import make_enterprise, valid_uscc

pytestmark = pytest.mark.django_db


def test_registering_stores_the_full_name_aliases_and_index(officer_a):
    tag = Tag.objects.get(name="专精特新")
    data = EnterpriseData(
        name="示范市东城区华兴电子有限公司",
        uscc=valid_uscc().lower(),
        short_names=["华兴电子", "华兴电子", ""],
        former_names=["示范市华兴电子厂"],
        tags=[tag],
    )

    enterprise = services.register_enterprise(data=data, by=officer_a)

    assert enterprise.uscc == enterprise.uscc.upper()
    assert enterprise.created_by == officer_a
    kinds = dict(enterprise.names.values_list("name", "kind"))
    assert kinds == {"示范市东城区华兴电子有限公司": "full", "华兴电子": "short", "示范市华兴电子厂": "former"}
    assert set(NameGram.objects.filter(enterprise=enterprise).values_list("gram", flat=True)) == enterprise_grams(kinds)
    assert list(enterprise.tags.all()) == [tag]
    assert enterprise.name_core == "华兴电子"


def test_a_registered_uscc_cannot_be_registered_again(officer_a):
    code = valid_uscc()
    make_enterprise("示范市甲科技有限公司", uscc=code)

    with pytest.raises(BusinessRuleError, match="已登记为“示范市甲科技有限公司”") as caught:
        make_enterprise("示范市乙科技有限公司", uscc=code)

    assert caught.value.field == "uscc"
    assert Enterprise.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "uscc", "field"),
    [
        ("甲", "", "name"),
        ("示范市甲科技有限公司", "914403001922038217", "uscc"),
        ("示范市甲科技有限公司", "1234", "uscc"),
    ],
)
def test_bad_input_changes_nothing(name, uscc, field):
    with pytest.raises(BusinessRuleError) as caught:
        make_enterprise(name, uscc=uscc)

    assert caught.value.field == field
    assert not Enterprise.objects.exists()
    assert not NameGram.objects.exists()


def test_group_structure_rules(officer_a):
    parent = make_enterprise("示范控股集团有限公司")
    with pytest.raises(BusinessRuleError, match="须选择上级企业"):
        make_enterprise("示范控股东城分公司", group_role=Enterprise.GroupRole.BRANCH)
    with pytest.raises(BusinessRuleError, match="独立企业不填上级企业"):
        make_enterprise("示范控股东城分公司", parent=parent)
    child = make_enterprise("示范控股集团有限公司东城分公司", parent=parent, group_role=Enterprise.GroupRole.BRANCH)
    data = EnterpriseData(name=parent.name, parent=child, group_role=Enterprise.GroupRole.SUBSIDIARY)

    with pytest.raises(BusinessRuleError, match="不能是本企业或其下属企业"):
        services.update_enterprise(enterprise=parent, data=data, by=officer_a)


def test_renaming_keeps_the_old_name_as_a_former_name_and_reindexes(officer_a):
    enterprise = make_enterprise("示范市旧名称科技有限公司")

    services.update_enterprise(
        enterprise=enterprise, data=EnterpriseData(name="示范市新名称科技有限公司"), by=officer_a
    )

    kinds = dict(enterprise.names.values_list("name", "kind"))
    assert kinds == {"示范市旧名称科技有限公司": "former", "示范市新名称科技有限公司": "full"}
    assert enterprise.pk in dict(candidate_ids("新名称科技"))
    assert enterprise.pk in dict(candidate_ids("旧名称科技"))


def test_removing_an_alias_takes_its_grams_out_of_the_index(officer_a):
    enterprise = make_enterprise("示范市甲乙科技有限公司")
    alias = services.add_enterprise_name(
        enterprise=enterprise, name="丙丁", kind=EnterpriseName.Kind.SHORT, by=officer_a
    )
    assert GramStat.objects.get(gram="丙丁").enterprises == 1

    services.remove_enterprise_name(name=alias, by=officer_a)

    assert not NameGram.objects.filter(gram="丙丁").exists()
    assert GramStat.objects.get(gram="丙丁").enterprises == 0
    with pytest.raises(BusinessRuleError, match="不能删除企业全称"):
        services.remove_enterprise_name(name=enterprise.names.get(kind="full"), by=officer_a)


def test_rebuilding_the_index_gives_the_same_index_as_the_services():
    make_enterprise("示范市甲乙科技有限公司", short_names=["甲乙科技"])
    make_enterprise("示范市甲丙电子有限公司")
    before = set(NameGram.objects.values_list("gram", "enterprise_id"))
    stats = dict(GramStat.objects.filter(enterprises__gt=0).values_list("gram", "enterprises"))

    assert rebuild_name_index() == 2

    assert set(NameGram.objects.values_list("gram", "enterprise_id")) == before
    assert dict(GramStat.objects.values_list("gram", "enterprises")) == stats


def test_built_in_tags_cannot_be_renamed_or_deleted(system_admin):
    builtin = Tag.objects.get(name="链主")
    with pytest.raises(BusinessRuleError, match="不能改名"):
        services.save_tag(tag=builtin, name="链主企业", description="", by=system_admin)
    with pytest.raises(BusinessRuleError, match="不能删除"):
        services.delete_tag(tag=builtin, by=system_admin)
    custom = services.save_tag(tag=None, name="总部企业", description="", by=system_admin)
    make_enterprise("示范市甲乙科技有限公司", tags=[custom])
    with pytest.raises(BusinessRuleError, match="有 1 家企业"):
        services.delete_tag(tag=custom, by=system_admin)


def test_a_contact_belongs_to_the_recorders_unit(officer_a):
    enterprise = make_enterprise("示范市甲乙科技有限公司")

    contact = services.save_contact(
        contact=None, enterprise=enterprise, by=officer_a, name=" 张伟 ", phone="13812345678"
    )

    assert (contact.unit, contact.name, contact.masked_phone) == (officer_a.unit, "张伟", "138****5678")
