# ruff: noqa: RUF059  (divmod's remainder unused, as people write it)
"""Loops as people write them, and the mistakes people make in them.

Counting loops, `range(n, 0, -1)`, `while True` with `break` or `return`, `for ... else`, `divmod`,
`abs`/`min`/`max`, binary search over ints, digit sums, nested helper functions, default and keyword
arguments. About half hold a bug that makes some input run forever: a forgotten increment, a step that
jumps over its target, a `continue` before the update, floor division that never reaches 0 from below,
a zero step or factor that the defaults hide, the Zune's leap-year loop.
"""

DAYS_PER_YEAR = 365


# terminates: yes
def digit_sum(n):
    n = abs(n)
    total = 0
    while n:
        total += n % 10
        n //= 10
    return total


# Without abs: -1 // 10 == -1, so a negative n never reaches 0
# terminates: no  witness: n=-1
def digit_sum_signed(n):
    total = 0
    while n != 0:
        total += n % 10
        n //= 10
    return total


# terminates: yes
def reverse_digits(n):
    rev = 0
    while n > 0:
        rev = rev * 10 + n % 10
        n //= 10
    return rev


# divmod with a base below 2 never shrinks n, and neither does a negative n
# terminates: no  witness: n=-1, base=10
def to_digits(n, base=10):
    count = 0
    while n:
        n, d = divmod(n, base)
        count += 1
    return count


# The same with the base and the sign checked
# terminates: yes
def to_digits_checked(n, base=10):
    if base < 2:
        raise ValueError("base must be at least 2")
    n = abs(n)
    count = 0
    while n:
        n, d = divmod(n, base)
        count += 1
    return count


# terminates: yes
def countdown_sum(n):
    total = 0
    for i in range(n, 0, -1):
        total += i
    return total


# A step of 0 makes range raise ValueError, which ends the run too
# terminates: yes
def stepped_sum(n, step=1):
    total = 0
    for i in range(0, n, step):
        total += i
    return total


# The increment was forgotten
# terminates: no  witness: n=1
def sum_below(n):
    total = 0
    i = 0
    while i < n:
        total += i
    return total


# Counting by twos jumps over an odd target
# terminates: no  witness: n=1
def count_to(n):
    i = 0
    while i != n:
        i += 2
    return i


# Counting down to exactly zero misses it from below
# terminates: no  witness: n=-1
def countdown_to_zero(n):
    while n != 0:
        n -= 1
    return n


# `while n:` is the same loop as people often write it
# terminates: no  witness: n=-3
def drain(n):
    steps = 0
    while n:
        n -= 1
        steps += 1
    return steps


# The update sits after the `continue` that skips it
# terminates: no  witness: n=1
def sum_skipping_multiples_of_3(n):
    total = 0
    i = 0
    while i < n:
        if i % 3 == 0:
            continue
        total += i
        i += 1
    return total


# The same with the update first
# terminates: yes
def sum_skipping_multiples_of_3_fixed(n):
    total = 0
    i = 0
    while i < n:
        i += 1
        if i % 3 == 0:
            continue
        total += i
    return total


# Integer square root by binary search, rounding the midpoint up
# terminates: yes
def isqrt(n):
    lo, hi = 0, n
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if mid * mid <= n:
            lo = mid
        else:
            hi = mid - 1
    return lo


# The same rounding the midpoint down: lo = mid does not move when hi == lo + 1
# terminates: no  witness: n=1
def isqrt_stuck(n):
    lo, hi = 0, n
    while lo < hi:
        mid = (lo + hi) // 2
        if mid * mid <= n:
            lo = mid
        else:
            hi = mid - 1
    return lo


# Searching for an exact square root of a number that has none
# terminates: no  witness: n=2
def exact_sqrt(n):
    i = 0
    while i * i != n:
        i += 1
    return i


# terminates: yes
def floor_sqrt(n):
    i = 0
    while (i + 1) * (i + 1) <= n:
        i += 1
    return i


# `while True` with a `break`
# terminates: yes
def countdown_break(n):
    steps = 0
    while True:
        n -= 1
        steps += 1
        if n < 0:
            break
    return steps


# `while True` whose `break` needs n to hit 0 exactly
# terminates: no  witness: n=-1
def countdown_break_exact(n):
    while True:
        if n == 0:
            break
        n -= 1
    return n


# `while True` with a `return`: a multiple of k is at most |k| - 1 away; k == 0 raises
# terminates: yes
def next_multiple(n, k):
    m = n
    while True:
        if m % k == 0:
            return m
        m += 1


