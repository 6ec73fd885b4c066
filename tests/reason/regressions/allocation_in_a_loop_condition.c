/* function: f
   property: returns-true
   wrong: yes
   found: red team, session 18: an allocation in a loop's condition (or a `for` step, or a do-while's
     condition) runs at every pass, but only a loop's body counted as "inside a loop", so the two
     blocks shared one object in the model and keep == cur was proved
   gcc: each alloca gives a new block; f(0) returns 0 at -O0 and -O2
   fixed: a loop's condition and step count as repeating (Frame.repeating), and an allocation there
     is unknown, as in the body */
#include <alloca.h>

int f(int n)
{
    char *cur, *keep = 0;
    int i = n & 0;
    while ((cur = alloca(1)) != 0 && i < 2) {
        if (i == 0) {
            keep = cur;
            *keep = 5;
        } else {
            *cur = 6;
            return *keep == 6;
        }
        i++;
    }
    return 1;
}
