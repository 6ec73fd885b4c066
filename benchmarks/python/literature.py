# ruff: noqa: SIM108  (if/else kept as the literature writes it)
"""Classic examples from the termination literature, written as Python programmers would write them.

Collatz-like loops whose answer is known on the inputs they admit, Euclid and Ackermann, McCarthy's 91,
Takeuchi's function, lexicographic and multiphase rankings (Ben-Amram and Genaim), linear loops whose
termination depends on a parameter's sign (Podelski and Rybalchenko; Braverman; Tiwari), geometric and
recurrent-set non-termination (Gupta et al.; Leike and Heizmann). Python's ints are unbounded and `//`
floors, which decides some of these: `x // 2` reaches 0 from below in C but stays at -1 in Python.
Infinite recursion counts as running forever, not as CPython's RecursionError.
"""


# Collatz: reaches 1 from every positive start tried so far, but 0 is a fixed point
# terminates: no  witness: n=0
def collatz(n):
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
    return n


# Collatz with a step count: -5 -> -14 -> -7 -> -20 -> -10 -> -5 is one of the cycles among the negatives
# terminates: no  witness: n=-5
def collatz_steps(n):
    steps = 0
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


# Collatz below 2**16, for which it has long been checked; larger starts are refused
# terminates: yes
def collatz_checked(n):
    if n <= 0 or n >= 65536:
        raise ValueError("n out of the checked range")
    steps = 0
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


# Euclid's algorithm with remainders: |a % b| < |b| for every b != 0, negative ones included
# terminates: yes
def gcd(a, b):
    while b != 0:
        a, b = b, a % b
    return abs(a)


# Euclid by subtraction, without the guard that both are positive
# terminates: no  witness: a=0, b=1
def gcd_subtract(a, b):
    while a != b:
        if a > b:
            a = a - b
        else:
            b = b - a
    return a


# Euclid by subtraction, recursive, with the guard
# terminates: yes
def gcd_recursive(a, b):
    if a <= 0 or b <= 0:
        return 0
    if a == b:
        return a
    if a > b:
        return gcd_recursive(a - b, b)
    return gcd_recursive(a, b - a)


# Ackermann's function on the naturals; negative arguments are refused
# terminates: yes  box: -2..3
def ackermann(m, n):
    if m < 0 or n < 0:
        raise ValueError("Ackermann's function is defined on the naturals")
    if m == 0:
        return n + 1
    if n == 0:
        return ackermann(m - 1, 1)
    return ackermann(m - 1, ackermann(m, n - 1))


# McCarthy's 91 function with 11 instead of 10 subtracted: f(100) = f(f(111)) = f(100)
# terminates: no  witness: n=100
def mccarthy_minus_11(n):
    if n > 100:
        return n - 11
    return mccarthy_minus_11(mccarthy_minus_11(n + 11))


# McCarthy's 91 function, the nested recursion replaced by a counter of pending calls
# terminates: yes
def mccarthy91(n):
    pending = 1
    while pending:
        if n > 100:
            n -= 10
            pending -= 1
        else:
            n += 11
            pending += 1
    return n


# Takeuchi's function: terminates on all integers (Knuth, "Textbook examples of recursion")
# terminates: yes  box: -2..4
def tak(x, y, z):
    if x <= y:
        return y
    return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y))


# A lexicographic ranking: (x, y) decreases, y is reset when x goes down
# terminates: yes
def lexicographic(x, y, n):
    while x > 0:
        if y > 0:
            y -= 1
        else:
            x -= 1
            y = n
    return 0


# The same with the reset of y but not the decrement of x
# terminates: no  witness: x=1, y=0, n=1
def lexicographic_forgotten(x, y, n):
    while x > 0:
        if y > 0:
            y -= 1
        else:
            y = n
    return 0


# Three phases (Ben-Amram and Genaim): z falls, then y, then x
# terminates: yes
def multiphase(x, y, z):
    while x > 0:
        x = x + y
        y = y + z
        z = z - 1
    return 0


# The same without z falling: with y and z not negative, x never falls
# terminates: no  witness: x=1, y=0, z=0
def multiphase_stuck(x, y, z):
    while x > 0:
        x = x + y
        y = y + z
    return 0


# `x = x - y` ends only when y is positive (Podelski and Rybalchenko)
# terminates: no  witness: x=1, y=0
def subtract_loop(x, y):
    while x > 0:
        x = x - y
    return x


# The same with the precondition that makes it terminate
# terminates: yes
def subtract_loop_guarded(x, y):
    if y <= 0:
        return x
    while x > 0:
        x = x - y
    return x


# A recurrent set: once x >= 0 and y >= 0, y grows and x with it (Gupta et al., TNT)
# terminates: no  witness: x=0, y=0
def growing_step(x, y):
    while x >= 0:
        y = y + 1
        x = x + y
    return 0


# The sum x + y stays constant while each part moves
# terminates: no  witness: x=1, y=0
def constant_sum(x, y):
    while x + y > 0:
        x = x - 1
        y = y + 1
    return 0


# Geometric non-termination (Leike and Heizmann): x and y grow exponentially
# terminates: no  witness: x=3, y=1
def geometric(x, y):
    while x >= 1 and y >= 1:
        x = 3 * x - 2 * y
        y = 2 * y
    return 0


# Tiwari: over the reals x = 10/3 is a fixed point; over the integers every run ends
# terminates: yes
def tiwari(x):
    while x > 0:
        x = -2 * x + 10
    return x


