"""Presentation helpers: links, slugs and the Markdown/code escaping filters."""

from __future__ import annotations

import posixpath

from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from trondocs.render.website.labels import link, slug, unique_slugs
from trondocs.render.website.render import code, md, yaml_scalar

segment = st.sampled_from(["nodes", "runbooks", "assets", "a", "b"])
page = st.builds(lambda parts, name: "/".join([*parts, name]), st.lists(segment, max_size=3),
                 st.sampled_from(["index.md", "x.md", "y.svg"]))


@given(page, page)
def test_link_matches_posix_relpath(from_page, to_page):
    assert link(from_page, to_page) == posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")


def test_link_with_anchor():
    assert link("nodes/a.md", "rules.md", "trd301") == "../rules.md#trd301"


def test_slugs_are_safe_and_unique():
    assert slug("Full 01 / Bucharest") == "full-01-bucharest" and slug("***") == "node"
    assert unique_slugs(["full-01", "Full 01", "index"]) == {"full-01": "full-01", "Full 01": "full-01-2",
                                                              "index": "index-2"}


def test_md_escapes_html_and_markdown_and_keeps_one_line():
    value = md("a|b *c* _d_ [e](f) <script>x</script>\nnext")
    assert isinstance(value, Markup)
    assert str(value) == r"a\|b \*c\* \_d\_ \[e\](f) &lt;script&gt;x&lt;/script&gt; next"


def test_code_is_verbatim_on_one_line_without_backticks():
    assert str(code("curl -s 'http://x/?a=1&b=2'\n`rm`")) == "curl -s 'http://x/?a=1&b=2' 'rm'"


def test_yaml_scalars_are_quoted():
    assert yaml_scalar('Acme: "DR" #1') == '"Acme: \\"DR\\" #1"'
    assert yaml_scalar([{"Plan": "plan.md"}]) == '[{"Plan": "plan.md"}]'