# `for ... else`: the next prime after n (there is always one)
# terminates: yes  box: -20..60
def next_prime(n):
    while True:
        n += 1
        for d in range(2, n):
            if n % d == 0:
                break
        else:
            if n >= 2:
                return n


# Strips factors of two; 0 has infinitely many
# terminates: no  witness: n=0
def odd_part(n):
    while n % 2 == 0:
        n //= 2
    return n


# A power of two halves down to 1; 0 halves to 0 forever
# terminates: no  witness: n=0
def log2_exact(n):
    k = 0
    while n != 1:
        n //= 2
        k += 1
    return k


# n // 2 + 1 is n again at n = 1 and n = 2
# terminates: no  witness: n=2
def shrink(n):
    while n > 1:
        n = n // 2 + 1
    return n


# Clears the lowest set bit: n & (n - 1) < n for every n > 0
# terminates: yes
def popcount(n):
    count = 0
    while n > 0:
        n &= n - 1
        count += 1
    return count


# 3 is invertible modulo 10, so some x + 3k is a multiple of 10
# terminates: yes
def pad_to_ten_by_threes(x):
    while x % 10 != 0:
        x += 3
    return x


# 5 is not: from an odd x, x + 5k alternates between 1 and 6 modulo 10
# terminates: no  witness: x=1
def pad_to_ten_by_fives(x):
    while x % 10 != 0:
        x += 5
    return x


# A step of 0 (or less) never reaches 0
# terminates: no  witness: n=1, step=0
def countdown_by(n, step=1):
    while n > 0:
        n -= step
    return n


# A keyword-only step that jumps over 0
# terminates: no  witness: n=1, step=2
def spin_down(n, *, step=1):
    while n:
        n -= step
    return n


# A default that hides the zero
# terminates: no  witness: deadline=1, now=0, tick=0
def wait_until(deadline, now=0, tick=1):
    while now < deadline:
        now += tick
    return now


# The same with the tick bounded below by max
# terminates: yes
def wait_until_fixed(deadline, now=0, tick=1):
    tick = max(tick, 1)
    while now < deadline:
        now += tick
    return now


# Exponential backoff with a factor of 1 never grows
# terminates: no  witness: limit=2, factor=1
def backoff(limit, factor=2):
    delay = 1
    while delay < limit:
        delay *= factor
    return delay


# The first power of base above n
# terminates: no  witness: n=1, base=1
def first_power_above(n, base=2):
    p = 1
    while p <= n:
        p *= base
    return p


# Integer interest rounds down to nothing at low rates
# terminates: no  witness: balance=1, target=2, rate=1
def years_to_target(balance, target, rate=5):
    years = 0
    while balance < target:
        balance += balance * rate // 100
        years += 1
    return years


# Pagination with zero items per page
# terminates: no  witness: total=1, per_page=0
def page_count(total, per_page=10):
    page = 0
    while page * per_page < total:
        page += 1
    return page


# terminates: yes
def clamp(x, lo=0, hi=10):
    return max(lo, min(x, hi))


# min keeps lo one short of hi
# terminates: no  witness: lo=0, hi=2
def approach(lo, hi):
    while lo < hi:
        lo = min(lo + 1, hi - 1)
    return lo


# max makes progress even from a negative step
# terminates: yes
def advance(ticks, limit, step=1):
    while ticks < limit:
        ticks = max(ticks + step, ticks + 1)
    return ticks


# A step of 0 leaves x where it is
# terminates: no  witness: x=0, target=1, step=0
def climb(x, target, step=1):
    while x < target:
        x = max(x, x + step)
    return x


# One step towards b at a time
# terminates: yes
def walk(a, b):
    steps = 0
    while a != b:
        a += 1 if a < b else -1
        steps += 1
    return steps


# abs of the distance falls by one each time
# terminates: yes
def close_in(x):
    while abs(x) > 0:
        x = x - 1 if x > 0 else x + 1
    return x


# Two counters that pass the ball: a + b falls by one each time
# terminates: yes
def ping_pong(a, b):
    rallies = 0
    while a > 0 and b > 0:
        a, b = b - 1, a
        rallies += 1
    return rallies


# A state machine that goes back to the start when x is not positive
# terminates: no  witness: x=0
def handshake(x):
    state = 0
    while state != 3:
        if state == 0:
            state = 1
        elif state == 1:
            state = 2 if x > 0 else 0
        else:
            state = 3
    return state


# A nested helper that closes over the ring's size; a target outside the ring is never met
# terminates: no  witness: size=3, i=0, target=5
def ring_distance(size, i, target):
    def next_index(k):
        return (k + 1) % size

    steps = 0
    while i != target:
        i = next_index(i)
        steps += 1
    return steps


