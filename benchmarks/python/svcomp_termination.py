# ruff: noqa: SIM102, SIM108, SIM300, F841  (the C sources' shapes kept)
"""SV-COMP termination tasks translated to Python (termination-crafted, termination-crafted-lit,
termination-numeric, loops), with the verdicts their .yml files give.

How the C was translated, so that every label stays true for Python:
- `__VERIFIER_nondet_int()` read once at the start of `main` becomes a parameter; `main`'s guards
  (`if (!(x <= 65534)) return 0;`) are kept, even where they only kept C from overflowing.
- A nondeterministic value read inside a loop becomes a parameter too, so the same value is chosen at
  every such read. For a task that terminates, every choice terminates, so one fixed choice does too; for
  a task that does not, the witness names a choice that runs forever.
- Python's ints do not wrap around. Where a task's verdict depended on that, the comment says what
  changed; C's `/` and `%` are kept as `//` and `%` only where the operands cannot be negative (or the
  sign of the remainder does not matter), else truncation is written out.
- An array cell or a pointer's target becomes a variable; tasks about strings or whole arrays are left out.
- Infinite recursion counts as running forever (mathematical semantics), not as CPython's RecursionError.
A helper that `main` calls only on guarded inputs is labelled for every input, which is why some
helpers of terminating tasks are labelled `no`.
"""


# termination-crafted/2Nested-1
# terminates: yes
def two_nested(x, y):
    if not x <= 65534:
        return 0
    if not -65534 <= y <= 65534:
        return 0
    while x >= 0:
        x = x + y
        y = y - 1
    return 0


# termination-crafted/4BitCounterPointer (the four cells as variables)
# terminates: yes
def four_bit_counter():
    x0 = 0
    x1 = 0
    x2 = 0
    x3 = 0
    while x3 == 0:
        if x0 == 0:
            x0 = 1
        else:
            x0 = 0
            if x1 == 0:
                x1 = 1
            else:
                x1 = 0
                if x2 == 0:
                    x2 = 1
                else:
                    x2 = 0
                    x3 = 1
    return 0


# termination-crafted/4NestedWith3Variables-1
# terminates: yes
def nested_with_3_variables(q, a, b):
    if not (-524287 <= q <= 524287 and -524287 <= a <= 524287 and -524287 <= b <= 524287):
        return 0
    while q > 0:
        q = q + a - 1
        olda = a
        a = 3 * olda - 4 * b
        b = 4 * olda + 3 * b
    return 0


# termination-crafted/Ackermann-2: Ack, which main calls only with 0 <= m, 0 <= n
# terminates: no  witness: m=-1, n=0
def ack(m, n):
    if m == 0:
        return n + 1
    elif n == 0:
        return ack(m - 1, 1)
    else:
        return ack(m - 1, ack(m, n - 1))


# termination-crafted/Ackermann-2
# terminates: yes  box: -2..3
def ackermann_2(x, y):
    if not x <= 28:
        return 0
    if not y <= 3:
        return 0
    if x < 0 or y < 0:
        return 0
    return ack(x, y)


# termination-crafted/Arrays01-EquivalentConstantIndices-1 (a[3] as a3)
# terminates: yes
def arrays01(a3):
    while a3 >= 0:
        a3 = a3 - 1
    return 0


# termination-crafted/Arrays02-EquivalentConstantIndices (a[2] as a2; r: the value read in the loop)
# terminates: no  witness: a2=0, r=0
def arrays02(a2, r):
    while a2 >= 0:
        a2 = a2 - 1
        a2 = r
    return 0


# termination-crafted/Arrays03-ValueRestictsIndex-2 (a[0] as a0, a[k] as ak)
# terminates: yes
def arrays03(k, a0, ak, x):
    if 0 <= k < 1048:
        if k == 0:
            ak = a0
        if a0 == 23 and ak == 42:
            while x >= 0:
                x = x - k
    return 0


# termination-crafted/Bangalore-2
# terminates: yes
def bangalore(x, y):
    if y >= 1:
        while x >= 0:
            x = x - y
    return 0


# termination-crafted/Bangalore_v2
# terminates: no  witness: x=0, y=0
def bangalore_v2(x, y):
    if y >= 0:
        while x >= 0:
            x = x - y
    return 0


# termination-crafted/Bangalore_v4
# terminates: yes
def bangalore_v4(x, y):
    if y > x:
        while x >= 0:
            x = x - y
    return 0


