/* function: f
   property: returns-true
   wrong: yes
   found: red team (issue 30): g is called before any prototype (an implicit declaration), so its
     int argument is passed as an int, and g's `long x` reads it as a long: undefined behaviour that
     the model lowered as a conversion to long
   gcc (x86-64, -O0): g(-1) sees x = 4294967295 and f(-1) returns 0 */
int f(int a)
{
    return g(a) == (a < 0);
}

int g(long x)
{
    return x < 0;
}
