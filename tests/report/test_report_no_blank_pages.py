"""The demo's PDF, every page rendered to an image: none is nearly blank (a chapter's last few
lines alone on a page, as the summary's last "what needs fixing first" item once was)."""

from __future__ import annotations

from PIL import Image

from tests.conftest import EXAMPLE_INVENTORY
from tests.factories import example_state
from tests.report.pdftools import render_pngs
from trondocs.state.io import save_state

# The running header and footer (organization, page number) are on every page: only the
# body between them counts. A page of the table of contents inks about 2 % of it, the
# summary's orphaned list item inked 0.4 %.
BODY = (0.06, 0.94)
NEARLY_BLANK = 0.01


def body_ink(png) -> float:
    """Share of the body's pixels that are darker than light grey."""
    with Image.open(png) as image:
        grey = image.convert("L")
        width, height = grey.size
        body = grey.crop((0, int(height * BODY[0]), width, int(height * BODY[1])))
        histogram = body.histogram()
        return sum(histogram[:200]) / (body.width * body.height)


def test_no_page_of_the_demo_report_is_nearly_blank(run_cli, tmp_path):
    save_state(example_state(), tmp_path / "state.json")
    pdf = tmp_path / "report.pdf"
    result = run_cli("report", "-i", EXAMPLE_INVENTORY, "--state", tmp_path / "state.json", "-o", pdf)
    assert result.exit_code == 0, result.stderr
    pages = render_pngs(pdf, tmp_path)
    assert len(pages) >= 10
    inked = {page.name: round(body_ink(page), 4) for page in pages}
    assert all(share >= NEARLY_BLANK for share in inked.values()), inked


def test_the_measure_tells_a_blank_page_from_a_written_one(tmp_path):
    blank = tmp_path / "blank.png"
    Image.new("L", (330, 470), 255).save(blank)
    written = tmp_path / "written.png"
    page = Image.new("L", (330, 470), 255)
    page.paste(0, (20, 60, 310, 120))  # a block of text's worth of ink
    page.save(written)
    assert body_ink(blank) == 0 < NEARLY_BLANK < body_ink(written)


def test_no_page_of_a_large_estates_compact_report_is_nearly_blank(tmp_path):
    """Beyond 25 nodes the nodes in trouble get compact sections that follow on one another: no
    section may leave a page nearly empty before it."""
    from bench.estate import AS_OF, synthetic_estate
    from trondocs.evaluate import evaluate
    from trondocs.workflow.report import write_report

    loaded, state = synthetic_estate(60, points_per_node=8, group=16, aws_share=0.2, troubled=4)
    assessment = evaluate(loaded, state, as_of=AS_OF)
    pdf = tmp_path / "report.pdf"
    write_report(loaded, state, assessment, pdf)
    pages = render_pngs(pdf, tmp_path)
    inked = {page.name: round(body_ink(page), 4) for page in pages}
    assert all(share >= NEARLY_BLANK for share in inked.values()), inked
