/* function: main
   property: returns-true
   wrong: yes
   found: session 19 (red team): two literals "ab" were two objects, so a != b held
   gcc: merges equal literals even at -O0 (and a literal with the suffix of another at -O2), so main
     returns 0 for n <= 5; C11 6.4.5p7 leaves it unspecified whether the arrays are distinct
   fixed: == and != of non-null pointers into two string literals is an event that decides nothing
     (pointers.compare_objects) */
extern int __VERIFIER_nondet_int(void);

int main(void)
{
    int n = __VERIFIER_nondet_int();
    const char *a = "ab", *b = "ab";
    if (n > 5)
        return 1;
    return a != b;
}
