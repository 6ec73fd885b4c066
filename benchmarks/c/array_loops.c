/* Loops over arrays, as SV-COMP's array-examples and loop-acceleration folders write them: fill,
 * copy, search and check, over arrays far too long to unroll. Each function is one question
 * (`--property assert`); the comment before it says the expected answer.
 *
 *   solomonic check benchmarks/c/array_loops.c --property assert --timeout 10 --jobs 1 --no-memory
 */
extern int __VERIFIER_nondet_int(void);
extern void reach_error(void);
void __VERIFIER_assert(int cond) { if (!cond) reach_error(); }

#define N 100000

/* yes: b is a copy of a, whatever a holds */
int copy(void) {
    int a[N], b[N];
    for (int i = 0; i < N; i++) a[i] = __VERIFIER_nondet_int();
    for (int i = 0; i < N; i++) b[i] = a[i];
    for (int x = 0; x < N; x++) __VERIFIER_assert(b[x] == a[x]);
    return 0;
}

/* yes: a copy of a copy */
int copy_twice(void) {
    int a[N], b[N], c[N];
    for (int i = 0; i < N; i++) a[i] = __VERIFIER_nondet_int();
    for (int i = 0; i < N; i++) b[i] = a[i];
    for (int i = 0; i < N; i++) c[i] = b[i];
    for (int x = 0; x < N; x++) __VERIFIER_assert(c[x] == a[x]);
    return 0;
}

/* yes: the copy's index moves with the original's */
int copy_two_indices(void) {
    int a[N], b[N];
    int j = 0;
    for (int i = 0; i < N; i++) a[i] = __VERIFIER_nondet_int();
    for (int i = 0; i < N; i++) { b[j] = a[i]; j++; }
    for (int i = 0; i < N; i++) __VERIFIER_assert(a[i] == b[i]);
    return 0;
}

/* yes: b is a reversed */
int reverse(void) {
    int a[N], b[N];
    for (int i = 0; i < N; i++) a[i] = __VERIFIER_nondet_int();
    for (int i = 0; i < N; i++) b[N - 1 - i] = a[i];
    for (int x = 0; x < N; x++) __VERIFIER_assert(b[x] == a[N - 1 - x]);
    return 0;
}

/* yes: every cell set to its index (an unsigned counter) */
int fill_index(void) {
    int a[N];
    for (unsigned int i = 0; i < N; i++) a[i] = i;
    for (unsigned int i = 0; i < N; i++) __VERIFIER_assert(a[i] == (int)i);
    return 0;
}

/* yes: each cell one more than the one before */
int running(void) {
    int a[N];
    a[0] = 0;
    for (int i = 1; i < N; i++) a[i] = a[i - 1] + 1;
    for (int j = 0; j < N; j++) __VERIFIER_assert(a[j] == j);
    return 0;
}

/* yes: filled from the top down */
int fill_down(void) {
    int a[N];
    for (int i = N - 1; i >= 0; i--) a[i] = 7;
    for (int i = 0; i < N; i++) __VERIFIER_assert(a[i] == 7);
    return 0;
}

/* yes: the minimum is at most every cell */
int minimum(void) {
    int a[N];
    for (int i = 0; i < N; i++) a[i] = __VERIFIER_nondet_int();
    int m = a[0];
    for (int i = 0; i < N; i++) if (a[i] < m) m = a[i];
    for (int i = 0; i < N; i++) __VERIFIER_assert(a[i] >= m);
    return 0;
}

/* yes: the maximum is at least every cell */
int maximum(void) {
    int a[N];
    for (int i = 0; i < N; i++) a[i] = __VERIFIER_nondet_int();
    int m = a[0];
    for (int i = 0; i < N; i++) if (a[i] > m) m = a[i];
    for (int i = 0; i < N; i++) __VERIFIER_assert(m >= a[i]);
    return 0;
}

/* yes: the non-negative cells go to b, the others to c */
int partition(void) {
    int a[N], b[N], c[N];
    int nb = 0, nc = 0;
    for (int i = 0; i < N; i++) a[i] = __VERIFIER_nondet_int();
    for (int i = 0; i < N; i++) {
        if (a[i] >= 0) { b[nb] = a[i]; nb++; }
        else { c[nc] = a[i]; nc++; }
    }
    for (int x = 0; x < nb; x++) __VERIFIER_assert(b[x] >= 0);
    for (int x = 0; x < nc; x++) __VERIFIER_assert(c[x] < 0);
    return 0;
}

/* yes: a flag that stays 1 only while the arrays agree */
int compare(void) {
    int a[N], b[N];
    for (int i = 0; i < N; i++) { a[i] = __VERIFIER_nondet_int(); b[i] = __VERIFIER_nondet_int(); }
    int same = 1;
    for (int i = 0; i < N; i++) if (a[i] != b[i]) same = 0;
    if (same) for (int x = 0; x < N; x++) __VERIFIER_assert(a[x] == b[x]);
    return 0;
}

/* yes: a clamp keeps every cell non-negative */
int clamp(void) {
    int a[N];
    for (int i = 0; i < N; i++) {
        int v = __VERIFIER_nondet_int();
        if (v < 0) v = 0;
        a[i] = v;
    }
    for (int i = 0; i < N; i++) __VERIFIER_assert(a[i] >= 0);
    return 0;
}

/* yes: the search stops at the marker, in bounds because no cell before it holds the marker */
int sentinel(void) {
    int a[N];
    int marker = __VERIFIER_nondet_int(), pos = __VERIFIER_nondet_int();
    if (pos < 0 || pos >= N) return 0;
    for (int i = 0; i < N; i++) a[i] = __VERIFIER_nondet_int();
    a[pos] = marker;
    int i = 0;
    while (a[i] != marker) i++;
    __VERIFIER_assert(i <= pos);
    return 0;
}

/* yes: through a pointer parameter, as long as the caller promises (`[static n]`) */
void zero(int n, int a[static n]) {
    for (int i = 0; i < n; i++) a[i] = 0;
    for (int j = 0; j < n; j++) __VERIFIER_assert(a[j] == 0);
}

/* no: the last cell is never copied (any value but a[N - 1] there fails) */
int copy_one_short(void) {
    int a[8], b[8];
    for (int i = 0; i < 8; i++) a[i] = __VERIFIER_nondet_int();
    for (int i = 0; i < 7; i++) b[i] = a[i];
    for (int x = 0; x < 8; x++) __VERIFIER_assert(b[x] == a[x]);
    return 0;
}

/* no: the fill stops one short of the check */
int fill_short(void) {
    int a[16];
    for (int i = 0; i < 16; i++) a[i] = 0;
    for (int i = 0; i < 15; i++) a[i] = 1;
    for (int i = 0; i < 16; i++) __VERIFIER_assert(a[i] == 1);
    return 0;
}

/* no: the minimum is not above the cells */
int minimum_wrong(void) {
    int a[8];
    for (int i = 0; i < 8; i++) a[i] = __VERIFIER_nondet_int();
    int m = a[0];
    for (int i = 0; i < 8; i++) if (a[i] < m) m = a[i];
    for (int i = 0; i < 8; i++) __VERIFIER_assert(a[i] > m);
    return 0;
}
