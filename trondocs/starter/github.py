"""GitHub Actions workflows for an SR's repository: nightly publishing and PR drift checks."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from trondocs import __version__
from trondocs.resources import templates_dir

WORKFLOWS = ("trondocs-nightly.yml", "trondocs-pr.yml")
# The repository whose action.yml the generated workflows use, pinned to this release's tag.
ACTION_REPOSITORY = "trondocs/trondocs"


def release_tag() -> str:
    """The git tag of this release: ``v`` + the version (which lives in trondocs/__init__.py only)."""
    return f"v{__version__}"


def default_action() -> str:
    return f"{ACTION_REPOSITORY}@{release_tag()}"


def render_workflows(*, inventory: str = "inventory", action: str | None = None,
                     install_from: str | None = None, collect_runner: str = "[self-hosted, trondocs]",
                     fallback_state: str | None = None) -> dict[str, str]:
    """Workflow file name → text. GitHub's own ``${{ }}`` stays untouched: we use [[ ]].

    trondocs is installed by this repository's action (``action``: ``OWNER/REPO@TAG``, or ``./``
    for a repository that holds trondocs itself), never from a package index; ``install_from``
    (a pip requirement such as ``git+https://…@v0.1.0``) makes the action install that instead.
    """
    env = Environment(
        loader=FileSystemLoader(templates_dir() / "init" / "github"),
        variable_start_string="[[", variable_end_string="]]",
        block_start_string="[%", block_end_string="%]",
        undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False,
    )
    values = {
        "inventory": inventory.strip("/") or ".",
        "action": action or default_action(),
        "install_from": install_from,
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
    write_workflows(Path(__file__).resolve().parents[2], action="./", collect_runner="ubuntu-latest",
                    fallback_state="examples/capture.state.json")