# termination-crafted/Benghazi
# terminates: yes
def benghazi(x):
    d1 = 73
    d2 = 74
    while x >= 0:
        x = x - d1
        d1old = d1
        d1 = d2 + 1
        d2 = d1old + 1
    return 0


# termination-crafted/Benghazi_nondet-2
# terminates: yes
def benghazi_nondet(x, d1, d2):
    if not (-1048575 <= x <= 1048575 and -1048575 <= d1 <= 1048575 and -1048575 <= d2 <= 1048575):
        return 0
    while x >= 0:
        x = x - d1
        d1old = d1
        d1 = d2 + 1
        d2 = d1old + 1
    return 0


# termination-crafted/Binary_Search-2 (left: the nondeterministic choice of half; C's `/` truncates)
# terminates: no  witness: i=-1, j=0, left=1
def binary_search(i, j, left):
    if i >= j:
        return i
    s = i + j
    mid = s // 2 if s >= 0 else -(-s // 2)
    if left:
        return binary_search(i, mid, left)
    return binary_search(mid + 1, j, left)


# termination-crafted/Cairo
# terminates: yes
def cairo(x):
    if x > 0:
        while x != 0:
            x = x - 1
    return 0


# termination-crafted/Cairo_step2-1
# terminates: yes
def cairo_step2(x):
    if x > 0:
        while x != 0 and x != -1:
            x = x - 2
    return 0


# termination-crafted/Cairo_step2-3: x is unsigned in C, where an odd x wraps around and never meets 0;
# with Python's ints an odd x runs down through the negatives instead, so the verdict is the same
# terminates: no  witness: x=1
def cairo_step2_unsigned(x):
    if x > 0:
        while x != 0:
            x = x - 2
    return 0


# termination-crafted/Collatz_bounded (checked for every start below the bound)
# terminates: yes
def collatz_bounded(y):
    if y >= 113383:
        return 0
    while y > 1:
        if y % 2 == 0:
            y = y // 2
        else:
            y = 3 * y + 1
    return 0


# termination-crafted/Copenhagen
# terminates: yes
def copenhagen(x, y):
    while x >= 0 and y >= 0:
        oldx = x
        x = y - 1
        y = oldx - 1
    return 0


# termination-crafted/Copenhagen_disj-2
# terminates: yes
def copenhagen_disj(x, y):
    if not (-1073741823 <= x <= 1073741823 and -1073741823 <= y <= 1073741823):
        return 0
    while x >= 0 or y >= 0:
        oldx = x
        x = y - 1
        y = oldx - 1
    return 0


# termination-crafted/Division-2
# terminates: no  witness: y=0
def division(y):
    while y >= 0 and y <= 10:
        y = (2 * y + 1) // 2
    return 0


# termination-crafted/Gothenburg-1
# terminates: yes
def gothenburg(a, b, x, y):
    if a == b:
        while x >= 0 or y >= 0:
            x = x + a - b - 1
            y = y + b - a - 1
    return 0


# termination-crafted/Gothenburg_v2-1
# terminates: yes
def gothenburg_v2(a, b, x, y):
    if a == b + 1 and x < 0:
        while x >= 0 or y >= 0:
            x = x + a - b - 1
            y = y + b - a - 1
    return 0


# termination-crafted/Lobnya-Boolean-Reordered-2 (r: the value read in the loop)
# terminates: yes
def lobnya(x, b, r):
    while b != 0:
        b = r
        x = x - 1
        if x >= 0:
            b = 1
        else:
            b = 0
    return 0


# termination-crafted/Madrid
# terminates: no  witness: ()
def madrid():
    x = 7
    while True:
        x = 2
    return x


# termination-crafted/McCarthy91_Iteration
# terminates: yes
def mccarthy91_iteration(n):
    c = 1
    while c > 0:
        if n > 100:
            n = n - 10
            c = c - 1
        else:
            n = n + 11
            c = c + 1
    return n


# termination-crafted/McCarthy91_Recursion
# terminates: yes
def mc91(n):
    if n > 100:
        return n - 10
    else:
        return mc91(mc91(n + 11))


# termination-crafted/MenloPark
# terminates: yes
def menlo_park(x):
    y = 100
    z = 1
    while x >= 0:
        x = x - y
        y = y - z
        z = -z
    return 0


