/* Loops whose assertions need a polynomial invariant (the shape of SV-COMP's nla-digbench tasks),
   written for solomonic's sampled equalities (src/solomonic/reason/engines/sampled.py). Each bound
   keeps every value in range; `off_by_one` is false at k == 0. */

int triangle(int k) {
  int y = 0, x = 0, c = 0;
  if (k < 0 || k > 1000) return 1;
  while (c < k) { c = c + 1; y = y + 1; x = y + x; }
  return 2 * x == y * y + y;
}

int squares(int k) {
  int y = 0, x = 0, c = 0;
  if (k < 0 || k > 1000) return 1;
  while (c < k) { c = c + 1; y = y + 1; x = y * y + x; }
  return 6 * x == 2 * y * y * y + 3 * y * y + y;
}

int cubes(int a) {
  int n = 0, x = 0, y = 1, z = 6;
  if (a < 0 || a > 1000) return 1;
  while (n <= a) { n = n + 1; x = x + y; y = y + z; z = z + 6; }
  return z == 6 * n + 6 && y == 3 * n * n + 3 * n + 1;
}

int odd_sums(int n) {
  int i = 0, s = 0;
  if (n < 0 || n > 1000) return 1;
  while (i < n) { s = s + 2 * i + 1; i = i + 1; }
  return s == i * i;
}

int off_by_one(int k) {
  int y = 0, x = 0, c = 0;
  if (k < 0 || k > 1000) return 1;
  while (c < k) { c = c + 1; y = y + 1; x = y + x; }
  return 2 * x == y * y + y + 1;
}
