"""`rongcuo opinion`, /v1/opinion and the page's download: the draft 认定意见, read back as a user opens it."""

import io
import json

import docx
import pytest
import yaml
from fastapi.testclient import TestClient
from markupsafe import escape  # as jinja escapes the HTML document

from rongcuo.service import Limits, Service, create_app

from .conftest import ROOT, rongcuo

GOLDEN = ROOT / "measure" / "golden"


def paragraphs(path_or_bytes) -> list[tuple[str, str]]:
    """The document's paragraphs as python-docx reads them: (style, text)."""
    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else str(path_or_bytes)
    return [(p.style.name, p.text) for p in docx.Document(source).paragraphs]


HEADINGS = ["一、基本情况", "二、认定依据", "三、认定意见", "四、后续事项"]


@pytest.mark.parametrize(
    "name, title, cited, finding, dates",
    [
        (
            "g-a11-p1-i6.yaml",
            "关于张三同志容错免责认定的意见（草稿）",
            ["第十一条第一款第（六）项规定：“", "第十一条第二款规定：“", "第十一条第二款第（三）项规定：“"],
            "可以免除其相关责任，予以容错免责",
            ["事发日期：2024年3月1日", "不迟于2024年3月27日（第十四条）", "已于2024年3月25日告知", "整改期限："],
        ),
        (
            "g-a12-p1-i2.yaml",
            "关于于海波同志从轻、减轻处理认定的意见（草稿）",
            ["第十二条规定：“", "第十二条第（二）项规定：“"],
            "可以从轻或者减轻责任",
            ["事发日期：2024年8月6日"],
        ),
        (
            "g-a13-both.yaml",
            "关于孟庆林同志不予容错认定的意见（草稿）",
            ["第十三条规定：“执法人员履行职责过程中违反法定的职责范围和法定程序的，不予容错。”"],
            "存在第十三条规定的情形，不予容错",
            ["事发日期：2023年12月5日"],
        ),
    ],
)
def test_the_docx_reads_back_with_its_headings_articles_dates_and_disposition(
    tmp_path, name, title, cited, finding, dates
):
    out = tmp_path / "o.docx"
    run = rongcuo("opinion", GOLDEN / name, "--out", out)
    assert run.returncode == 0, run.stderr
    found = paragraphs(out.read_bytes())
    texts = [t for _, t in found]
    assert found[0] == ("Title", title)
    assert [t for s, t in found if s == "Heading 1"] == HEADINGS
    for article in cited:
        assert any(t.startswith(article) and s == "Quote" for s, t in found), article
    assert any(finding in t for t in texts)
    assert any("由局党组" in t and "第十四条" in t for t in texts)  # the determination is the party group's
    for day in dates:
        assert any(day in t for t in texts), day
    follow_up = texts[texts.index("四、后续事项") + 1 :]
    assert ("无。" in follow_up) == (name != "g-a11-p1-i6.yaml")


def test_the_facts_with_their_evidence_and_the_publicity_and_feedback(tmp_path):
    narrative = "刘某在检查中因商户故意隐瞒未发现问题，事后积极挽回损失，未造成重大损失。"
    case = {
        "id": "E-1",
        "subject": {"name": "刘某", "unit": "执法二大队"},
        "narrative": narrative,
        "facts": {
            "enforcement_personnel": True,
            "inspection_target_concealed": True,
            "not_prohibited_by_law": True,
            "major_loss": False,
            "serious_adverse_impact": False,
            "remedied_actively": True,
            "report_received": True,
            "report_real_name": True,
        },
        "evidence": {"inspection_target_concealed": {"text": "商户故意隐瞒", "start": 7, "end": 13}},
        "dates": {"decision": "2024-03-20", "correction_deadline": "2024-05-31"},
        "as_of": "2024-03-22",
    }
    path = tmp_path / "e.yaml"
    path.write_text(yaml.safe_dump(case, allow_unicode=True))
    assert rongcuo("opinion", path, "--out", tmp_path / "e.docx").returncode == 0
    texts = [t for _, t in paragraphs((tmp_path / "e.docx").read_bytes())]
    assert "经查，执法对象故意隐瞒致未及时发现潜在问题。" in texts
    assert "案情记载：“商户故意隐瞒”（待核实）" in texts
    assert "经查，不存在“造成重大损失”的情形。" in texts
    assert "整改期限：2024年5月31日。" in texts
    assert "认定结论一般应在一定范围内公开（第十四条）。" in texts
    assert any("向举报人反馈结果（第十九条）" in t for t in texts)
    assert any("评估日 2024-03-22，案件文件所载" in t for t in texts)