# termination-crafted/MutualRecursion_1a
# terminates: no  witness: x=1
def mutual_1a_f(x):
    if x <= 0:
        return 0
    else:
        return mutual_1a_g(x) + mutual_1a_g(x + 1)


# termination-crafted/MutualRecursion_1a
# terminates: no  witness: x=2
def mutual_1a_g(x):
    if x <= 0:
        return 0
    else:
        return mutual_1a_f(x - 1) + mutual_1a_f(x - 2)


# termination-crafted/MutualRecursion_1b
# terminates: yes  box: -5..10
def mutual_1b_f(x):
    if x <= 0:
        return 0
    else:
        return mutual_1b_g(x) + mutual_1b_g(x + 1)


# termination-crafted/MutualRecursion_1b
# terminates: yes  box: -5..10
def mutual_1b_g(x):
    if x <= 0:
        return 0
    else:
        return mutual_1b_f(x - 2) + mutual_1b_f(x - 3)


# termination-crafted/Mysore-2
# terminates: yes
def mysore(x, c):
    if not (-65535 <= x <= 65535 and -65535 <= c <= 65535):
        return 0
    if c >= 2:
        while x + c >= 0:
            x = x - c
            c = c + 1
    return 0


# termination-crafted/NestedRecursion_1*: rec1, shared by the four tasks
# terminates: yes
def nested_rec1(i):
    if i <= 0:
        return 0
    return nested_rec1(nested_rec1(nested_rec1(i - 2) - 1)) + 1


# termination-crafted/NestedRecursion_1a-2
# terminates: no  witness: j=1
def nested_rec2_1a(j):
    if j <= 0:
        return 0
    return nested_rec2_1a(nested_rec1(j + 1)) - 1


# termination-crafted/NestedRecursion_1b
# terminates: yes
def nested_rec2_1b(j):
    if j <= 0:
        return 0
    return nested_rec2_1b(nested_rec1(j - 1)) - 1


# termination-crafted/NestedRecursion_1c
# terminates: yes
def nested_rec2_1c(j):
    if j <= 0:
        return 0
    return nested_rec1(nested_rec2_1c(j - 1)) - 1


# termination-crafted/NestedRecursion_1d
# terminates: yes
def nested_rec2_1d(j):
    if j <= 0:
        return 0
    return nested_rec2_1d(nested_rec1(j) - 1) - 1


# termination-crafted/NestedRecursion_2b (main calls g only with x >= 0)
# terminates: no  witness: x=1
def nested_recursion_2b(x):
    if x == 0:
        return 1
    else:
        return nested_recursion_2b(nested_recursion_2b(x - 1) + 1)


# termination-crafted/NestedRecursion_2c: g, which main calls only with x >= 0
# terminates: no  witness: x=-1
def nested_recursion_2c_g(x):
    if x == 0:
        return 1
    else:
        return nested_recursion_2c_g(nested_recursion_2c_g(x - 1) - 1)


# termination-crafted/NestedRecursion_2c
# terminates: yes
def nested_recursion_2c(x):
    if x < 0:
        return 0
    return nested_recursion_2c_g(x)


# termination-crafted/NonTerminationSimple7
# terminates: no  witness: x=0, c=0
def non_termination_simple7(x, c):
    if c == 0:
        while x >= 0:
            x = x + c
    return 0


# termination-crafted/Nyala-2lex-2 (r: the value read in the loop)
# terminates: yes
def nyala(x, y, r):
    while x >= 0 and y >= 0:
        y = y - 1
        if y < 0:
            x = x - 1
            y = r
    return 0


# termination-crafted/Parallel
# terminates: yes
def parallel(x, y):
    while x >= 0 or y >= 0:
        if x >= 0:
            x = x - 1
        else:
            y = y - 1
    return 0


# termination-crafted/Piecewise (r, s: the values read in the loop)
# terminates: yes
def piecewise(q, p, r, s):
    while q > 0 and p > 0 and p != q:
        if q < p:
            q = q - 1
            p = r
        elif p < q:
            p = p - 1
            q = s
    return 0


# termination-crafted/Pure2Phase-1 (r: the value read in the loop)
# terminates: yes
def pure_2_phase(y, z, r):
    if not (-1073741823 <= y <= 1073741823 and z <= 1073741823):
        return 0
    while z >= 0:
        y = y - 1
        if y >= 0:
            z = r
            if not z <= 1073741823:
                return 0
        else:
            z = z - 1
    return 0


