/* function: f
   property: returns-true
   wrong: yes
   found: red team round 2 (issue 30): __OPTIMIZE__ was not among the macros whose value the
     compilation chooses, and the analysis preprocesses as at -O0
   gcc: -O0 returns 1, -O2 (or -Os) defines __OPTIMIZE__ and returns 0; __NO_INLINE__ and
     __OPTIMIZE_SIZE__ differ the same way
   fixed: preprocess.COMPILATION_MACROS names them: unknown for every function that mentions one */
int f(void)
{
#ifdef __OPTIMIZE__
    return 0;
#else
    return 1;
#endif
}