# Ben-Amram: the sign flips forever
# terminates: no  witness: x=1
def sign_flip(x):
    while x != 0:
        x = -x
    return 0


# Swapping does not make two values equal
# terminates: no  witness: x=0, y=1
def swap_until_equal(x, y):
    while x != y:
        x, y = y, x
    return x


# Halving towards zero terminates in C, where -1 / 2 == 0, but in Python -1 // 2 == -1
# terminates: no  witness: x=-1
def halve_to_zero(x):
    steps = 0
    while x != 0:
        x = x // 2
        steps += 1
    return steps


# Halving with rounding up: (x + 1) // 2 < x for every x > 1
# terminates: yes
def halve_round_up(x):
    while x > 1:
        x = (x + 1) // 2
    return x


# Rounding up too far: (2 + 2) // 2 == 2
# terminates: no  witness: x=2
def halve_round_up_too_far(x):
    while x > 1:
        x = (x + 2) // 2
    return x


# The integer logarithm, with the base checked
# terminates: yes
def integer_log(x, b):
    if b < 2:
        raise ValueError("base must be at least 2")
    n = 0
    while x >= b:
        x = x // b
        n += 1
    return n


# The integer logarithm without that check: base 1 never divides anything down
# terminates: no  witness: x=1, b=1
def integer_log_unchecked(x, b):
    n = 0
    while x >= b:
        x = x // b
        n += 1
    return n


# Newton's method for the integer square root; a zero divisor raises, which ends the run too
# terminates: yes
def isqrt_newton(n):
    x = n
    y = (x + 1) // 2
    while y < x:
        x = y
        y = (x + n // x) // 2
    return x


# Exponentiation by squaring
# terminates: yes
def power(b, e):
    r = 1
    while e > 0:
        if e % 2 == 1:
            r = r * b
        b = b * b
        e = e // 2
    return r


# Factorial counting down to zero, which a negative n never meets
# terminates: no  witness: n=-1
def factorial(n):
    r = 1
    while n != 0:
        r = r * n
        n = n - 1
    return r


# Factorial, recursive, with the base case for every n < 2
# terminates: yes
def factorial_recursive(n):
    if n < 2:
        return 1
    return n * factorial_recursive(n - 1)


# Recursion by steps of two misses the base case from an odd n
# terminates: no  witness: n=1
def count_down_by_two(n):
    if n == 0:
        return 0
    return 1 + count_down_by_two(n - 2)


# Remainder cycles: 1 -> 2 -> ... -> 7 -> 1
# terminates: no  witness: x=1
def remainder_cycle(x):
    while x > 0:
        x = x % 7 + 1
    return x


# Odd numbers go up, even ones down: 1 -> 2 -> 1
# terminates: no  witness: x=1
def up_and_down(x):
    while x > 1 or x == 1:
        if x % 2 == 0:
            x = x // 2
        else:
            x = x + 1
    return x


# A nested loop whose inner bound grows with the outer counter (a quadratic bound)
# terminates: yes
def triangle(n):
    total = 0
    i = 0
    while i < n:
        j = 0
        while j < i:
            j += 1
            total += 1
        i += 1
    return total


# A nested loop whose outer counter the inner loop resets
# terminates: no  witness: n=2
def triangle_reset(n):
    i = 0
    while i < n:
        j = 0
        while j < n:
            i = j
            j += 1
    return i


# Manna's loop: x + y reaches 100 only if y is positive
# terminates: no  witness: x=0, y=0
def manna(x, y):
    while x <= 100:
        x = x + y
    return x


# Braverman: a linear loop over two variables that cycles on (1, 1)
# terminates: no  witness: x=1, y=1
def braverman_cycle(x, y):
    while x > 0 and y > 0:
        x, y = y, 2 * x - y
    return 0


# The 5x + 1 problem: 13 -> 66 -> 33 -> 166 -> 83 -> 416 -> 208 -> 104 -> 52 -> 26 -> 13 is a cycle
# terminates: no  witness: n=13
def five_x_plus_one(n):
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 5 * n + 1
    return n


# Zeno's halving: x - x // 2 is x again at x = 1
# terminates: no  witness: x=1
def zeno(x):
    while x > 0:
        x = x - x // 2
    return x


# Averaging that rounds one down and the other up keeps them apart
# terminates: no  witness: a=0, b=1
def average(a, b):
    while a != b:
        a, b = (a + b) // 2, (a + b + 1) // 2
    return a


# A fixed point other than the target: (4 + 5) // 2 == 4
# terminates: no  witness: x=4
def converge_to_five(x):
    while x != 5:
        x = (x + 5) // 2
    return x


# x * x - x is x again at x = 2
# terminates: no  witness: x=2
def quadratic_fixed_point(x):
    while x > 0:
        x = x * x - x
    return x


# Squaring reaches 1 from -1 and 1 only; 0 stays 0
# terminates: no  witness: x=0
def square_to_one(x):
    while x != 1:
        x = x * x
    return x


# 1 // x is x again at 1 and -1; 0 would raise
# terminates: no  witness: x=1
def reciprocal(x):
    while x != 0:
        x = 1 // x
    return x


# Doubling modulo 3 cycles 1 -> 2 -> 1 and never reaches 0
# terminates: no  witness: x=1, m=3
def double_mod(x, m):
    while x != 0:
        x = (x * 2) % m
    return x