# termination-crafted/Pure3Phase-1 (c: the branch chosen in the loop)
# terminates: yes
def pure_3_phase(x, y, z, c):
    if not (x <= 65535 and -65535 <= y <= 65535 and -65535 <= z <= 65535):
        return 0
    while x >= 0:
        if c != 0:
            x = x + y
        else:
            x = x + z
        y = y + z
        z = z - 1
    return 0


# termination-crafted/RecursiveMultiplication-1
# terminates: yes
def mult(n, m):
    if m < 0:
        return -1 * mult(n, -m)
    if m == 0:
        return 0
    return n + mult(n, m - 1)


# termination-crafted/RecursiveNonterminating-1: rec
# terminates: no  witness: x=0, y=1
def recursive_nonterminating_rec(x, y):
    if x <= 23 and x >= -42:
        recursive_nonterminating_rec(2 * y - 2, x + 1)


# termination-crafted/RecursiveNonterminating-1
# terminates: no  witness: n=0
def recursive_nonterminating(n):
    if not n <= 2147483646:
        return 0
    recursive_nonterminating_rec(n, n + 1)
    return 0


# termination-crafted/Rotation180-1
# terminates: no  witness: x=0, y=0
def rotation180(x, y):
    if not (x >= -2147483647 and y >= -2147483647):
        return 0
    while True:
        oldx = x
        x = -y
        y = oldx


# termination-crafted/Singapore-2
# terminates: yes
def singapore(x, y):
    if not (-65535 <= x <= 65535 and -65535 <= y <= 65535):
        return 0
    if x + y <= 0:
        while x > 0:
            x = x + x + y
            y = y - 1
    return 0


# termination-crafted/Stockholm-1
# terminates: yes
def stockholm(x, a, b):
    if a == b:
        while x >= 0:
            x = x + a - b - 1
    return 0


# termination-crafted/SyntaxSupportPointer01-1 (*p as p)
# terminates: yes
def syntax_support_pointer(p):
    while p >= 0:
        p -= 1
    return 0


# termination-crafted/TelAviv-Amir-Minimum (c: the branch, r and s: the values read in the loop)
# terminates: yes
def tel_aviv_amir_minimum(x, y, c, r, s):
    while x > 0 and y > 0:
        if c != 0:
            if x < y:
                y = x - 1
            else:
                y = y - 1
            x = r
        else:
            if x < y:
                x = x - 1
            else:
                x = y - 1
            y = s
    return 0


# termination-crafted/Thun-2
# terminates: yes
def thun(x, y):
    if not (-65535 <= x <= 65535 and -65535 <= y <= 65535):
        return 0
    while x >= 0:
        x = x + y
        y = (-2) * y - 1
    return 0


# termination-crafted/Toulouse-BranchesToLoop-2 (c: the branch chosen before the loop)
# terminates: yes
def toulouse_branches_to_loop(y, z, c):
    if not (y >= -268435455 and z >= -268435455):
        return 0
    if c != 0:
        x = 1
    else:
        x = -1
    while y < 100 and z < 100:
        y = y + x
        z = z - x
    return 0


# termination-crafted/Toulouse-MultiBranchesToLoop-2 (the eight branches as a loop)
# terminates: yes
def toulouse_multi_branches_to_loop(y, z, c):
    if not (y >= -268435455 and z >= -268435455):
        return 0
    if c != 0:
        x = 1
    else:
        x = -1
    for _ in range(8):
        if x > 0:
            x = x + 1
        else:
            x = x - 1
    while y < 100 and z < 100:
        y = y + x
        z = z - x
    return 0


# termination-crafted/Waldkirch
# terminates: yes
def waldkirch(x):
    while x >= 0:
        x = x - 1
    return 0


# termination-crafted/WhileFalse
# terminates: yes
def while_false():
    while False:
        pass
    return 0


# termination-crafted/WhileTrue
# terminates: no  witness: ()
def while_true():
    while True:
        pass
    return 0


# termination-crafted/aaron2-1 (c: the branch chosen in the loop)
# terminates: yes
def aaron2(tx, x, y, c):
    if not (tx <= 1073741823 and x <= 1073741823 and y >= -1073741823):
        return 0
    while x >= y and tx >= 0:
        if c != 0:
            x = x - 1 - tx
        else:
            y = y + 1 + tx
    return 0