# A nested helper that stops at zero from above only
# terminates: no  witness: n=-1
def settle(n):
    def step(k):
        return k - 1 if k > 0 else k

    while n != 0:
        n = step(n)
    return n


# A recursive nested helper
# terminates: yes
def depth(n):
    def helper(k):
        if k <= 0:
            return 0
        return helper(k - 1) + 1

    return helper(n)


# The Zune's clock (31 December 2008): day 366 of a leap year never leaves the loop
# terminates: no  witness: days=366
def year_of_day(days):
    def is_leap(y):
        return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)

    year = 1980
    while days > DAYS_PER_YEAR:
        if is_leap(year):
            if days > 366:
                days -= 366
                year += 1
        else:
            days -= DAYS_PER_YEAR
            year += 1
    return year


# The Zune's clock as fixed: day 366 of a leap year ends the loop
# terminates: yes
def year_of_day_fixed(days):
    def is_leap(y):
        return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)

    year = 1980
    while days > DAYS_PER_YEAR:
        if is_leap(year):
            if days == 366:
                break
            days -= 366
        else:
            days -= DAYS_PER_YEAR
        year += 1
    return year


# An inner loop that tests the outer counter, which it never changes
# terminates: no  witness: n=1
def pairs(n):
    total = 0
    for i in range(n):
        while i < n:
            total += 1
    return total


# terminates: yes
def pairs_fixed(n):
    total = 0
    for i in range(n):
        j = i
        while j < n:
            total += 1
            j += 1
    return total


# A ball between two walls that stands still when its speed is 0
# terminates: no  witness: pos=5, vel=0
def bounce_until_wall(pos, vel, lo=0, hi=10):
    while pos != hi:
        pos += vel
        if pos <= lo or pos >= hi:
            vel = -vel
    return pos


# The same for a bounded number of ticks
# terminates: yes
def bounce(pos, vel, lo=0, hi=10):
    for _ in range(100):
        pos += vel
        if pos < lo or pos > hi:
            vel = -vel
    return pos


# A running total that a step of 0 never grows
# terminates: no  witness: limit=1, step=0
def sum_until(limit, step=1):
    total = 0
    i = 0
    while total < limit:
        i += step
        total += i
    return i


# Triangular numbers: the k-th is at least k
# terminates: yes
def triangular_root(n):
    k = 0
    while k * (k + 1) // 2 < n:
        k += 1
    return k


# Even numbers go up, odd ones down: 2 -> 3 -> 2
# terminates: no  witness: n=2
def wobble(n):
    while n > 1:
        if n % 2 == 0:
            n += 1
        else:
            n -= 1
    return n


# A countdown whose step grows: it passes 0 from any start
# terminates: yes
def accelerate(n):
    step = 1
    while n > 0:
        n -= step
        step += 1
    return n


# A countdown whose step shrinks to 0 before n reaches it
# terminates: no  witness: n=10
def decelerate(n):
    step = 3
    while n > 0:
        n -= step
        step = max(step - 1, 0)
    return n


# Retries that reset on every failure
# terminates: no  witness: attempts=0, limit=3, ok_at=5
def retry(attempts, limit, ok_at):
    while attempts < limit:
        attempts += 1
        if attempts == ok_at:
            break
        if attempts == limit:
            attempts = 0
    return attempts


# A step that flips its sign goes back and forth
# terminates: no  witness: x=1, s=1
def oscillate(x, s):
    while x != 0:
        x += s
        s = -s
    return x


# Doubling 0 leaves it 0
# terminates: no  witness: x=0, n=1
def double_until(x, n):
    while x < n:
        x = 2 * x
    return x


# A counter reset one short of its bound
# terminates: no  witness: i=0, n=3
def wrap_around(i, n):
    while i < n:
        i += 1
        if i == n - 1:
            i = 0
    return i


# A decrement that the next line undoes
# terminates: no  witness: x=1, y=1
def undo(x, y):
    while x > 0:
        x = x - 1
        x = x + y
    return x


# The inner loop runs j down to 0, and then i = i + j does not move
# terminates: no  witness: n=1
def nested_no_progress(n):
    i = 0
    while i < n:
        j = i
        while j > 0:
            j -= 1
        i = i + j
    return i


# Only odd n move
# terminates: no  witness: n=2
def strip_odd(n):
    while n > 0:
        if n % 2:
            n -= 1
    return n


# Odd numbers step by two and never meet an even target
# terminates: no  witness: n=2
def next_odd_to(n):
    i = 1
    while i != n:
        i += 2 if i % 2 else 1
    return i
