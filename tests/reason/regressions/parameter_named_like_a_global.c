/* function: f
   property: returns-true
   wrong: yes
   found: red team (issue 30): the parameter g and the global g that h reads were one variable of the
     model (both named `g`), so h() == g held by construction
   gcc: the global is any value when f is entered (0 in a fresh run): f(5) returns 0 */
int g;

int h(void)
{
    return g;
}

int f(int g)
{
    return h() == g;
}