# termination-crafted/aaron3-1 (c: the branch, r: the value read in the loop)
# terminates: yes
def aaron3(x, y, z, tx, c, r):
    if not (-1073741823 <= tx <= 1073741823 and -1073741823 <= z <= 1073741823
            and -1073741823 <= x <= 1073741823 and y <= 1073741823):
        return 0
    while x >= y and x <= tx + z:
        if c != 0:
            z = z - 1
            tx = x
            x = r
            if not -1073741823 <= x <= 1073741823:
                return 0
        else:
            y = y + 1
    return 0


# termination-crafted/easy1
# terminates: yes
def easy1(z):
    x = 0
    while x < 40:
        if z == 0:
            x = x + 1
        else:
            x = x + 2
    return 0


# termination-crafted/easy2-2
# terminates: yes
def easy2(z):
    x = 0
    y = 0
    while z > 0:
        x = x + 1
        y = y - 1
        z = z - 1
    return x + y


# termination-crafted-lit/AliasDarteFeautrierGonnord-SAS2010-Fig1 (c, d: the choices in the loops)
# terminates: yes
def adfg_fig1(m, c, d):
    y = 0
    x = m
    while x >= 0 and y >= 0:
        if c != 0:
            while y <= m and d != 0:
                y = y + 1
            x = x - 1
        y = y - 1
    return 0


# termination-crafted-lit/AliasDarteFeautrierGonnord-SAS2010-cousot9
# terminates: yes
def adfg_cousot9(j, n):
    i = n
    while i > 0:
        if j > 0:
            j = j - 1
        else:
            j = n
            i = i - 1
    return 0


# termination-crafted-lit/AliasDarteFeautrierGonnord-SAS2010-loops
# terminates: yes
def adfg_loops(n):
    x = n
    if x >= 0 and x <= 1073741823:
        while x >= 0:
            y = 1
            if y < x:
                while y < x:
                    y = 2 * y
            x = x - 1
    return 0


# termination-crafted-lit/AliasDarteFeautrierGonnord-SAS2010-nestedLoop-1
# terminates: yes
def adfg_nested_loop(n, m, big_n):
    if 0 <= n and 0 <= m and 0 <= big_n:
        i = 0
        while i < n:
            j = 0
            while j < m:
                j = j + 1
                k = i
                while k < big_n - 1:
                    k = k + 1
                i = k
            i = i + 1
    return 0


# termination-crafted-lit/AliasDarteFeautrierGonnord-SAS2010-speedpldi3
# terminates: yes
def adfg_speedpldi3(n, m):
    if m > 0 and n > m:
        i = 0
        j = 0
        while i < n:
            if j < m:
                j = j + 1
            else:
                j = 0
                i = i + 1
    return 0


# termination-crafted-lit/AliasDarteFeautrierGonnord-SAS2010-speedpldi4
# terminates: yes
def adfg_speedpldi4(n, m):
    if m > 0 and n > m:
        i = n
        while i > 0:
            if i < m:
                i = i - 1
            else:
                i = i - m
    return 0


# termination-crafted-lit/AliasDarteFeautrierGonnord-SAS2010-wise
# terminates: yes
def adfg_wise(x, y):
    if x >= 0 and y >= 0:
        while x - y > 2 or y - x > 2:
            if x < y:
                x = x + 1
            else:
                y = y + 1
    return 0


# termination-crafted-lit/BradleyMannaSipma-CAV2005-Fig1
# terminates: yes
def bms_fig1(y1, y2):
    if y1 > 0 and y2 > 0:
        while y1 != y2:
            if y1 > y2:
                y1 = y1 - y2
            else:
                y2 = y2 - y1
    return y1


# termination-crafted-lit/BradleyMannaSipma-CAV2005-Fig1-modified
# terminates: no  witness: y1=0, y2=1
def bms_fig1_modified(y1, y2):
    if y1 >= 0 and y2 >= 0:
        while y1 != y2:
            if y1 > y2:
                y1 = y1 - y2
            else:
                y2 = y2 - y1
    return y1


# termination-crafted-lit/BrockschmidtCookFuhs-CAV2013-Fig9a
# terminates: yes
def bcf_fig9a(k, n):
    if k >= 1:
        i = 0
        while i < n:
            j = 0
            while j <= i:
                j = j + k
            i = i + 1
    return 0


# termination-crafted-lit/BrockschmidtCookFuhs-CAV2013-Introduction
# terminates: yes
def bcf_introduction(x):
    y = 1
    while x > 0:
        x = x - y
        y = y + 1
    return 0


