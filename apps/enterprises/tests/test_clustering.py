import pytest

from apps.enterprises.clustering import Record, cluster_records
from apps.enterprises.matching.compare import Verdict
from apps.enterprises.models import DuplicateScan, DuplicateSuggestion
from apps.enterprises.scanning import run_duplicate_scan
from apps.enterprises.tests.factories import make_enterprise, valid_uscc


def test_clusters_join_same_enterprises_and_report_group_pairs():
    records = [
        Record(1, ("华为技术有限公司",)),
        Record(2, ("华为技术（深圳）有限公司",)),
        Record(3, ("深圳华为技术有限公司",)),
        Record(4, ("华为终端有限公司",)),
        Record(5, ("示范市东城区华兴电子有限公司",)),
        Record(6, ("中国银行股份有限公司",)),
        Record(7, ("中国建设银行股份有限公司", "建设银行")),
        Record(8, ("华为技术有限公司北京分公司",)),
    ]

    result = cluster_records(records)

    assert result.clusters == [[1, 2, 3]]
    verdicts = {(p.first, p.second): p.comparison.verdict for p in result.pairs}
    assert verdicts[(1, 8)] == Verdict.GROUP
    assert (1, 4) not in verdicts  # a shared 字号 alone is no review item in a scan
    assert (6, 7) not in verdicts
    assert result.compared >= 6


def test_two_different_usccs_never_end_in_one_cluster():
    records = [
        Record(1, ("华为技术有限公司",), valid_uscc()),
        Record(2, ("华为技术有限公司 ",)),
        Record(3, ("华为技术（深圳）有限公司",), valid_uscc()),
    ]

    result = cluster_records(records)

    assert all(not {1, 3} <= set(cluster) for cluster in result.clusters)


def test_large_blocks_are_paired_by_sorted_neighbourhood():
    records = [Record(n, (f"示范市{n:03d}号建筑工程有限公司",)) for n in range(200)]

    result = cluster_records(records, max_block=20, window=3)

    assert result.compared <= 200 * 3 * 2


@pytest.mark.django_db
def test_a_scan_opens_suggestions_once_and_leaves_dismissed_pairs_alone(officer_a):
    first = make_enterprise("示范市东城区华兴电子有限公司")
    second = make_enterprise("华兴电子有限公司")
    make_enterprise("示范市西城区华兴电子有限公司")

    scan = run_duplicate_scan(DuplicateScan.objects.create())

    assert scan.status == DuplicateScan.Status.FINISHED
    assert scan.total == 3
    suggestion = DuplicateSuggestion.objects.get(first=first, second=second)
    assert suggestion.verdict == "same"
    assert suggestion.source == "scan"
    suggestion.status = DuplicateSuggestion.Status.DISMISSED
    suggestion.save()
    again = run_duplicate_scan(DuplicateScan.objects.create())
    assert again.suggestions == 0
    assert DuplicateSuggestion.objects.get(pk=suggestion.pk).status == DuplicateSuggestion.Status.DISMISSED


@pytest.mark.django_db
def test_a_scan_does_not_suggest_group_links_already_recorded(city):
    from apps.enterprises.models import Enterprise

    parent = make_enterprise("北京字节跳动科技有限公司")
    linked = make_enterprise(
        "北京字节跳动科技有限公司上海分公司", parent=parent, group_role=Enterprise.GroupRole.BRANCH
    )
    unlinked = make_enterprise("北京字节跳动科技有限公司深圳分公司")

    run_duplicate_scan(DuplicateScan.objects.create())

    pairs = set(DuplicateSuggestion.objects.values_list("first_id", "second_id"))
    assert pairs == {(parent.pk, unlinked.pk), (linked.pk, unlinked.pk)}


def test_a_name_without_region_does_not_join_namesakes_of_two_regions():
    records = [
        Record(1, ("甘肃省张掖市高台县嘉驰汽车销售有限公司",)),
        Record(2, ("嘉驰汽车销售有限公司",)),
        Record(3, ("辽宁省铁岭市嘉驰汽车销售有限公司",)),
    ]

    clusters = cluster_records(records).clusters

    assert len(clusters) == 1
    assert clusters[0] in ([1, 2], [2, 3])


@pytest.mark.django_db
def test_a_scan_does_not_call_a_recorded_subsidiary_the_same_as_its_parent(city):
    from apps.enterprises.models import Enterprise

    parent = make_enterprise("立讯精密工业股份有限公司", short_names=["立讯精密"])
    make_enterprise("立讯精密工业有限公司", parent=parent, group_role=Enterprise.GroupRole.SUBSIDIARY)

    run_duplicate_scan(DuplicateScan.objects.create())

    assert not DuplicateSuggestion.objects.exists()


def test_a_full_name_matched_through_a_groups_short_alias_is_group_not_same():
    records = [Record(1, ("比亚迪股份有限公司", "比亚迪")), Record(2, ("示范比亚迪销售有限公司",))]

    pairs = cluster_records(records).pairs

    assert [(p.first, p.second, p.comparison.verdict) for p in pairs] in ([], [(1, 2, Verdict.GROUP)])
    assert cluster_records(records).clusters == []
