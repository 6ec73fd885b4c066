"""From a function's control-flow graph to a cutpoint transition system (large-block encoding).

Cutpoints are the entry, every loop head, BAD standing for the property's failure sinks, and POISON
for undefined behaviour that is not itself the property (C: past it, nothing can be decided). Between two cutpoints the graph is acyclic; each such region is summarised by symbolic
execution with merging into `Block`s: a guard and the new values of the variables live at the target,
over the source's variables and the nondeterministic values read on the way. Spacer gets one Horn
clause per block, bounded model checking unrolls blocks, and certificates are checked block by block.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from solomonic.reason.ir import (
    FALSE,
    TRUE,
    Assign,
    Assume,
    Cfg,
    Edge,
    Expr,
    Function,
    Havoc,
    Var,
    conj,
    disj,
    free_vars,
    ite,
    substitute,
)

BAD = -1
POISON = -2


@dataclass
class Block:
    src: int
    dst: int  # a cutpoint or BAD
    guard: Expr  # over the source's variables and `nondets`
    update: dict[Var, Expr]  # value of each variable live at dst
    nondets: list[Var]


@dataclass
class TransitionSystem:
    function: Function
    bad_sinks: set[int]
    poison_sinks: set[int]
    cutpoints: list[int]  # the entry first
    params: dict[int, list[Var]]  # the variables live at each cutpoint, in a fixed order
    blocks: list[Block]
    nondet_edges: dict[Var, int] = field(default_factory=dict)  # nondet variable -> index of its havoc edge

    @property
    def entry(self) -> int:
        return self.cutpoints[0]

    @property
    def loop_heads(self) -> list[int]:
        return self.cutpoints[1:]


def build_system(function: Function, bad_kinds: set[str], poison_kinds: set[str] = frozenset(),
                 observe: Mapping[int, set[Var]] | None = None) -> TransitionSystem:
    """The transition system in which sinks of `bad_kinds` lead to BAD and those of `poison_kinds` to POISON.
    `observe` adds cutpoints where the given variables are kept (a procedure's return, to state its summary)."""
    assert not function.procedures, "a function with procedures is analysed through its unfolding"
    observe = observe or {}
    cfg = function.cfg
    bad_sinks = {loc for loc, ev in cfg.events.items() if ev.kind in bad_kinds}
    poison_sinks = {loc for loc, ev in cfg.events.items() if ev.kind in poison_kinds}
    succ = cfg.successors()
    heads = loop_heads(cfg, succ) | set(observe)
    cutpoints = [cfg.entry, *sorted(heads - {cfg.entry})]
    live = _liveness(cfg, succ, bad_sinks | poison_sinks, observe)
    order = {v: i for i, v in enumerate(sorted(function.variables, key=lambda v: v.name))}
    params = {c: sorted(live[c], key=order.__getitem__) for c in cutpoints}
    nondet_edges: dict[Var, int] = {}
    edge_index = {id(e): i for i, e in enumerate(cfg.edges)}
    blocks: list[Block] = []
    targets = {**{loc: BAD for loc in bad_sinks}, **{loc: POISON for loc in poison_sinks}}
    for c in cutpoints:
        blocks.extend(_summarise(c, set(cutpoints), targets, succ, params, edge_index, nondet_edges))
    return TransitionSystem(function, bad_sinks, poison_sinks, cutpoints, params, blocks, nondet_edges)


def loop_heads(cfg: Cfg, succ: dict[int, list[Edge]]) -> set[int]:
    """Targets of back edges of an iterative depth-first search from the entry: the cutpoints besides it."""
    heads: set[int] = set()
    state: dict[int, int] = {cfg.entry: 1}  # 1 = on the stack, 2 = done
    stack = [(cfg.entry, iter(succ[cfg.entry]))]
    while stack:
        loc, it = stack[-1]
        edge = next(it, None)
        if edge is None:
            state[loc] = 2
            stack.pop()
            continue
        s = state.get(edge.dst, 0)
        if s == 1:
            heads.add(edge.dst)
        elif s == 0:
            state[edge.dst] = 1
            stack.append((edge.dst, iter(succ[edge.dst])))
    return heads


def _uses_defs(e: Edge) -> tuple[set[Var], set[Var]]:
    s = e.stmt
    if isinstance(s, Assume):
        return free_vars(s.cond), set()
    if isinstance(s, Assign):
        return free_vars(s.value), {s.target}
    if isinstance(s, Havoc):
        return set(), {s.target}
    return set(), set()


def _liveness(cfg: Cfg, succ: dict[int, list[Edge]], bad: set[int],
              observe: Mapping[int, set[Var]]) -> dict[int, set[Var]]:
    preds: dict[int, list[Edge]] = {loc: [] for loc in succ}
    for e in cfg.edges:
        preds[e.dst].append(e)
    facts = {e_id: _uses_defs(e) for e_id, e in enumerate(cfg.edges)}
    index = {id(e): i for i, e in enumerate(cfg.edges)}
    live: dict[int, set[Var]] = {loc: set() for loc in succ}
    work = list(succ)
    while work:
        loc = work.pop()
        new: set[Var] = set(observe.get(loc, ()))
        for e in succ[loc]:
            if not succ[e.dst] and e.dst not in bad:
                continue  # a sink that is not a failure: nothing after it matters
            uses, defs = facts[index[id(e)]]
            new |= uses | (live[e.dst] - defs)
        if new != live[loc]:
            live[loc] = new
            work.extend(e.src for e in preds[loc])
    return live


def _summarise(src, cutpoints, targets, succ, params, edge_index, nondet_edges) -> list[Block]:
    """Symbolic execution with merging over the acyclic region from cutpoint `src`; `targets` maps the
    failure sinks to BAD or POISON."""
    region = _region(src, cutpoints, targets, succ)
    identity = {v: v for v in params[src]}
    states: dict[int, list[tuple[Expr, dict[Var, Expr]]]] = {src: [(TRUE, identity)]}
    arrived: dict[int, list[tuple[Expr, dict[Var, Expr]]]] = {}
    region_nondets: list[Var] = []
    for loc in region:
        incoming = states.pop(loc, [])
        if not incoming:
            continue
        pc, store = _merge(incoming)
        if pc == FALSE:
            continue
        for e in succ[loc]:
            new_pc, new_store = pc, store
            s = e.stmt
            if isinstance(s, Assume):
                new_pc = conj(pc, substitute(s.cond, store))
            elif isinstance(s, Assign):
                new_store = {**store, s.target: substitute(s.value, store)}
            elif isinstance(s, Havoc):
                nd = Var(f"nd!{edge_index[id(e)]}", s.target.type)
                nondet_edges[nd] = edge_index[id(e)]
                region_nondets.append(nd)
                new_store = {**store, s.target: nd}
            if new_pc == FALSE:
                continue
            dst = e.dst
            if dst in targets:
                arrived.setdefault(targets[dst], []).append((new_pc, {}))
            elif dst in cutpoints:
                arrived.setdefault(dst, []).append((new_pc, new_store))
            elif succ[dst]:
                states.setdefault(dst, []).append((new_pc, new_store))
    blocks = []
    for dst, arrivals in sorted(arrived.items()):
        pc, store = _merge(arrivals)
        wanted = params.get(dst, [])
        update = {v: store.get(v, v) for v in wanted}
        used = free_vars(pc)
        for value in update.values():
            free_vars(value, used)
        blocks.append(Block(src, dst, pc, update, [nd for nd in region_nondets if nd in used]))
    return blocks


def _region(src, cutpoints, targets, succ) -> list[int]:
    """Locations reachable from src without passing another cutpoint, in topological order."""
    order: list[int] = []
    seen = {src}
    stack = [(src, iter(succ[src]))]
    while stack:
        loc, it = stack[-1]
        edge = next(it, None)
        if edge is None:
            order.append(loc)
            stack.pop()
            continue
        d = edge.dst
        if d in seen or d in cutpoints or d in targets:
            continue
        seen.add(d)
        stack.append((d, iter(succ[d])))
    order.reverse()
    return order


def _merge(arrivals: list[tuple[Expr, dict[Var, Expr]]]) -> tuple[Expr, dict[Var, Expr]]:
    if len(arrivals) == 1:
        return arrivals[0]
    pc = disj(*[p for p, _ in arrivals])
    keys = set().union(*[s.keys() for _, s in arrivals])
    store: dict[Var, Expr] = {}
    for v in keys:
        values = [s.get(v, v) for _, s in arrivals]
        merged = values[-1]
        for (p, _), value in zip(reversed(arrivals[:-1]), reversed(values[:-1])):
            merged = ite(p, value, merged)
        store[v] = merged
    return pc, store