# termination-crafted-lit/ChenCookFuhsNimkarOHearn-TACAS2014-Introduction (r: the value read in the loop)
# terminates: no  witness: k=0, i=0, r=0
def ccfno_introduction(k, i, r):
    if k < 0:
        i = -1
    while i >= 0:
        i = r
    i = 2
    return i


# termination-crafted-lit/ChenFlurMukhopadhyay-SAS2012-Ex2.20 (r: the value read in the loop)
# terminates: yes
def cfm_ex2_20(x, y, r):
    while x > y and y >= 1 and y <= 2:
        x = x - y
        y = r
    return 0


# termination-crafted-lit/ChenFlurMukhopadhyay-SAS2012-Ex3.01
# terminates: yes
def cfm_ex3_01(x, y, z):
    while x < y:
        x = x + 1
        y = z
    return 0


# termination-crafted-lit/CookSeeZuleger-TACAS2013-Fig7b (c, d: the branches, r, s: the values read)
# terminates: yes
def csz_fig7b(x, y, z, c, d, r, s):
    while x > 0 and y > 0 and z > 0:
        if c != 0:
            x = x - 1
        elif d != 0:
            y = y - 1
            z = r
        else:
            z = z - 1
            x = s
    return 0


# termination-crafted-lit/CookSeeZuleger-TACAS2013-Fig8a-modified
# terminates: yes
def csz_fig8a_modified(k, x):
    while x != k:
        if x > k:
            x = x - 1
        else:
            x = x + 1
    return 0


# termination-crafted-lit/CookSeeZuleger-TACAS2013-Fig8b
# terminates: yes
def csz_fig8b(x, m):
    if m > 0:
        while x != m:
            if x > m:
                x = 0
            else:
                x = x + 1
    return 0


# termination-crafted-lit/GopanReps-CAV2006-Fig1a
# terminates: yes
def gopan_reps_fig1a():
    x = 0
    y = 0
    while y >= 0:
        if x <= 50:
            y = y + 1
        else:
            y = y - 1
        x = x + 1
    return 0


# termination-crafted-lit/HeizmannHoenickeLeikePodelski-ATVA2013-Fig5
# terminates: yes
def hhlp_fig5(x):
    y = 2
    while x >= 0:
        x = x - y
        y = (y + 1) // 2
    return 0


# termination-crafted-lit/HenzingerJhalaMajumdarSutre-POPL2002-LockingExample (the lock as a variable;
# c0 to c3: the nondeterministic choices, the same each time round)
# terminates: no  witness: c0=0, c1=0, c2=0, c3=1
def locking_example(c0, c1, c2, c3):
    lock = 0
    old = 0
    new = 0
    if c0:
        while True:
            got_lock = 0
            if c1:
                if lock == 0:
                    lock = 1
                got_lock += 1
            if got_lock:
                if lock == 1:
                    lock = 0
            if not c2:
                break
    while True:
        if lock == 0:
            lock = 1
        old = new
        if c3:
            if lock == 1:
                lock = 0
            new += 1
        if new == old:
            break
    if lock == 1:
        lock = 0
    return 0


# termination-crafted-lit/KroeningSharyginaTsitovichWintersteiger-CAV2010-Fig1 (C's and Python's
# remainders differ in sign for negative x, but are nonzero for the same x)
# terminates: yes
def kstw_fig1(x):
    debug = 0
    while x < 255:
        if x % 2 != 0:
            x -= 1
        else:
            x += 2
        if debug != 0:
            x = 0
    return 0


# termination-crafted-lit/LarrazOliverasRodriguez-CarbonellRubio-FMCAD2013-Fig1
# terminates: yes
def lorcr_fig1(x, y, z):
    if x <= 10000 and x >= -10000 and y <= 10000 and z <= 10000:
        while y >= 1:
            x = x - 1
            while y < z:
                x = x + 1
                z = z - 1
            y = x + y
    return 0


# termination-crafted-lit/LeeJonesBen-Amram-POPL2001-Ex4
# terminates: yes
def ljb_p(m, n, r):
    if r > 0:
        return ljb_p(m, r - 1, n)
    else:
        if n > 0:
            return ljb_p(r, n - 1, m)
        else:
            return m


