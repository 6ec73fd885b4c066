"""`bench termination`'s memory paragraph: each answer served from memory set against its own analysis in
the first run, unknowns and answers analysed again left out."""

from __future__ import annotations

from solomonic.bench.termination import served_against_analysed, served_paragraph


def task(name: str, verdict: str, seconds: float, from_memory: bool = False) -> dict:
    return {"task": f"sv/{name}.yml", "verdict": verdict, "analysis_seconds": seconds, "from_memory": from_memory}


def test_each_served_answer_is_set_against_its_own_analysis():
    first = [task("fast", "true", 2.0), task("recursive", "true", 6.0), task("loops", "true", 4.0),
             task("lasso", "false", 3.0), task("undecided", "unknown", 60.0)]
    again = {t["task"]: t for t in [task("fast", "true", 0.02, True), task("recursive", "true", 1.5, True),
                                    task("loops", "true", 0.1, True), task("lasso", "false", 3.1),
                                    task("undecided", "unknown", 0.01, True)]}
    found = served_against_analysed(first, again)
    assert found["tasks"] == 3  # the no analysed again and the unknown served are no re-checks
    assert found["median analysis s"] == 4.0 and found["median served s"] == 0.1
    assert found["median ratio"] == 40.0  # of 100, 4 and 40
    assert found["closest task"] == "recursive" and found["closest ratio"] == 4.0
    (paragraph, _) = served_paragraph(found)
    assert "median 100 ms served against 4.00 s analysed, the analysis 40× as long" in paragraph
    assert "recursive: 1500 ms against 6.00 s (4.0×)" in paragraph


def test_nothing_served_says_nothing():
    assert served_against_analysed([task("lasso", "false", 3.0)], {"sv/lasso.yml": task("lasso", "false", 3.0)}) == {}
    assert served_paragraph({}) == []
