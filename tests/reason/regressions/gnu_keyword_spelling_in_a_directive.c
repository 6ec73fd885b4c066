/* function: f
   property: returns-true
   wrong: yes
   found: red team (issue 30): the analysis preprocesses with -D__const=const (and the other GNU
     keyword spellings), so `#ifdef __const` chose the first branch
   gcc: __const is a keyword, not a macro: the #else branch is compiled and f returns 0 */
#ifdef __const
int f(int a)
{
    return 1;
}
#else
int f(int a)
{
    return 0;
}
#endif
