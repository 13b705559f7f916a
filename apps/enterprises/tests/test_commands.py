import io

import pytest
from django.core.management import CommandError, call_command

from apps.enterprises.models import DuplicateSuggestion
from apps.enterprises.tests.factories import make_enterprise


def test_match_names_prints_verdict_score_and_reasons(tmp_path):
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text(
        "华为技术有限公司\t华为\n\n中国银行\t中国建设银行股份有限公司\n北京字节跳动科技有限公司上海分公司\t北京字节跳动科技有限公司\n",
        encoding="utf-8",
    )
    out = io.StringIO()

    call_command("match_names", str(pairs), stdout=out)

    lines = [line.split("\t") for line in out.getvalue().splitlines()]
    assert [line[0] for line in lines] == ["same", "different", "group"]
    assert lines[0][1] == "0.950"
    assert "简称" in lines[0][2]


def test_match_names_thresholds_and_errors(tmp_path):
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("华为技术有限公司\t华为\n", encoding="utf-8")
    out = io.StringIO()

    call_command("match_names", str(pairs), "--same-threshold", "0.99", "--no-reasons", stdout=out)

    assert out.getvalue().split("\t")[0] != "same"
    pairs.write_text("只有一列\n", encoding="utf-8")
    with pytest.raises(CommandError, match="第 1 行应有两列"):
        call_command("match_names", str(pairs))
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("match_names", str(tmp_path / "missing.tsv"))


@pytest.mark.django_db
def test_scan_duplicates_and_rebuild_name_index_commands(city):
    make_enterprise("示范市甲乙科技有限公司")
    make_enterprise("甲乙科技有限公司")
    out = io.StringIO()

    call_command("scan_duplicates", stdout=out)
    call_command("rebuild_name_index", stdout=out)

    assert "新增 1 条疑似重复" in out.getvalue()
    assert "重建 2 家企业的名称索引" in out.getvalue()
    assert DuplicateSuggestion.objects.count() == 1
