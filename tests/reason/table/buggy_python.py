"""Buggy Python functions for tests/reason/test_table.py; the fix of each, same name, is in fixed_python.py.

Every function states its precondition with `assume` and its postcondition with `assert` (property
"assert"), or returns whether it holds (property "returns-true"). The comment above each function
names the property checked and the bug. The table in test_table.py names the line at which each
violation is reported: keep the line numbers in step with it.
"""

from solomonic.reason import assume


# assert: off-by-one loop: range(n) stops before n, so the sum misses its last term
def sum_to(n: int) -> int:
    assume(0 <= n <= 5)
    s = 0
    for i in range(n):
        s += i
    assert s == n * (n + 1) // 2
    return s


# assert: wrong abs: the test is reversed, so negatives stay negative (and positives flip)
def my_abs(x: int) -> int:
    r = -x if x > 0 else x
    assert r >= 0 and (r == x or r == -x)
    return r


# assert: floor vs truncating division: x // 2 rounds -3 down to -2, not toward zero to -1
def halve_toward_zero(x: int) -> int:
    q = x // 2
    assert abs(2 * q) <= abs(x) and abs(x) - abs(2 * q) <= 1
    return q


# assert: clamp mistake: lo and hi are swapped in the min/max nest, so the result is always hi
def clamp(x: int, lo: int, hi: int) -> int:
    assume(lo <= hi)
    r = max(hi, min(lo, x))
    if x < lo:
        assert r == lo
    elif x > hi:
        assert r == hi
    else:
        assert r == x
    return r


# assert: off-by-one loop condition: `r * r <= n` steps one past the integer square root
def isqrt(n: int) -> int:
    assume(0 <= n <= 40)
    r = 0
    while r * r <= n:
        r += 1
    assert r * r <= n < (r + 1) * (r + 1)
    return r


# assert: off-by-one comparison: `m > 10` stops at 10, which is counted as one digit
def num_digits(n: int) -> int:
    assume(0 <= n < 1000)
    d = 1
    m = n
    while m > 10:
        m //= 10
        d += 1
    if n < 10:
        assert d == 1
    elif n < 100:
        assert d == 2
    else:
        assert d == 3
    return d


# assert: max mistake: c is compared with a instead of with the running maximum
def max3(a: int, b: int, c: int) -> int:
    m = a
    if b > m:
        m = b
    if c > a:
        m = c
    assert m >= a and m >= b and m >= c
    return m


# assert: wrong abs: the distance is taken as abs(a) - abs(b), not abs(a - b)
def distance(a: int, b: int) -> int:
    d = abs(a) - abs(b)
    assert d >= 0 and (d == a - b or d == b - a)
    return d


# returns-true: sign mistake: zero is given the sign 1
def sign(x: int) -> bool:
    s = 1 if x >= 0 else -1
    return s * x == abs(x) and (s == 0) == (x == 0)


# returns-true: missing case: the 400-year rule is forgotten, so 2000 is not a leap year
def leap_every_400(y: int) -> bool:
    assume(y % 400 == 0)
    leap = y % 4 == 0 and y % 100 != 0
    return leap


# assert: unsigned 8-bit wrap-around emulated wrongly: 255 is subtracted on carry instead of 256
def add_u8(a: int, b: int) -> int:
    assume(0 <= a < 256 and 0 <= b < 256)
    s = a + b
    r = s - 255 if s >= 256 else s
    assert 0 <= r < 256 and (a + b - r) % 256 == 0
    return r


# assert: bisection mistake: `hi = mid - 1` can step past the answer
def first_multiple_of_3_at_least(n: int) -> int:
    assume(0 <= n <= 30)
    lo, hi = 0, 11
    while lo < hi:
        mid = (lo + hi) // 2
        if 3 * mid < n:
            lo = mid + 1
        else:
            hi = mid - 1
    assert 3 * lo >= n and 3 * (lo - 1) < n
    return lo


# assert: missing guard: a zero total raises ZeroDivisionError
def percent(part: int, total: int) -> int:
    assume(0 <= part <= total)
    return part * 100 // total


# assert: signed 8-bit (char) emulated wrongly: `x > 128` leaves 128 positive instead of -128
def to_int8(x: int) -> int:
    assume(0 <= x < 256)
    r = x - 256 if x > 128 else x
    assert -128 <= r <= 127 and (x - r) % 256 == 0
    return r
