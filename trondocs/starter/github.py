"""GitHub Actions workflows for an SR's repository: nightly publishing and PR drift checks."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from trondocs import __version__
from trondocs.resources import templates_dir

WORKFLOWS = ("trondocs-nightly.yml", "trondocs-pr.yml")


def render_workflows(*, inventory: str = "inventory", install: str | None = None,
                     collect_runner: str = "[self-hosted, trondocs]",
                     fallback_state: str | None = None) -> dict[str, str]:
    """Workflow file name → text. GitHub's own ``${{ }}`` stays untouched: we use [[ ]]."""
    env = Environment(
        loader=FileSystemLoader(templates_dir() / "init" / "github"),
        variable_start_string="[[", variable_end_string="]]",
        block_start_string="[%", block_end_string="%]",
        undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False,
    )
    values = {
        "inventory": inventory.strip("/") or ".",
        "install": install or f'"trondocs=={__version__}"',
        "collect_runner": collect_runner,
        "fallback_state": fallback_state,
    }
    return {name: env.get_template(name).render(**values) for name in WORKFLOWS}


def write_workflows(repository: Path, **options: str | None) -> list[Path]:
    from trondocs.fsutil import write_atomic

    target = Path(repository) / ".github" / "workflows"
    written = []
    for name, text in render_workflows(**options).items():
        write_atomic(target / name, text)
        written.append(target / name)
    return written


if __name__ == "__main__":  # regenerate this repository's own workflows (its demo)
    write_workflows(Path(__file__).resolve().parents[2], install=".", collect_runner="ubuntu-latest",
                    fallback_state="examples/capture.state.json")
