/* Struct objects, member by member (frontends/c/structs.py): the class of program these functions share
 * is C that keeps its state in structs, locals and main's globals, and hands them to helpers by pointer.
 * `solomonic check benchmarks/c/structs.c --property assert` (and returns-true, no-overflow, terminates):
 * docs/benchmarks.md, "Struct objects". Each function says what its answer is and why. */
extern int __VERIFIER_nondet_int(void);
extern void reach_error(void);
void __VERIFIER_assert(int cond) { if (!cond) reach_error(); }

struct point { int x; int y; };
struct box { struct point lo, hi; };
struct counter { unsigned count; int total; int seen[8]; };
struct account { int balance; int limit; };

static struct counter tally;  /* main's global: zero at the start */

/* yes: the copy is a copy, and the original is left alone */
int copy_then_change(int a) {
  if (a < -1000 || a > 1000) return 1;
  struct point p = { a, -a }, q;
  q = p;
  q.x += 1;
  __VERIFIER_assert(p.x == a && q.x == a + 1 && q.y == p.y);
  return 1;
}

/* yes: a box keeps lo <= hi through a loop that grows it */
int growing_box(int n) {
  struct box b = { { 0, 0 }, { 1, 1 } };
  for (int i = 0; i < n && i < 1000; i++) {
    b.hi.x += 2;
    b.lo.y -= 1;
  }
  __VERIFIER_assert(b.lo.x <= b.hi.x && b.lo.y <= b.hi.y);
  return 1;
}

/* yes: the members count together (the invariant relates two members) */
int steps_in_step(int n) {
  struct point p = { 0, 0 };
  if (n < 0 || n > 100000) return 1;
  while (p.x < n) {
    p.x++;
    p.y += 3;
  }
  __VERIFIER_assert(p.y == 3 * n);
  return 1;
}

/* no: an off-by-one in the claim, with a witness replayed */
int off_by_one(int n) {
  struct point p = { 0, 0 };
  if (n < 1 || n > 100) return 1;
  while (p.x < n) {
    p.x++;
    p.y += 2;
  }
  __VERIFIER_assert(p.y == 2 * n - 2);
  return 1;
}

/* yes: an array member filled, then checked everywhere (a quantified invariant over `c.seen`) */
int filled_member_array(void) {
  struct counter c = { 0 };
  for (int i = 0; i < 8; i++) {
    c.seen[i] = i * i;
    c.count++;
  }
  for (int i = 0; i < 8; i++) __VERIFIER_assert(c.seen[i] >= 0);
  __VERIFIER_assert(c.count == 8);
  return 1;
}

static void deposit(struct account *a, int amount) {
  if (amount > 0 && amount <= 1000) a->balance += amount;
}

static int withdraw(struct account *a, int amount) {
  if (amount <= 0 || amount > a->balance + a->limit) return 0;
  a->balance -= amount;
  return 1;
}

/* yes: the helpers keep balance >= -limit, whatever they are asked, ten times */
int account_never_overdrawn(void) {
  struct account acc = { .limit = 100 };
  struct account *p = &acc;
  for (int k = 0; k < 10; k++) {
    int m = __VERIFIER_nondet_int();
    if (__VERIFIER_nondet_int()) deposit(p, m); else withdraw(p, m);
  }
  __VERIFIER_assert(acc.balance >= -acc.limit);
  return 1;
}

/* no: without the limit's check an account goes below it */
int account_without_a_check(void) {
  struct account acc = { 0, 100 };
  int m = __VERIFIER_nondet_int();
  if (m > 0 && m < 1000) acc.balance -= m;
  __VERIFIER_assert(acc.balance >= -acc.limit);
  return 1;
}

/* yes: initialisers with braces elided fill members in order, and zero the rest */
int brace_elision(void) {
  struct box b = { 1, 2, 3 };
  __VERIFIER_assert(b.lo.x == 1 && b.lo.y == 2 && b.hi.x == 3 && b.hi.y == 0);
  return 1;
}

/* yes: an array of structs filled by a loop, then checked by another (per-member quantified facts) */
int table_of_pairs(void) {
  struct point t[1000];
  int n = __VERIFIER_nondet_int();
  if (n < 0 || n > 1000) return 1;
  for (int i = 0; i < n; i++) {
    t[i].x = __VERIFIER_nondet_int();
    t[i].y = t[i].x < 2147483647 ? t[i].x + 1 : t[i].x;
  }
  for (int i = 0; i < n; i++) __VERIFIER_assert(t[i].x <= t[i].y);
  return 1;
}

/* yes: main's global starts at zero and counts what main adds */
int main(void) {
  for (int k = 0; k < 8; k++) {
    tally.seen[k] = __VERIFIER_nondet_int() > 0;
    tally.count += tally.seen[k];
  }
  __VERIFIER_assert(tally.count <= 8 && tally.total == 0);
  return 0;
}
