"""Python statements around the loops, as people write them: `try`/`finally` (and `return` through it),
`with`, generator expressions that `any` and `sum` consume, `reversed(range(...))` and loops over tuple
displays. About half hold a bug that makes some input run forever: a `finally` clause that undoes the
progress, an error a context manager suppresses so the loop runs again, a step that skips its target, a
cleanup that loops after the early return.
"""

import contextlib


# terminates: yes
def drain_with_cleanup(n):
    steps = 0
    try:
        while n > 0:
            n -= 1
            steps += 1
    finally:
        n = 0
    return steps


# The finally clause undoes the progress: once n is 0 the counter only goes down
# terminates: no  witness: n=0
def retry_with_finally(n):
    k = 0
    while k < 3:
        try:
            n = 10 // n
        except ZeroDivisionError:
            n = 0
        finally:
            k = k - 1 if n == 0 else k + 1
    return k


# The cleanup after the early return loops when n is positive
# terminates: no  witness: n=1
def cleanup_spins(n):
    try:
        return n
    finally:
        while n > 0:
            n += 1


# terminates: yes
def countdown_guarded(n):
    with contextlib.suppress(ZeroDivisionError):
        while n > 0:
            n -= 1
    return n


# The division by zero is suppressed before done is set: the loop starts again for ever
# terminates: no  witness: n=0
def poll(n):
    done = False
    while not done:
        with contextlib.suppress(ZeroDivisionError):
            n = 100 // n
            done = True
    return n


# terminates: yes
def has_square_below(n):
    return any(i * i == n for i in range(n))


# terminates: yes
def sum_of_odd_squares(n):
    total = sum(i * i for i in range(n) if i % 2)
    while total > 0:
        total -= 1
    return total


# terminates: yes
def sift_down_count(n):
    count = 0
    for i in reversed(range(n // 2)):
        j = i
        while j < n:
            j = 2 * j + 1
            count += 1
    return count


# Walking down the odd numbers by twos: none of them is 0
# terminates: no  witness: n=3
def reverse_walk_misses(n):
    for i in reversed(range(1, n, 2)):
        k = i
        while k != 0:
            k -= 2
    return n


# terminates: yes
def neighbours_sum(n):
    total = 0
    for d in (-1, 1):
        k = n + d
        while k > 0:
            k -= 1
            total += 1
    return total


# One of the steps is 0: that pass never reaches 100
# terminates: no  witness: n=99
def step_through(n):
    for d in (1, 0, 2):
        k = n
        while k != 100:
            k += d
    return n
