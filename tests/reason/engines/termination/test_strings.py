"""Loops over C strings: a pointer runs to the terminating null of a buffer of any length."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("z3")
pytest.importorskip("pycparser")

from solomonic.reason import check
from solomonic.reason.result import Verdict

# Nested: for each letter of a, a walk along b. Each head has some fifteen variables (offsets, sizes,
# liveness and null flags) and each step's cube a hundred rows, so the linear programs of the ranking
# are large: the first one found is kept where the smallest coefficients are not found soon.
FIRST_SHARED = """
    #include <stdlib.h>
    extern int __VERIFIER_nondet_int(void);

    char *some_string(void) {
        int n = __VERIFIER_nondet_int();
        if (n < 1) n = 1;
        char *s = malloc(n);
        s[n - 1] = '\\0';
        return s;
    }

    /* the first letter of a that b has too, or the end of a */
    const char *first_shared(const char *a, const char *b) {
        const char *p;
        for (p = a; *p != '\\0'; p++) {
            const char *q = b;
            while (*q != '\\0' && *q != *p)
                q++;
            if (*q != '\\0')
                break;
        }
        return p;
    }

    int main() {
        return *first_shared(some_string(), some_string());
    }
    """


def test_a_walk_along_one_string_for_each_letter_of_another_ends(tmp_path: Path):
    path = tmp_path / "program.c"
    path.write_text(FIRST_SHARED)
    [r] = check(str(path), function="main", property="terminates", timeout=30)
    assert r.verdict == Verdict.YES, r.reason
    [loop] = r.certificate["loops"]
    assert "p$offset" in loop["ranking_text"][0] and "q$offset" in loop["ranking_text"][0]


def test_without_its_terminating_null_the_walk_is_not_vouched_for(tmp_path: Path):
    path = tmp_path / "program.c"
    without = FIRST_SHARED.replace("s[n - 1] = '\\0';", "")
    assert without != FIRST_SHARED
    path.write_text(without)
    [r] = check(str(path), function="main", property="terminates", timeout=12)
    assert r.verdict != Verdict.YES, r.certificate
