"""Lists as people use them in small functions: tables filled in a loop, stacks and work queues, sieves,
sorting in place, searching, `list(range(...))` (comprehensions are left out: the corpus's own label
test, tests/bench/test_python_corpus.py, cannot yet read them).

About half hold the bugs lists invite: appending to the list a `for` loop walks, a work queue whose
items never reach the value that stops them, an index the loop forgets to advance, a binary search
whose `lo = mid` can stand still, a loop that pops only some of the items it waits on.
"""


# terminates: yes
def fib_table(n):
    fib = [0, 1]
    for _ in range(2, n):
        fib.append(fib[-1] + fib[-2])
    return fib[n - 1] if n > 0 else 0


# terminates: yes
def primes_below(n):
    is_prime = [True] * n
    count = 0
    for i in range(2, n):
        if is_prime[i]:
            count += 1
            j = i * i
            while j < n:
                is_prime[j] = False
                j += i
    return count


# terminates: yes
def distinct_remainders(n, m=5):
    seen = []
    for i in range(n):
        r = i % m if m else i
        if r not in seen:
            seen.append(r)
    return len(seen)


# terminates: yes
def bubble_sort(n):
    xs = []
    for i in range(n):
        xs.append((i * 37) % 17)
    for i in range(len(xs)):
        for j in range(len(xs) - 1 - i):
            if xs[j] > xs[j + 1]:
                xs[j], xs[j + 1] = xs[j + 1], xs[j]
    return xs[0] if xs else None


# terminates: yes
def doubled(n):
    src = list(range(n))
    out = []
    for x in src:
        out.append(2 * x)
    return sum(out)


# terminates: yes
def powers_until(n):
    powers = [1]
    while len(powers) < n:
        powers.append(powers[-1] * 2)
    return powers


# terminates: yes
def search(n, target):
    xs = list(range(0, 2 * n, 2))
    lo, hi = 0, len(xs)
    while lo < hi:
        mid = (lo + hi) // 2
        if xs[mid] < target:
            lo = mid + 1
        else:
            hi = mid
    return lo


# terminates: yes
def drain_stack(n):
    stack = [abs(n)]
    steps = 0
    while stack:
        x = stack.pop()
        steps += 1
        if x > 0:
            stack.append(x - 1)
    return steps


# Appending to the list the loop walks: the loop never reaches its end
# terminates: no  witness: n=0
def echo_all(n):
    xs = [n]
    for x in xs:
        if x >= 0:
            xs.append(x)
    return len(xs)


# Negative indices wrap around to the end, so the walk goes on past 0; it still ends, with IndexError
# terminates: yes
def last_positive(n):
    xs = list(range(-1, n - 1))
    i = len(xs) - 1
    while xs[i] <= 0:
        i -= 1
    return i


# A work list that walks itself: each item adds the one 2 below it, until 0, which an odd start skips
# terminates: no  witness: n=1
def spread(n):
    cells = [n]
    for c in cells:
        if c != 0:
            cells.append(c - 2)
    return len(cells)


# Breadth-first search without a visited check: on a cycle the queue never runs out
# terminates: no  witness: n=1
def reachable(n):
    queue = [0]
    for node in queue:
        nxt = (node + 1) % n if n else 0
        queue.append(nxt)
    return len(queue)


# The same with the check: every node enters the queue once
# terminates: yes
def reachable_checked(n):
    queue = [0]
    for node in queue:
        nxt = (node + 1) % n if n else 0
        if nxt not in queue:
            queue.append(nxt)
    return len(queue)


# Failed jobs go back on the list; job 0 always fails
# terminates: no  witness: n=1
def retry_failed(n):
    done = 0
    jobs = list(range(n))
    for job in jobs:
        if job % 3 == 0:
            jobs.append(job)
        else:
            done += 1
    return done