def test_markdown_html_and_english_come_from_the_same_draft(tmp_path):
    md = rongcuo("opinion", GOLDEN / "g-a11-p1-i6.yaml").stdout
    assert md.startswith("# 关于张三同志容错免责认定的意见（草稿）") and "## 三、认定意见" in md
    html = rongcuo("opinion", GOLDEN / "g-a11-p1-i6.yaml", "--format", "html").stdout
    assert "<h2>二、认定依据</h2>" in html and '<blockquote class="quote">第十一条第二款规定' in html
    en = rongcuo("opinion", GOLDEN / "g-a11-p1-i6.yaml", "--format", "md", "--lang", "en").stdout
    assert "Draft opinion on the tolerance exemption of 张三" in en and "by 2024-03-27" in en and "一、" not in en
    out = tmp_path / "x.html"
    assert rongcuo("opinion", GOLDEN / "g-a13-both.yaml", "--out", out).returncode == 0
    assert out.read_text().startswith("<!DOCTYPE html>")


def test_a_bureau_template_is_used_and_a_bad_one_refused(tmp_path):
    template = tmp_path / "bureau.docx"
    styled = docx.Document()
    styled.add_paragraph("示例")
    styled.save(str(template))
    out = tmp_path / "o.docx"
    assert rongcuo("opinion", GOLDEN / "g-a11-p1-i6.yaml", "--template", template, "--out", out).returncode == 0
    assert paragraphs(out.read_bytes())[0][1] == "关于张三同志容错免责认定的意见（草稿）"
    (tmp_path / "bad.docx").write_text("not a document")
    run = rongcuo("opinion", GOLDEN / "g-a11-p1-i6.yaml", "--template", tmp_path / "bad.docx", "--out", out)
    assert run.returncode == 2 and "--template" in run.stderr


@pytest.fixture(scope="module")
def client(rulesets):
    app = create_app(Service(rulesets, "default", Limits()))
    with TestClient(app, raise_server_exceptions=False, headers={"Accept-Language": "en"}) as c:
        yield c


def golden_body(name: str) -> dict:
    data = yaml.safe_load((GOLDEN / name).read_text())
    return json.loads(json.dumps({k: v for k, v in data.items() if k != "expect"}, default=str))


def test_v1_opinion_in_each_format(client):
    body = golden_body("g-a11-p1-i6.yaml")
    r = client.post("/v1/opinion", json=body)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert (
        "attachment" in r.headers["content-disposition"]
        and "G-A11-P1-I6.opinion.docx" in r.headers["content-disposition"]
    )
    assert any("不迟于2024年3月27日" in t for _, t in paragraphs(r.content))
    md = client.post("/v1/opinion?format=md", json=body)
    assert md.headers["content-type"].startswith("text/markdown") and "## 四、后续事项" in md.text
    html = client.post("/v1/opinion?format=html&lang=en", json=body)
    assert html.headers["content-type"].startswith("text/html") and "<h2>3. Finding</h2>" in html.text
    assert client.post("/v1/opinion?format=pdf", json=body).status_code == 422
    bad = client.post("/v1/opinion", json={"id": "X", "facts": {"major_los": True}})
    assert bad.status_code == 422 and "major_los" in bad.text


def test_the_page_result_links_its_opinion(client):
    page = client.get("/?id=P-1&enforcement_personnel=true&inspection_target_concealed=true&decision=2024-03-20")
    assert page.status_code == 200
    href = page.text.split('id="opinion" href="')[1].split('"')[0].replace("&amp;", "&")
    assert href.startswith("/opinion?") and href.endswith("format=docx")
    r = client.get(href)
    assert r.status_code == 200 and r.headers["content-type"].endswith("wordprocessingml.document")
    style, title = paragraphs(r.content)[0]
    assert style == "Title" and title.startswith("关于××同志") and title.endswith("的意见（草稿）")


EXPECTED = ROOT / "tests" / "opinion"  # the documents main wrote before --timeline (the rule-set digest as RULES)


def without_digest(text: str) -> str:
    from rongcuo.engine import RuleSet

    return text.replace(RuleSet.load("default").digest, "RULES")


