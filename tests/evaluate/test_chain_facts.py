"""Attribution and chains decide once per distinct key what the definitions decide per point.

The reference below is the definition, point by point: each point attributed on its own (a
state holding only it), its chain found by its usability, place and provenance, the node's
points in (created, source, id) order, a chain's in (created, id) order from the node's, its
basis the weakest of the points it holds, its timeline the distinct instants of its points. On
drawn points — duplicate instants and ids, future points, failed ones, several jobs, places and
sources — the memoised evaluation must give the same points, in the same order, in the same chains.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.estate import AS_OF, synthetic_estate
from trondocs.evaluate.attribution import attribute
from trondocs.evaluate.evidence.chains import build_chains, place_point
from trondocs.evaluate.evidence.placement import SiteIndex
from trondocs.evaluate.evidence.rpo import timeline, union
from trondocs.evaluate.evidence.usable import usable
from trondocs.evaluate.models import MatchBasis
from trondocs.plan.models import Medium
from trondocs.state.models import RestorePoint, RestorePointKind

LOADED, STATE = synthetic_estate(4, points_per_node=4, group=100)
PLAN = LOADED.plan
SITES = SiteIndex(PLAN)
VM = "vm-00002"  # node-00002's VM; vm-00003 is node-00003's, "vm-x" nobody's

CHOICES = dict(  # every combination the decisions look at, with ties and duplicates
    source=["veeam", "veeam-2"],
    id=["p1", "p2", "p3", "p4"],
    kind=[RestorePointKind.REPLICA, RestorePointKind.BACKUP, RestorePointKind.COPY],
    asset_name=[VM, VM.upper(), "vm-00003", "vm-x"],
    asset_id=[None, None, "uuid-2", "uuid-3"],
    created=[AS_OF - dt.timedelta(hours=h) for h in range(-3, 41)],  # some after as_of
    repository=[None, "repo", "dr", "vault", "elsewhere"],
    datacenter=[None, "prod"],
    medium=[None, Medium.DISK, Medium.OBJECT],
    immutable=[None, True, False],
    job=[None, "Replicate 0", "backup 0", "Other job"],
    status=["ok", "ok", "Success", "failed", "creating"],
)
points = st.builds(RestorePoint, **{name: st.sampled_from(values) for name, values in CHOICES.items()})


def _how_many(rng: random.Random, name: str) -> int:
    return rng.choice([1, 2, 2, 3]) * (4 if name == "created" else 1)


def _seeded(seed: int, count: int = 40) -> list[RestorePoint]:
    """A fixed, varied draw (the repeatable hypothesis profile draws small, alike lists): each
    field from a few of its values, so that points share all but one or two of them."""
    rng = random.Random(seed)
    few = {name: rng.sample(values, min(len(values), _how_many(rng, name)))
           for name, values in CHOICES.items()}
    return [RestorePoint(**{name: rng.choice(values) for name, values in few.items()}) for _ in range(count)]


def _per_point(point: RestorePoint):
    """Whose the point is and its provenance, attributed alone (no other point can sway it)."""
    found = attribute(PLAN, STATE.model_copy(update={"restore_points": [point]}))
    for owner in found.nodes.values():
        if owner.points:
            return owner.node.name, owner.provenance(point)
    return None, None


def _reference(node: str, drawn: list[RestorePoint]):
    owned = [(p, made) for p in drawn for name, made in [_per_point(p)] if name == node]
    owned.sort(key=lambda o: (o[0].created, o[0].source, o[0].id))  # stable: the state's order
    groups: dict = {}
    for point, made in owned:
        if not usable(point, AS_OF):
            continue
        place = place_point(point, SITES, [])
        group = groups.setdefault((made.label, point.kind, place.label), (made.protection, place, [], set()))
        group[2].append(point)
        group[3].add(made.basis)
    chains = []
    for (label, kind, _), (protection, place, found, bases) in sorted(groups.items()):
        found.sort(key=lambda p: (p.created, p.id))
        basis = MatchBasis.NAME if MatchBasis.NAME in bases else sorted(bases)[0]
        chains.append((label, protection, kind, place, [id(p) for p in found], basis,
                       timeline((p.created for p in found), AS_OF)))
    return [id(p) for p, _ in owned], chains


def _check(drawn: list[RestorePoint]) -> None:
    owner = attribute(PLAN, STATE.model_copy(update={"restore_points": drawn})).nodes["node-00002"]
    chains = build_chains(owner.points, owner.provenance, SITES, owner.replicas, AS_OF)
    want_points, want_chains = _reference("node-00002", drawn)
    assert [id(p) for p in owner.points] == want_points
    assert [(c.label, c.protection, c.kind, c.place, [id(p) for p in c.points], c.basis, c.times)
            for c in chains] == want_chains
    every = timeline((p.created for c in chains for p in c.points), AS_OF)
    assert union(c.times for c in chains) == every
    assert all(t.tzinfo is dt.UTC for c in chains for t in c.times)


@pytest.mark.parametrize("seed", range(60))
def test_chains_decided_per_key_are_the_per_point_definition(seed):
    _check(_seeded(seed))


@settings(max_examples=100, deadline=None)
@given(st.lists(points, max_size=40))
def test_the_same_on_drawn_points(drawn):
    _check(drawn)


def test_a_chain_takes_the_basis_of_the_points_it_holds():
    """A point by name that is not usable yet gives its chain no basis: only those it holds do."""
    shared = dict(source="veeam", kind=RestorePointKind.BACKUP, asset_name=VM, repository="repo",
                  job="Backup 0")
    by_id = RestorePoint(id="p1", asset_id="uuid-2", created=AS_OF - dt.timedelta(hours=2), **shared)
    by_name_later = RestorePoint(id="p2", created=AS_OF + dt.timedelta(hours=1), **shared)
    _check([by_id, by_name_later])
    state = STATE.model_copy(update={"restore_points": [by_id, by_name_later]})
    owner = attribute(PLAN, state).nodes["node-00002"]
    [chain] = build_chains(owner.points, owner.provenance, SITES, owner.replicas, AS_OF)
    assert chain.basis is MatchBasis.ID and chain.points == [by_id]
