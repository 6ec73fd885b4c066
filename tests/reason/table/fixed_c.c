/* The fixed versions of the functions in buggy_c.c, for tests/reason/test_table.py: same names, same
 * specifications (__VERIFIER_assume preconditions, assert or returned postconditions). The comment
 * above each function names the property checked and the fix.
 */
#include <assert.h>
#include <limits.h>

extern void __VERIFIER_assume(int);

/* returns-true: fixed: odd means a non-zero remainder, of either sign */
int is_odd_low_bit(int x) {
    int odd = x % 2 != 0;
    return odd == (x & 1);
}

/* assert: fixed: a negative remainder is moved into 0..3 before it is subtracted */
int round_down_4(int x) {
    int m = x % 4;
    int r = x - (m < 0 ? m + 4 : m);
    assert(r <= x && x - r < 4);
    return r;
}

/* assert: fixed: one is subtracted from the truncated quotient when the remainder is negative */
int floor_half(int x) {
    int q = x / 2 - (x % 2 < 0);
    assert(x - 2 * q == 0 || x - 2 * q == 1);
    return q;
}

/* no-overflow: fixed: the magnitude is computed and returned as unsigned */
unsigned magnitude(int x) {
    return x < 0 ? 0u - (unsigned)x : (unsigned)x;
}

/* assert: fixed: the smaller operand is subtracted from the larger */
unsigned distance_u(unsigned a, unsigned b) {
    unsigned d = a > b ? a - b : b - a;
    assert(d <= (a > b ? a : b));
    return d;
}

/* assert: fixed: `i-- > 0` tests before the decrement, so the counter never wraps */
unsigned countdown_steps(unsigned n) {
    __VERIFIER_assume(n < 4);
    unsigned steps = 0;
    for (unsigned i = n + 1; i-- > 0 && steps < 8;)
        steps++;
    assert(steps == n + 1);
    return steps;
}

/* assert: fixed: `i + 1 < n` cannot wrap */
unsigned adjacent_pairs(unsigned n) {
    __VERIFIER_assume(n < 4);
    unsigned pairs = 0;
    for (unsigned i = 0; i + 1 < n && pairs < 8; i++)
        pairs++;
    assert(pairs == (n == 0 ? 0 : n - 1));
    return pairs;
}

/* assert: fixed: the halves are added, then the two low bits' carry */
unsigned mean_u(unsigned a, unsigned b) {
    unsigned m = a / 2 + b / 2 + (a % 2 + b % 2) / 2;
    assert(m >= (a < b ? a : b) && m <= (a > b ? a : b));
    return m;
}

/* no-overflow: fixed: the sum is computed in long long */
int mean(int a, int b) {
    return (int)(((long long)a + b) / 2);
}

/* assert: fixed: a / 8, plus one if there is a remainder */
unsigned ceil_div_8(unsigned a) {
    unsigned q = a / 8 + (a % 8 != 0);
    assert((unsigned long long)q * 8 >= a);
    return q;
}

/* returns-true: fixed: the sum is truncated to unsigned char before the comparison */
int carry_u8(unsigned char a, unsigned char b) {
    int carry = (unsigned char)(a + b) < a;
    return carry == (a + b > 255);
}

/* returns-true: fixed: the sign is tested first, and only a non-negative i is converted */
int negative_is_below(int i, unsigned limit) {
    __VERIFIER_assume(i < 0);
    return i < 0 || (unsigned)i < limit;
}

/* assert: fixed: the char is read as unsigned char */
int byte_value(char c) {
    int v = (unsigned char)c;
    assert(v >= 0 && v <= 255);
    return v;
}

/* no-overflow: fixed: one operand is converted to unsigned, so the product is unsigned */
unsigned short_product(unsigned short a, unsigned short b) {
    return (unsigned)a * b;
}

/* returns-true: fixed: ~x is truncated to unsigned char before the comparison */
int all_ones(unsigned char x) {
    int r = (unsigned char)~x == 0;
    return r == (x == 255);
}

/* no-overflow: fixed: the bounds are tested before adding */
int add_saturating(int a, int b) {
    if (b > 0 && a > INT_MAX - b)
        return INT_MAX;
    if (b < 0 && a < INT_MIN - b)
        return INT_MIN;
    return a + b;
}

/* no-overflow: fixed: the precondition bounds the price by INT_MAX / 4 */
int order_total(int price, int qty) {
    __VERIFIER_assume(price >= 0 && price <= INT_MAX / 4 && qty >= 0 && qty <= 4);
    int total = 0;
    for (int i = 0; i < qty; i++)
        total += price;
    return total;
}

/* assert: fixed: i < 4 visits every element */
int max_of_4(int p, int q, int r, int s) {
    int a[4] = {p, q, r, s};
    int m = a[0];
    for (int i = 1; i < 4; i++)
        if (a[i] > m)
            m = a[i];
    assert(m >= a[3]);
    return m;
}

/* assert: fixed: only the first half is swapped with the second */
int reverse_3(int p, int q, int r) {
    int a[3] = {p, q, r};
    for (int i = 0; i < 3 / 2; i++) {
        int t = a[i];
        a[i] = a[2 - i];
        a[2 - i] = t;
    }
    assert(a[0] == r && a[1] == q && a[2] == p);
    return a[0];
}

/* assert: fixed: values above hi are clamped to hi */
int clamp(int x, int lo, int hi) {
    __VERIFIER_assume(lo <= hi);
    int r = x < lo ? lo : x > hi ? hi : x;
    assert(x < lo ? r == lo : x > hi ? r == hi : r == x);
    return r;
}

/* assert: fixed: the macro's body and arguments are parenthesised */
#define MAX(a, b) ((a) > (b) ? (a) : (b))
unsigned max_plus_1(unsigned a, unsigned b) {
    unsigned r = MAX(a, b) + 1;
    assert(r == (a > b ? a + 1 : b + 1));
    return r;
}

/* assert: fixed: i <= n includes n */
unsigned sum_to(unsigned n) {
    __VERIFIER_assume(n <= 5);
    unsigned s = 0;
    for (unsigned i = 0; i <= n; i++)
        s += i;
    assert(s == n * (n + 1) / 2);
    return s;
}

/* assert: fixed: all 8 bits are counted */
int popcount_8(unsigned char x) {
    int c = 0;
    unsigned v = x;
    for (int i = 0; i < 8; i++) {
        c += v & 1;
        v >>= 1;
    }
    assert(v == 0 && (c == 0) == (x == 0) && (c == 8) == (x == 255));
    return c;
}

/* no-overflow (ILP32): fixed: long long is at least 64 bits wide under every data model */
long long wide_sum(int a, int b) {
    return (long long)a + b;
}
