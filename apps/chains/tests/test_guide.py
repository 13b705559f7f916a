from datetime import date
from io import BytesIO

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone
from docx import Document

from apps.chains.services.coverage import gaps
from apps.chains.services.guide import chain_guide, policy_offers
from apps.chains.tests.conftest import make_enterprise, place
from apps.chains.tests.test_targets import outside
from apps.policies.models import Policy, PolicyItem


def _policy(unit, title: str, **dates) -> Policy:
    return Policy.objects.create(
        title=title, document_number=f"示政发〔2026〕{Policy.objects.count() + 1}号", issuing_unit=unit,
        issued_on=date(2026, 1, 5), effective_from=dates.get("effective_from", date(2026, 1, 5)),
        published_at=timezone.now(), expires_on=dates.get("expires_on"),
    )  # fmt: skip


def _item(policy: Policy, title: str, *, kind: str = "subsidy", benefit: str = "给予补贴", rule=None) -> PolicyItem:
    return PolicyItem.objects.create(
        policy=policy, number="第一条", title=title, benefit_kind=kind, benefit=benefit, beneficiaries="企业",
        conditions="在本市注册", department=policy.issuing_unit, rule=rule or {},
    )  # fmt: skip


def _read(content: bytes):
    document = Document(BytesIO(content))
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return document, paragraphs, cells


@pytest.fixture
def mapped(chain, links):
    leader = make_enterprise("示范电芯有限公司")
    place(links["cells"], leader, leader=True)
    for name in ("甲", "乙"):
        place(links["motor"], make_enterprise(f"示范{name}电机有限公司"))
    outside("深圳锐能汽车有限公司", industry="36", tags=("世界500强",))
    return chain


def test_the_guide_reads_back_with_every_section(mapped, links, city):
    _item(_policy(city, "新能源汽车产业扶持办法"), "充电桩建设补贴", benefit="每个充电桩补贴 2000 元")
    _, paragraphs, cells = _read(chain_guide(mapped))
    assert paragraphs[0] == "新能源汽车产业链招商指南"
    headings = [text for text in paragraphs if text[:2] in {"一、", "二、", "三、", "四、", "五、"}]
    assert headings == ["一、产业链图谱", "二、本地产业基础", "三、缺链短板", "四、目标企业", "五、用地和政策支持"]
    assert "链主企业：示范电芯有限公司。" in paragraphs
    assert "补链（本地尚无企业的环节）：无。" in paragraphs
    assert "延链（尚未布局的下游环节）：整车制造、充换电。" in paragraphs
    assert "强链（本地企业少于阈值的薄弱环节）：动力电池（1/2）、电芯（1/2）。" in paragraphs
    assert "深圳锐能汽车有限公司" in cells
    assert "整车制造（延链）" in paragraphs
    assert any(text.startswith("充电桩建设补贴（新能源汽车产业扶持办法第一条，资金补贴）") for text in paragraphs)


def test_the_guide_holds_the_diagram_as_a_picture(mapped):
    document, _, _ = _read(chain_guide(mapped))
    assert len(document.inline_shapes) == 1
    image = document.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    assert document.part.related_parts[image].content_type == "image/png"


def test_policy_offers_prefer_items_that_mention_the_gaps(mapped, city):
    policy = _policy(city, "产业扶持办法")
    fitting = _item(policy, "整车项目用地保障", kind="land", rule={"all": [{"field": "industry", "in": ["36"]}]})
    _item(policy, "普惠贷款贴息", kind="loan")
    offers = policy_offers(gaps(mapped))
    assert offers.fitted
    assert (offers.land, offers.support) == ([fitting], [])


def test_general_offers_when_nothing_mentions_the_gaps(mapped, city):
    policy = _policy(city, "产业扶持办法")
    general = _item(policy, "普惠贷款贴息", kind="loan")
    _item(policy, "食品企业补贴", rule={"all": [{"field": "industry", "in": ["14"]}]})
    _item(_policy(city, "已失效办法", expires_on=date(2026, 1, 31)), "过期补贴", kind="subsidy")
    offers = policy_offers(gaps(mapped))
    assert not offers.fitted
    assert offers.support == [general]
    _, paragraphs, _ = _read(chain_guide(mapped))
    assert "没有专门针对本产业链环节的政策条款，以下为普遍适用的有效政策。" in paragraphs


def test_the_guide_says_when_there_are_no_offers(mapped):
    _, paragraphs, _ = _read(chain_guide(mapped))
    assert paragraphs[-1] == "目前没有有效的惠企政策条款可列入本指南。"


def test_the_download_is_a_word_file_and_is_audited(client_for, city_leader, mapped):
    response = client_for(city_leader).get(reverse("chains:chain_guide", args=[mapped.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert "attachment" in response["Content-Disposition"]
    _, paragraphs, _ = _read(response.content)
    assert paragraphs[0] == "新能源汽车产业链招商指南"
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS, additional_data__what="下载招商指南").exists()
