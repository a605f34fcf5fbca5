"""The json format is made a list item at a time (bounded memory for a large estate) and gives
the very text one ``json.dumps(document, indent=2)`` of the whole document gives."""

from __future__ import annotations

import json

from tests.drift.builders import clean_assessment, finding, make_assessment, mixed_assessment
from trondocs.evaluate.models import Assessment, Status
from trondocs.render.drift import json as drift_json


def _whole(assessment: Assessment) -> str:
    return json.dumps(drift_json.document(assessment), indent=2, ensure_ascii=False) + "\n"


def test_item_by_item_is_the_whole_document_text() -> None:
    for assessment in (mixed_assessment(), clean_assessment()):
        assert drift_json.render(assessment) == _whole(assessment)


def test_names_with_newlines_quotes_and_brackets_stay_one_string() -> None:
    tricky = 'line one\nline two\n    },\n    {"injected": true} — ünïcode \\ "quoted"'
    assessment = make_assessment([finding("TRD101", Status.FAIL, node=tricky, message=tricky)])
    text = drift_json.render(assessment)
    assert text == _whole(assessment)
    assert json.loads(text)["findings"][0]["node"] == tricky


def test_no_findings_is_an_empty_list() -> None:
    assessment = make_assessment([])
    text = drift_json.render(assessment)
    assert text == _whole(assessment)
    assert '"findings": []' in text


def test_the_pieces_written_as_they_come_are_the_text_and_many() -> None:
    assessment = mixed_assessment()
    pieces = list(drift_json.render_pieces(assessment))
    assert "".join(pieces) == _whole(assessment)
    assert len(pieces) > len(assessment.findings)  # an item at a time, not the whole text at once
    assert all(len(piece) < len(_whole(assessment)) // 2 for piece in pieces)


def test_a_format_without_pieces_is_its_whole_text() -> None:
    from trondocs.render.drift import FORMATS, RenderOptions, render_pieces

    assessment = mixed_assessment()
    options = RenderOptions()
    for name, module in FORMATS.items():
        assert "".join(render_pieces(name, assessment, options)) == module.render(assessment, options)
