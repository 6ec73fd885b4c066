"""bench proposer's effect: unknowns before and after, what each run alone decided, and a contradiction."""

from solomonic.bench.proposer import effect


def task(name: str, verdict: str, seconds: float, used: int = 0, asking: float = 0.0) -> dict:
    return {"task": f"suite/{name}.yml", "property": "termination", "verdict": verdict, "seconds": seconds, "proposals_used": used,
            "proposing_seconds": asking}


def test_effect_counts_the_unknowns_each_run_left_and_what_only_one_decided():
    without = [task("a", "unknown", 10.0), task("b", "unknown", 10.0), task("c", "true", 1.0),
               task("d", "true", 2.0), task("e", "false", 1.0)]
    with_ = [task("a", "true", 4.0, used=2), task("b", "unknown", 12.0), task("c", "unknown", 3.0),
             task("d", "true", 1.0, used=1, asking=1.0), task("e", "true", 1.0), task("f", "true", 5.0)]
    without.append(task("f", "unknown", 10.0))
    e = effect(without, with_)
    assert (e["unknown without"], e["unknown with"], e["relative cut %"]) == (3, 2, 33.3)
    # f was decided without any proposal: the engines beat their timeout this time, not the proposer's doing
    assert e["decided only with, by a proposal"] == ["a (termination)"] and e["relative cut by proposals %"] == 33.3
    assert e["decided only with"] == ["a (termination)", "f (termination)"]
    assert e["decided only without"] == ["c (termination)"]
    assert e["decided differently"] == ["e (termination)"] and e["tasks with proposals used"] == 2
    # with the proposer, d took its 1 s run and 1 s of asking
    assert e["median s without"] == 6.0 and e["median s with"] == 3.5 and e["median ratio with / without"] == 1.0


def test_the_same_task_under_two_properties_counts_twice():
    both = [task("a", "unknown", 10.0), {**task("a", "true", 1.0), "property": "unreach-call"}]
    gained = [{**both[0], "verdict": "true", "proposals_used": 1}, both[1]]
    e = effect(both, gained)
    assert (e["unknown without"], e["unknown with"]) == (1, 0)
    assert e["decided only with, by a proposal"] == ["a (termination)"] and e["decided differently"] == []
