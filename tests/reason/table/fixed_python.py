"""The fixed versions of the functions in buggy_python.py, for tests/reason/test_table.py: same names,
same specifications (`assume` preconditions, `assert` or returned postconditions). The comment above
each function names the property checked and the fix.
"""

from solomonic.reason import assume


# assert: fixed: range(n + 1) includes n
def sum_to(n: int) -> int:
    assume(0 <= n <= 5)
    s = 0
    for i in range(n + 1):
        s += i
    assert s == n * (n + 1) // 2
    return s


# assert: fixed: negate when x < 0
def my_abs(x: int) -> int:
    r = -x if x < 0 else x
    assert r >= 0 and (r == x or r == -x)
    return r


# assert: fixed: negative x is halved as -((-x) // 2), which rounds toward zero
def halve_toward_zero(x: int) -> int:
    q = -(-x // 2) if x < 0 else x // 2
    assert abs(2 * q) <= abs(x) and abs(x) - abs(2 * q) <= 1
    return q


# assert: fixed: max(lo, min(hi, x))
def clamp(x: int, lo: int, hi: int) -> int:
    assume(lo <= hi)
    r = max(lo, min(hi, x))
    if x < lo:
        assert r == lo
    elif x > hi:
        assert r == hi
    else:
        assert r == x
    return r


# assert: fixed: step while the next square still fits
def isqrt(n: int) -> int:
    assume(0 <= n <= 40)
    r = 0
    while (r + 1) * (r + 1) <= n:
        r += 1
    assert r * r <= n < (r + 1) * (r + 1)
    return r


# assert: fixed: `m >= 10`
def num_digits(n: int) -> int:
    assume(0 <= n < 1000)
    d = 1
    m = n
    while m >= 10:
        m //= 10
        d += 1
    if n < 10:
        assert d == 1
    elif n < 100:
        assert d == 2
    else:
        assert d == 3
    return d


# assert: fixed: c is compared with the running maximum
def max3(a: int, b: int, c: int) -> int:
    m = a
    if b > m:
        m = b
    if c > m:
        m = c
    assert m >= a and m >= b and m >= c
    return m


# assert: fixed: abs(a - b)
def distance(a: int, b: int) -> int:
    d = abs(a - b)
    assert d >= 0 and (d == a - b or d == b - a)
    return d


# returns-true: fixed: zero has the sign 0
def sign(x: int) -> bool:
    s = 1 if x > 0 else (-1 if x < 0 else 0)
    return s * x == abs(x) and (s == 0) == (x == 0)


# returns-true: fixed: years divisible by 400 are leap years
def leap_every_400(y: int) -> bool:
    assume(y % 400 == 0)
    leap = y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
    return leap


# assert: fixed: 256 is subtracted on carry
def add_u8(a: int, b: int) -> int:
    assume(0 <= a < 256 and 0 <= b < 256)
    s = a + b
    r = s - 256 if s >= 256 else s
    assert 0 <= r < 256 and (a + b - r) % 256 == 0
    return r


# assert: fixed: `hi = mid` keeps the answer inside [lo, hi]
def first_multiple_of_3_at_least(n: int) -> int:
    assume(0 <= n <= 30)
    lo, hi = 0, 11
    while lo < hi:
        mid = (lo + hi) // 2
        if 3 * mid < n:
            lo = mid + 1
        else:
            hi = mid
    assert 3 * lo >= n and 3 * (lo - 1) < n
    return lo


# assert: fixed: a zero total gives 0
def percent(part: int, total: int) -> int:
    assume(0 <= part <= total)
    return part * 100 // total if total != 0 else 0


# assert: fixed: `x >= 128`
def to_int8(x: int) -> int:
    assume(0 <= x < 256)
    r = x - 256 if x >= 128 else x
    assert -128 <= r <= 127 and (x - r) % 256 == 0
    return r
