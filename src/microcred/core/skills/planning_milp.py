"""The exact planner: a 0-1 program solved by ``scipy.optimize.milp`` (HiGHS).

Variables: ``x_j`` per offering that can matter (one that meets a leaf or feeds a credit
pool of the goal, plus their prerequisite closures; the rest of a 5,000-offering catalog
never enters the model), and ``z_v`` per node of the compiled goal (1: the node is met).
Every constraint has the form ``a . v <= 0``:

- ``AllOf``: ``z_v <= z_c`` for each child; ``AtLeastOf k``: ``k z_v <= sum z_c``;
- leaf: ``z_v <= sum x_j`` over the offerings meeting it;
- credit pool: ``need z_v <= sum ects_j x_j``;
- prerequisite: ``x_j <= x_p``;

and the root's ``z`` is fixed to 1. ``z`` must be binary: with fractional nodes an
``AtLeastOf`` could add up two half-met credit pools.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

from microcred.core.skills.planning_model import Node, Problem, closure, walk

#: HiGHS status codes (scipy.optimize.milp): 0 optimal, 1 iteration or time limit
_OPTIMAL, _LIMIT = 0, 1


@dataclass
class _Rows:
    rows: list[int] = field(default_factory=list)
    cols: list[int] = field(default_factory=list)
    vals: list[float] = field(default_factory=list)
    count: int = 0

    def add(self, terms: list[tuple[int, float]]) -> None:
        for col, val in terms:
            self.rows.append(self.count)
            self.cols.append(col)
            self.vals.append(val)
        self.count += 1


def model_offerings(problem: Problem, root: Node) -> list[int]:
    """The offerings that can matter to ``root``, with their prerequisites, sorted."""
    useful: set[int] = set()
    for node in walk(root):
        useful.update(node.meeters)
        useful.update(node.weights)
    out: set[int] = set()
    for i in useful:
        if i not in out:
            out |= closure(problem, i)
    return sorted(out)


def _node_rows(root: Node, col: dict[int, int], first_z: int, rows: _Rows) -> None:
    nodes = list(walk(root))
    z = {id(n): first_z + pos for pos, n in enumerate(nodes)}
    for node in nodes:
        me = z[id(node)]
        if node.kind == "all":
            for child in node.children:
                rows.add([(me, 1.0), (z[id(child)], -1.0)])
        elif node.kind == "atleast":
            rows.add([(me, float(node.k)), *((z[id(c)], -1.0) for c in node.children)])
        elif node.kind == "leaf":
            rows.add([(me, 1.0), *((col[i], -1.0) for i in sorted(node.meeters))])
        else:
            terms = [(col[i], -w) for i, w in sorted(node.weights.items())]
            rows.add([(me, node.need), *terms])


def solve_exact(problem: Problem, root: Node, time_limit: float) -> tuple[set[int] | None, bool]:
    """(chosen offerings, proven optimal); None when no solution came within the limit."""
    offerings = model_offerings(problem, root)
    col = {i: n for n, i in enumerate(offerings)}
    nodes = sum(1 for _ in walk(root))
    size = len(offerings) + nodes
    rows = _Rows()
    for i in offerings:
        for p in problem.prereqs[i]:
            rows.add([(col[i], 1.0), (col[p], -1.0)])
    _node_rows(root, col, len(offerings), rows)
    matrix = coo_array((rows.vals, (rows.rows, rows.cols)), shape=(rows.count, size)).tocsr()
    cost = np.zeros(size)
    cost[: len(offerings)] = [problem.cost[i] for i in offerings]
    lower = np.zeros(size)
    lower[len(offerings)] = 1.0  # the root node (first z) must be met
    result = milp(
        cost,
        integrality=np.ones(size),
        bounds=Bounds(lower, np.ones(size)),
        constraints=LinearConstraint(matrix, -np.inf, 0.0),
        options={"time_limit": time_limit, "mip_rel_gap": 0.0},
    )
    if result.status not in (_OPTIMAL, _LIMIT) or result.x is None:
        return None, False
    chosen = {
        i for i, value in zip(offerings, result.x[: len(offerings)], strict=True) if value > 0.5
    }
    return chosen, result.status == _OPTIMAL
