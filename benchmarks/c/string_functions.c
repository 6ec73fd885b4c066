/* String and array helpers as people write them, for the pointer parameters of the analysed function
   (src/solomonic/reason/frontends/c/pointers.py): each `char *` parameter is a string of any length
   and contents, each `int *` the first of any number n >= 1 of elements, which every answer says it
   assumes. Asked with --property all: assert (no assertion fails and no undefined behaviour, e.g. a
   read past the end, is reachable), no-overflow, terminates, returns-true. */

#include <assert.h>
#include <ctype.h>
#include <stddef.h>
#include <string.h>

size_t my_strlen(const char *s) { size_t n = 0; while (s[n]) n++; return n; }

int is_palindrome(const char *s) {
  size_t n = strlen(s);
  if (n == 0) return 1;
  size_t i = 0, j = n - 1;
  while (i < j) { if (s[i] != s[j]) return 0; i++; j--; }
  return 1;
}

int all_digits(const char *s) { for (; *s; s++) if (*s < '0' || *s > '9') return 0; return 1; }

int my_strcmp(const char *a, const char *b) {
  while (*a && *a == *b) { a++; b++; }
  return (unsigned char) *a - (unsigned char) *b;
}

unsigned hash(const char *s) { unsigned h = 5381; while (*s) h = h * 33 + (unsigned char) *s++; return h; }

int atoi_bounded(const char *s) {
  int v = 0;
  while (*s >= '0' && *s <= '9' && v < 100000) { v = v * 10 + (*s - '0'); s++; }
  return v;
}

void reverse(char *s) {
  size_t n = strlen(s);
  for (size_t i = 0; i < n / 2; i++) { char t = s[i]; s[i] = s[n - 1 - i]; s[n - 1 - i] = t; }
}

/* the C library's string and character functions (their C11 text) and string literals */
int is_https(const char *url) { return strncmp(url, "https://", 8) == 0; }

int has_extension(const char *name) { const char *dot = strrchr(name, '.'); return dot != 0 && dot[1] != 0; }

int is_yes(const char *answer) { return strcmp(answer, "yes") == 0 || strcmp(answer, "y") == 0; }

int is_number(const char *s) {
  while (isspace((unsigned char) *s)) s++;
  if (!*s) return 0;
  for (; *s; s++) if (!isdigit((unsigned char) *s)) return 0;
  return 1;
}

/* clears four ints whether or not the array has four */
void clear4(int *a) { memset(a, 0, 4 * sizeof(int)); }

/* counts in an int: a string longer than INT_MAX characters overflows it */
int count_char(const char *s, char c) { int n = 0; for (; *s; s++) if (*s == c) n++; return n; }

/* reads a[1] whether or not the array has two elements */
int first_two_equal(const int *a) { return a[0] == a[1]; }

/* trusts n to be the array's length, which nothing says it is */
long sum(const int *a, unsigned n) { long t = 0; for (unsigned i = 0; i < n; i++) t += a[i]; return t; }

/* the same, where C's `[static n]` says the caller passes at least n elements */
long sum_static(unsigned n, const int a[static n]) { long t = 0; for (unsigned i = 0; i < n; i++) t += a[i]; return t; }

/* the assertion fails for "ab" */
void no_ab(const char *s) { assert(!(s[0] == 'a' && s[1] == 'b')); }

/* copies up to the terminator into a buffer of 8: too short for a long string */
int copy_short(const char *src) {
  char buf[8];
  size_t i = 0;
  while (src[i]) { buf[i] = src[i]; i++; }
  buf[i] = 0;
  return buf[0] == src[0];
}