# termination-crafted-lit/LeeJonesBen-Amram-POPL2001-Ex5: f, which main calls only with x, y >= 0
# terminates: no  witness: x=0, y=-1
def ljb_f(x, y):
    if y == 0:
        return x
    else:
        if x == 0:
            return ljb_f(y, y - 1)
        else:
            return ljb_f(y, x - 1)


# termination-crafted-lit/LeeJonesBen-Amram-POPL2001-Ex5
# terminates: yes
def ljb_ex5(x, y):
    if x >= 0 and y >= 0:
        return ljb_f(x, y)
    return 0


# termination-crafted-lit/LeikeHeizmann-TACAS2014-Ex1
# terminates: yes
def leike_heizmann_ex1(q, y):
    while q > 0:
        if y > 0:
            q = q - y - 1
        else:
            q = q + y - 1
    return 0


# termination-crafted-lit/PodelskiRybalchenko-LICS2004-Fig1
# terminates: yes
def pr_lics2004_fig1(x):
    while x >= 0 and x <= 1073741823:
        y = 1
        while y < x:
            y = 2 * y
        x = x - 1
    return 0


# termination-crafted-lit/PodelskiRybalchenko-TACAS2011-Fig4 (c: the branch, r: the value read)
# terminates: yes
def pr_tacas2011_fig4(x, y, c, r):
    while x > 0 and y > 0:
        if c != 0:
            x = x - 1
            y = r
        else:
            y = y - 1
    return 0


# termination-crafted-lit/Urban-WST2013-Fig1
# terminates: no  witness: x=0
def urban_fig1(x):
    while x <= 10:
        if x > 6:
            x = x + 2
    return 0


# termination-crafted-lit/Urban-WST2013-Fig2
# terminates: yes
def urban_fig2(x1):
    while x1 <= 10:
        x2 = 10
        while x2 > 1:
            x2 = x2 - 1
        x1 = x1 + 1
    return 0


# termination-crafted-lit/UrbanMine-ESOP2014-Fig3 (c: the branch, r: the value read)
# terminates: yes
def urban_mine_fig3(x, y, c, r):
    while x != 0 and y > 0:
        if x > 0:
            if c != 0:
                x = x - 1
                y = r
            else:
                y = y - 1
        else:
            if c != 0:
                x = x + 1
            else:
                y = y - 1
                x = r
    return 0


# termination-crafted-lit/Velroyen
# terminates: no  witness: x=-1
def velroyen(x):
    while x != 0:
        if -5 <= x and x <= 35:
            if x < 0:
                x = -5
            else:
                if x > 30:
                    x = 35
                else:
                    x = x - 1
        else:
            x = 0
    return 0


# termination-crafted-lit/aviad
# terminates: yes
def aviad(a):
    count = 0
    while a > 1:
        tmp = a % 2
        if tmp == 0:
            a = a // 2
        else:
            a = a - 1
        count += 1
    return count


# termination-crafted-lit/genady
# terminates: yes
def genady():
    j = 1
    i = 10000
    while i - j >= 1:
        j = j + 1
        i = i - 1
    return 0


# termination-numeric/EvenOdd01-2: isOdd, which main calls only with n >= 0
# terminates: no  witness: n=-1
def is_odd(n):
    if n == 0:
        return 0
    elif n == 1:
        return 1
    else:
        return is_even(n - 1)


# termination-numeric/EvenOdd01-2: isEven
# terminates: no  witness: n=-1
def is_even(n):
    if n == 0:
        return 1
    elif n == 1:
        return 0
    else:
        return is_odd(n - 1)


# termination-numeric/EvenOdd01-2
# terminates: yes
def even_odd(n):
    if n < 0:
        return 0
    return is_odd(n)


# termination-numeric/Fibonacci01-2
# terminates: yes  box: -5..15
def fibonacci(n):
    if n < 1:
        return 0
    elif n == 1:
        return 1
    else:
        return fibonacci(n - 1) + fibonacci(n - 2)


