"""drift: plan + state (+ baseline) → Assessment → the requested outputs, and the exit code.

Everything is rendered first and written after, each file atomically: a failure leaves the
previous outputs as they were.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

from trondocs import __version__
from trondocs.diagnostics import Diagnostic, Level, did_you_mean
from trondocs.evaluate.models import Assessment, Severity
from trondocs.evaluate.selection import Selection
from trondocs.fsutil import write_all_atomic
from trondocs.plan.loaded import LoadedPlan
from trondocs.render.drift import FORMATS, RenderOptions, render_pieces
from trondocs.state.models import State
from trondocs.workflow.history import resolve_baseline
from trondocs.workflow.inputs import known_rule_ids, load_inventory, load_saved
from trondocs.workflow.outcome import ExitCode, UsageError, exit_code

NEVER = "never"  # --fail-on never: findings never fail the command
FAIL_ON_CHOICES = [*(s.value for s in Severity), NEVER]
STDOUT = "-"


@dataclass(frozen=True)
class OutputSpec:
    format: str
    path: Path | None  # None: standard output


@dataclass(frozen=True)
class DriftRequest:
    inventory: Path
    state: Path | None = None  # None: collect live from the configured sources
    as_of: dt.datetime | None = None  # None: when the state was collected
    baseline: Path | None = None
    history: Path | None = Path("evidence")  # where the default baseline is looked up; None: no baseline
    outputs: list[OutputSpec] = field(default_factory=lambda: [OutputSpec("text", None)])
    fail_on: Severity | None = Severity.HIGH  # None: never fail on findings
    color: bool = False
    repo_root: Path | None = None
    selection: Selection = field(default_factory=Selection)  # --rule/--skip-rule/--severity/--node
    compliance: str | None = None  # a framework key: list its controls evidenced on standard output


@dataclass
class DriftResult:
    assessment: Assessment
    exit_code: ExitCode
    stdout: str  # what the formats without a file print
    written: list[tuple[str, Path]]
    baseline_from: str | None  # which baseline was used, for the operator
    warnings: list[Diagnostic] = field(default_factory=list)  # the plan's warnings


def parse_fail_on(text: str) -> Severity | None:
    return None if text == NEVER else Severity(text)


def check_rule_ids(ids: list[str]) -> None:
    """``--rule``/``--skip-rule``: each must name a rule of the catalogue (any case)."""
    known = known_rule_ids()
    for rule_id in ids:
        if rule_id.upper() not in known:
            hint = did_you_mean(rule_id.upper(), sorted(known)) or "see: trondocs rules"
            raise UsageError(f"unknown rule {rule_id!r}; {hint}")


def parse_outputs(specs: tuple[str, ...], output: Path | None) -> list[OutputSpec]:
    """``--format sarif=drift.sarif`` gives a format its own file; ``--output`` serves one without."""
    parsed: list[OutputSpec] = []
    bare: list[int] = []  # formats given without '=FILE'
    for spec in specs or ("text",):
        name, equals, path = (part.strip() for part in spec.partition("="))
        name = name.lower()
        if name not in FORMATS:
            hint = did_you_mean(name, FORMATS) or "choose from " + ", ".join(FORMATS)
            raise UsageError(f"--format {spec!r}: unknown format; {hint}")
        if equals and not path:
            raise UsageError(f"--format {spec!r}: give a file after '=' (or '-' for standard output)")
        if not equals:
            bare.append(len(parsed))
        parsed.append(OutputSpec(name, None if not path or path == STDOUT else Path(path)))
    if output is not None:
        if len(bare) != 1:
            raise UsageError("--output serves exactly one --format without its own file; "
                                  "give the others their own: --format json=drift.json")
        parsed[bare[0]] = OutputSpec(parsed[bare[0]].format, None if str(output) == STDOUT else output)
    if sum(o.path is None for o in parsed) > 1:
        raise UsageError("only one format can go to standard output; give the others a file: "
                              "--format sarif=drift.sarif")
    paths = [o.path.resolve() for o in parsed if o.path is not None]
    if len(paths) != len(set(paths)):
        raise UsageError("two formats would write the same file; give each its own")
    return parsed


def repository_root(inventory: Path) -> Path:
    """The nearest folder above the inventory holding .git (code scanning paths start there), else cwd."""
    start = Path(inventory).resolve()
    for folder in [start, *start.parents]:
        if (folder / ".git").exists():
            return folder
    return Path.cwd()


def _as_of_warnings(state: State, as_of: dt.datetime) -> list[Diagnostic]:
    if as_of >= state.collection.started:
        return []
    return [Diagnostic(
        level=Level.WARNING, code="as-of-before-collection",
        message=f"--as-of {as_of:%Y-%m-%dT%H:%M}Z is before the state was collected "
                f"({state.collection.started:%Y-%m-%dT%H:%M}Z): what was found after it is ignored",
        hint="leave --as-of out to judge the state when it was collected")]


def _inputs(request: DriftRequest) -> tuple[LoadedPlan, State, dt.datetime]:
    if request.state is not None:
        return load_saved(request.inventory, request.state, request.as_of)
    from trondocs.workflow.collect import run_collect

    today = (request.as_of or dt.datetime.now(dt.UTC)).date()
    loaded = load_inventory(request.inventory, today=today)
    state = run_collect(loaded, request.inventory).state
    return loaded, state, request.as_of or state.collection.finished


def run(request: DriftRequest) -> DriftResult:
    """``trondocs drift``: judge the state (saved, or collected now), render every requested
    format, write the files, and end by ``--fail-on``."""
    on_stdout = next((o.format for o in request.outputs if o.path is None), None)
    if request.compliance and on_stdout not in (None, "text", "markdown"):
        raise UsageError(f"--compliance adds a table to standard output, where {on_stdout} goes; "
                              f"give it a file: --format {on_stdout}=FILE")
    loaded, state, as_of = _inputs(request)
    unknown_nodes = sorted(request.selection.nodes - {n.name for n in loaded.plan.nodes})
    if unknown_nodes:
        hint = did_you_mean(unknown_nodes[0], [n.name for n in loaded.plan.nodes]) or "see the plan's nodes"
        raise UsageError(f"--node {unknown_nodes[0]!r}: no such node in the plan; {hint}")
    baseline, baseline_from = resolve_baseline(request.baseline, request.history, state)
    from trondocs.evaluate import evaluate  # after the inputs: their errors come first
    from trondocs.evaluate.selection import select

    assessment = select(evaluate(loaded, state, as_of=as_of, baseline=baseline), request.selection)
    options = RenderOptions(root=request.repo_root or repository_root(request.inventory),
                            fallback_location=loaded.locate("organization"), tool_version=__version__)
    on_screen = [FORMATS[spec.format].render(assessment, replace(options, color=request.color))
                 for spec in request.outputs if spec.path is None]
    # Files are written as they are rendered (a 5,000-node JSON is 140 MB), and put in place
    # together: a failure in any of them replaces none.
    to_files = [spec for spec in request.outputs if spec.path is not None]
    write_all_atomic((spec.path, render_pieces(spec.format, assessment, options)) for spec in to_files)
    written = [(spec.format, spec.path) for spec in to_files]
    stdout = "".join(on_screen)
    if request.compliance:
        from trondocs.compliance import controls_for_assessment
        from trondocs.render.drift.compliance import render_markdown, render_text

        render_controls = render_markdown if on_stdout == "markdown" else render_text
        stdout += ("\n" if stdout else "") + render_controls(
            request.compliance, controls_for_assessment(assessment, request.compliance))
    return DriftResult(assessment=assessment, exit_code=exit_code(assessment, request.fail_on), stdout=stdout,
                       written=written, baseline_from=baseline_from,
                       warnings=[*loaded.warnings, *_as_of_warnings(state, as_of)])
