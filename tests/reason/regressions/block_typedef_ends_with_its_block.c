/* function: f
   property: returns-true
   wrong: yes
   found: red team (issue 30): a typedef in a block (or in an inlined callee) stayed in force after the
     block, so `T x = a` converted a to unsigned char
   gcc: T is int again after the block; f(-1) returns 0 */
typedef int T;

int f(int a)
{
    {
        typedef unsigned char T;
        T y = 0;
        (void) y;
    }
    T x = a;
    return x >= 0;
}
