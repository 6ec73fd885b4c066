/* function: f
   property: returns-true
   wrong: yes
   found: red team (issue 30): __VERIFIER_assume was lowered as an assumption even where the program
     defines it (assume_abort_if_not and __VERIFIER_assert were not)
   gcc: this __VERIFIER_assume does nothing; f(3) returns 0 */
void __VERIFIER_assume(int c)
{
}

int f(int a)
{
    __VERIFIER_assume(a != 3);
    return a != 3;
}
