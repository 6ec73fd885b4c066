/* Loops over bitwise operations and wrap-around counters (issue 25): the class of program these functions
 * share is C that walks the bits of a word, masks and shifts it, or counts in an unsigned type until it
 * wraps. `solomonic check benchmarks/c/bitwise_loops.c --property terminates`: docs/benchmarks.md,
 * "Bitwise loops". Each function says what its answer is and why. */

/* yes: each step clears the lowest set bit (x & (x - 1) <= x - 1) */
int clear_lowest(unsigned x) {
  while (x != 0) x &= x - 1;
  return 0;
}

/* yes: popcount; at most 32 steps, so the count cannot overflow */
int popcount(unsigned x) {
  int c = 0;
  while (x) { x &= x - 1; c++; }
  return c;
}

/* yes: each step sets the lowest clear bit (x | (x + 1) >= x + 1) */
int set_lowest_zero(unsigned x) {
  while (x < 0xFFFFFFF0u) x = x | (x + 1);
  return 0;
}

/* yes: a mask walks down from the top bit, clearing each bit of x */
unsigned clear_all(unsigned x) {
  unsigned m = 0x80000000u;
  while (m) { x &= ~m; m >>= 1; }
  return x;
}

/* yes: a Fenwick tree's walk down, by the lowest set bit (x & -x >= 1 for x > 0) */
int fenwick_down(int i) {
  while (i > 0) i -= i & -i;
  return i;
}

/* yes: a Fenwick tree's walk up to n */
int fenwick_up(int i, int n) {
  if (i < 1 || n > 1000000) return 0;
  while (i <= n) i += i & -i;
  return i;
}

/* yes: shifts out the trailing ones */
unsigned trailing_ones(unsigned x) {
  while (x & 1) x >>= 1;
  return x;
}

/* yes: halves while even */
unsigned strip_twos(unsigned x) {
  while (x % 2 == 0 && x != 0) x /= 2;
  return x;
}

/* yes: counts the set bits of each of 32 positions */
int bits_by_position(unsigned x) {
  int c = 0;
  for (int i = 0; i < 32; i++) if (x & (1u << i)) c++;
  return c;
}

/* yes: halves a signed positive number */
int halve_positive(int x) {
  while (x > 0) x = x >> 1;
  return x;
}

/* yes: down to 1 by halving or stepping down */
unsigned down_to_one(unsigned x) {
  while (x != 1 && x != 0) { if (x & 1) x = x - 1; else x = x >> 1; }
  return x;
}

/* yes: an unsigned short counter wraps 65535 to 0, which ends the loop */
int until_wrap(unsigned short s) {
  while (s != 0) s++;
  return 0;
}

/* yes: the same with an unsigned char started at 1 */
int char_until_wrap(void) {
  unsigned char c;
  int n = 0;
  for (c = 1; c != 0; c++) n++;
  return n;
}

/* yes: an unsigned char counting up by 3 past 200 */
int char_by_three(void) {
  unsigned char i = 0;
  while (i < 200) i += 3;
  return i;
}

/* yes: chases n around the unsigned circle (at most 2^32 - 1 steps) */
unsigned chase(unsigned i, unsigned n) {
  while (i != n) i++;
  return i;
}

/* yes: shifts left until every bit is gone (at most 32 steps) */
unsigned shift_out(unsigned x) {
  while (x != 0) x = x << 1;
  return x;
}

/* no: x ^ 15 goes 1, 14, 1, 14, ... */
int xor_mask_cycle(unsigned x) {
  while (x != 0) x = x ^ 0xFu;
  return 0;
}

/* no: x ^ 1 goes 12, 13, 12, ... */
int xor_one_cycle(unsigned x) {
  while (x > 10) x = x ^ 1u;
  return 0;
}

/* no: an arithmetic shift of a negative number stops at -1 */
int shift_negative(int x) {
  while (x != 0) x = x >> 1;
  return 0;
}

/* no: an unsigned char never reaches an n above 255 */
int char_below(int n) {
  unsigned char c;
  for (c = 0; c < n; c++) ;
  return 0;
}

/* no: an unsigned counter is never below 0 */
int unsigned_down(unsigned n) {
  for (unsigned i = n; i >= 0; i--) ;
  return 0;
}
