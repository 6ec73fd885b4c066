/* Buggy C functions for tests/reason/test_table.py; each has its fix, same name, in fixed_c.c.
 *
 * Each function states its own precondition (__VERIFIER_assume) and postcondition (assert, or the
 * value it returns for returns-true); the comment above each names the property checked and the bug.
 * For assert and returns-true every function is free of undefined behaviour on all inputs (else the
 * answer would be unknown). Line numbers matter: test_table.py names the line of each violation.
 */
#include <assert.h>
#include <limits.h>

extern void __VERIFIER_assume(int);

/* returns-true: truncating %: x % 2 is -1 for negative odd x, so those are called even */
int is_odd_low_bit(int x) {
    int odd = x % 2 == 1;
    return odd == (x & 1);
}

/* assert: truncating %: x - x % 4 rounds negative x up (toward zero), not down */
int round_down_4(int x) {
    int r = x - x % 4;
    assert(r <= x && x - r < 4);
    return r;
}

/* assert: truncating /: x / 2 rounds -1 to 0, not down to -1 */
int floor_half(int x) {
    int q = x / 2;
    assert(x - 2 * q == 0 || x - 2 * q == 1);
    return q;
}

/* no-overflow: abs(INT_MIN): -x overflows */
int magnitude(int x) {
    return x < 0 ? -x : x;
}

/* assert: unsigned wrap-around: a - b wraps when b > a */
unsigned distance_u(unsigned a, unsigned b) {
    unsigned d = a - b;
    assert(d <= (a > b ? a : b));
    return d;
}

/* assert: unsigned counter: i >= 0 always holds, so the loop runs past 0 (bounded by the step cap) */
unsigned countdown_steps(unsigned n) {
    __VERIFIER_assume(n < 4);
    unsigned steps = 0;
    for (unsigned i = n; i >= 0 && steps < 8; i--)
        steps++;
    assert(steps == n + 1);
    return steps;
}

/* assert: unsigned wrap-around: n - 1 is UINT_MAX when n is 0 (bounded by the step cap) */
unsigned adjacent_pairs(unsigned n) {
    __VERIFIER_assume(n < 4);
    unsigned pairs = 0;
    for (unsigned i = 0; i < n - 1 && pairs < 8; i++)
        pairs++;
    assert(pairs == (n == 0 ? 0 : n - 1));
    return pairs;
}

/* assert: unsigned average: a + b wraps, so the mean can fall below both */
unsigned mean_u(unsigned a, unsigned b) {
    unsigned m = (a + b) / 2;
    assert(m >= (a < b ? a : b) && m <= (a > b ? a : b));
    return m;
}

/* no-overflow: signed average: a + b overflows */
int mean(int a, int b) {
    return (a + b) / 2;
}

/* assert: unsigned wrap-around: a + 7 wraps for a near UINT_MAX, so the rounded-up quotient is 0 */
unsigned ceil_div_8(unsigned a) {
    unsigned q = (a + 7) / 8;
    assert((unsigned long long)q * 8 >= a);
    return q;
}

/* returns-true: integer promotion: a + b is an int and never wraps, so the carry test is never true */
int carry_u8(unsigned char a, unsigned char b) {
    int carry = a + b < a;
    return carry == (a + b > 255);
}

/* returns-true: signed/unsigned comparison: i is converted to unsigned, so -1 < limit is false */
int negative_is_below(int i, unsigned limit) {
    __VERIFIER_assume(i < 0);
    return i < limit;
}

/* assert: char sign: plain char is signed, so bytes >= 0x80 give negative values */
int byte_value(char c) {
    int v = c;
    assert(v >= 0 && v <= 255);
    return v;
}

/* no-overflow: integer promotion: unsigned short operands are promoted to int, whose product overflows */
unsigned short_product(unsigned short a, unsigned short b) {
    return a * b;
}

/* returns-true: integer promotion: ~x is computed in int, so it is never 0 for an unsigned char */
int all_ones(unsigned char x) {
    int r = ~x == 0;
    return r == (x == 255);
}

/* no-overflow: the overflow check comes after the overflowing addition */
int add_saturating(int a, int b) {
    int s = a + b;
    if (b > 0 && s < a)
        return INT_MAX;
    if (b < 0 && s > a)
        return INT_MIN;
    return s;
}

/* no-overflow: precondition too weak: a price up to INT_MAX / 3 overflows on the fourth item */
int order_total(int price, int qty) {
    __VERIFIER_assume(price >= 0 && price <= INT_MAX / 3 && qty >= 0 && qty <= 4);
    int total = 0;
    for (int i = 0; i < qty; i++)
        total += price;
    return total;
}

/* assert: array loop bound: i < 3 misses the last element of the array */
int max_of_4(int p, int q, int r, int s) {
    int a[4] = {p, q, r, s};
    int m = a[0];
    for (int i = 1; i < 3; i++)
        if (a[i] > m)
            m = a[i];
    assert(m >= a[3]);
    return m;
}

/* assert: array loop bound: swapping over the whole array swaps each pair back again */
int reverse_3(int p, int q, int r) {
    int a[3] = {p, q, r};
    for (int i = 0; i < 3; i++) {
        int t = a[i];
        a[i] = a[2 - i];
        a[2 - i] = t;
    }
    assert(a[0] == r && a[1] == q && a[2] == p);
    return a[0];
}

/* assert: clamp mistake: values above hi are clamped to lo */
int clamp(int x, int lo, int hi) {
    __VERIFIER_assume(lo <= hi);
    int r = x < lo ? lo : x > hi ? lo : x;
    assert(x < lo ? r == lo : x > hi ? r == hi : r == x);
    return r;
}

/* assert: macro precedence: MAX(a, b) + 1 expands to a > b ? a : b + 1 */
#define MAX(a, b) a > b ? a : b
unsigned max_plus_1(unsigned a, unsigned b) {
    unsigned r = MAX(a, b) + 1;
    assert(r == (a > b ? a + 1 : b + 1));
    return r;
}

/* assert: off-by-one loop: i < n stops before n, so the sum misses its last term */
unsigned sum_to(unsigned n) {
    __VERIFIER_assume(n <= 5);
    unsigned s = 0;
    for (unsigned i = 0; i < n; i++)
        s += i;
    assert(s == n * (n + 1) / 2);
    return s;
}

/* assert: off-by-one loop: only 7 of the byte's 8 bits are counted */
int popcount_8(unsigned char x) {
    int c = 0;
    unsigned v = x;
    for (int i = 0; i < 7; i++) {
        c += v & 1;
        v >>= 1;
    }
    assert(v == 0 && (c == 0) == (x == 0) && (c == 8) == (x == 255));
    return c;
}

/* no-overflow (ILP32): data model: long is only 32 bits wide there, so widening to long does not help */
long wide_sum(int a, int b) {
    return (long)a + b;
}