@pytest.mark.parametrize(
    "stem, written",
    [("g-a11-p1-i6", (("md", "zh"), ("html", "en"))), ("g-q12-later-lenient", (("md", "zh"), ("md", "en")))],
)
def test_without_a_timeline_the_document_is_what_it_was(tmp_path, stem, written):
    for format, lang in written:
        run = rongcuo("opinion", GOLDEN / f"{stem}.yaml", "--format", format, "--lang", lang)
        assert run.returncode == 0, run.stderr
        assert without_digest(run.stdout) == (EXPECTED / f"{stem}.{lang}.{format}").read_text("utf-8")
    out = tmp_path / "o.docx"
    assert rongcuo("opinion", GOLDEN / f"{stem}.yaml", "--out", out).returncode == 0
    found = [[style, without_digest(text)] for style, text in paragraphs(out.read_bytes())]
    assert found == json.loads((EXPECTED / f"{stem}.zh.docx.json").read_text("utf-8"))


LENIENT = GOLDEN / "g-q12-later-lenient.yaml"  # conduct before the illustrative amendment, decided under it
APPLIED = {  # the version applied and why, in the document's own words
    "zh": "本案适用本办法2025年7月1日至2025年12月31日施行的版本。"
    "决定时施行的版本对当事人更有利，依从旧兼从轻适用该版本。",
    "en": "The case is judged under the measure's version in force from 2025-07-01 to 2025-12-31: the version in "
    "force at the determination is more favourable to the officer, so it applies: 从旧兼从轻.",
}
COMPARED = {
    "zh": "经比较，按2025年7月1日前施行的版本，结论为无容错情形（依规追责）；按2025年7月1日至2025年12月31日施行的版本，"
    "结论为从轻、减轻处理。",
    "en": "Compared: under the version in force before 2025-07-01, no tolerance ground (ordinary accountability); "
    "under the version in force from 2025-07-01 to 2025-12-31, mitigated.",
}


def without_digests(text: str) -> str:
    """The rule-set and timeline digests (16 hex digits) as DIGEST: they change with any rule file."""
    import re

    return re.sub(r"\b[0-9a-f]{16}\b", "DIGEST", text)


def test_under_a_timeline_the_document_names_the_version_applied_and_why(tmp_path):
    out = tmp_path / "o.docx"
    run = rongcuo("opinion", LENIENT, "--timeline", "illustrative", "--out", out)
    assert run.returncode == 0, run.stderr
    found = [[style, without_digests(text)] for style, text in paragraphs(out.read_bytes())]
    assert found == json.loads((EXPECTED / "g-q12-later-lenient.timeline.zh.docx.json").read_text("utf-8"))
    texts = [text for _, text in found]
    grounds = texts[texts.index("二、认定依据") + 1 :]
    assert grounds[0] == APPLIED["zh"] and COMPARED["zh"] in grounds
    assert grounds[1].startswith("时间线对该版本的说明：【示例，并非法律】")  # the amendment says it is not law
    assert found[0] == ["Title", "关于××同志从轻、减轻处理认定的意见（草稿）"]  # the more lenient version's disposition
    assert "适用版本 v2025_illustrative" in texts[-1]  # the colophon: the version's id, the timeline, the rule set
    for format, lang in (("md", "zh"), ("md", "en")):
        run = rongcuo("opinion", LENIENT, "--timeline", "illustrative", "--format", format, "--lang", lang)
        assert run.returncode == 0, run.stderr
        expected = (EXPECTED / f"g-q12-later-lenient.timeline.{lang}.{format}").read_text("utf-8")
        assert without_digests(run.stdout) == expected
    en = rongcuo("opinion", LENIENT, "--timeline", "illustrative", "--format", "html", "--lang", "en").stdout
    assert f"<p>{escape(APPLIED['en'])}</p>" in en and f"<p>{escape(COMPARED['en'])}</p>" in en
    assert "本案适用" not in en


def test_opinion_takes_the_timeline_option_evaluate_takes(tmp_path):
    draft = "measure/drafts/a12-cooperation-suffices"
    run = rongcuo("opinion", LENIENT, "--timeline", "illustrative", "--rules", draft)
    assert run.returncode == 2 and len(run.stderr.splitlines()) == 1 and "--timeline" in run.stderr
    missing = rongcuo("opinion", LENIENT, "--timeline", tmp_path / "nowhere.yaml")
    assert missing.returncode == 2 and "nowhere.yaml" in missing.stderr and "Traceback" not in missing.stderr