# termination-numeric/LogRecursive (C's `/` on x >= y > 1)
# terminates: yes
def log_recursive(x, y):
    if x >= y and y > 1:
        return 1 + log_recursive(x // y, y)
    return 0


# termination-numeric/Parts
# terminates: yes  box: -3..8
def parts(p, q):
    if p <= 0:
        return 1
    elif q <= 0:
        return 0
    elif q > p:
        return parts(p, p)
    else:
        return parts(p - q, q) + parts(p, q - 1)


# termination-numeric/TwoWay: twoWay, which main calls only with terminate = 1 and n >= 0
# terminates: no  witness: terminate=0, n=0
def two_way(terminate, n):
    if n < 0:
        return 1
    else:
        m = n
        if terminate:
            m -= 1
        else:
            m += 1
        return m * two_way(terminate, m)


# termination-numeric/gcd01-2
# terminates: yes
def gcd01(y1, y2):
    if y1 <= 0 or y2 <= 0:
        return 0
    if y1 == y2:
        return y1
    if y1 > y2:
        return gcd01(y1 - y2, y2)
    return gcd01(y1, y2 - y1)


# termination-numeric/java_LogBuiltIn
# terminates: yes
def java_log_builtin(x):
    res = 0
    while x > 1:
        x = x // 2
        res += 1
    return res


# termination-numeric/rec_counter3: main stays in `while (res < 1);` when rec(i) < 1, which i > 0 rules out
# terminates: yes
def rec_counter3(i):
    if i <= 0:
        return 0
    res = rec_counter_rec(i)
    while res < 1:
        pass
    return res


# termination-numeric/rec_counter1: rec, which main calls only with a > 0
# terminates: no  witness: a=-1
def rec_counter_rec(a):
    if a == 0:
        return 0
    else:
        res = rec_counter_rec(a - 1)
        rescopy = res
        while rescopy > 0:
            rescopy -= 1
        return 1 + res


# termination-numeric/twisted (the gotos between the two loops as a loop around them: `goto L2` and the
# first loop's end lead to the second loop, `goto L1` round again, the second loop's end out)
# terminates: yes
def twisted(k, big_l):
    i = 0
    j = 0
    while True:
        while i < k:
            i += 1
            if i % 2:
                continue
            break
        while j < big_l:
            j += 1
            if i % 2:
                continue
            break
        else:
            break
    return i + j


# loops/count_up_down-1 (unsigned n: the guard n >= 0 stands for its range)
# terminates: yes
def count_up_down(n):
    if n < 0:
        return 0
    x = n
    y = 0
    while x > 0:
        x -= 1
        y += 1
    return y


# loops/terminator_02-2 (c: the branch chosen in the loop)
# terminates: yes
def terminator_02(x, z, c):
    while x < 100 and z > 100:
        if c:
            x += 1
        else:
            x -= 1
            z -= 1
    return 0


# loops/terminator_03-2
# terminates: yes
def terminator_03(x, y):
    if y > 0:
        while x < 100:
            x = x + y
    return 0


# loops/trex03-1 (unsigned: the guards x >= 0 stand for their range; c1, c2: the branches)
# terminates: yes
def trex03(x1, x2, x3, c1, c2):
    if x1 < 0 or x2 < 0 or x3 < 0:
        return 0
    d1 = 1
    d2 = 1
    d3 = 1
    while x1 > 0 and x2 > 0 and x3 > 0:
        if c1:
            x1 = x1 - d1
        elif c2:
            x2 = x2 - d2
        else:
            x3 = x3 - d3
    return 0


# loops/trex04 (c1: the first choice of c1, c2: the second of c2; foo() changes nothing main sees)
# terminates: no  witness: x=1, c1=1, c2=0
def trex04(x, c1, c2):
    if not (-1000000 <= x <= 1000000):
        return 0
    d = 1
    if c1:
        d = d - 1
    if c2:
        d = d - 1
    while x > 0:
        x = x - d
    return 0


# loops/nec11 (c never changes; a[len] = 0 as a write nobody reads)
# terminates: no  witness: c=1
def nec11(c):
    length = 0
    while c:
        if length == 4:
            length = 0
        length += 1
    return 1


# loops/sum03-2: sn and x are unsigned and wrap in C; with Python's ints they grow forever, the same verdict
# terminates: no  witness: ()
def sum03():
    sn = 0
    x = 0
    while True:
        sn = sn + 2
        x += 1


# loops/while_infinite_loop_1 (its assertion x == 0 always holds)
# terminates: no  witness: ()
def while_infinite_loop_1():
    x = 0
    while True:
        assert x == 0


# loops/for_infinite_loop_1 (i is unsigned in C and wraps; here it grows; the assertion always holds)
# terminates: no  witness: n=1
def for_infinite_loop_1(n):
    if not n > 0:
        return 0
    x = 0
    y = 0
    i = 0
    while True:
        x = 0
        y = 0
        assert x == 0
        i += 1
