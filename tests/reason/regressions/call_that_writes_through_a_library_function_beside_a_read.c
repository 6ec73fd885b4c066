/* function: main
   property: returns-true
   wrong: yes
   found: session 19 (red team of the recursion and loop-allocation work): a function whose only write
     was a call to memset was taken for one that writes no memory, so `x + set(&x)` was lowered in
     gcc's order
   gcc: returns 1 (x read as 0 after the call); the other order C allows reads 5 and returns 0
   fixed: callgraph counts a call to a modelled C library function whose definition writes through a
     pointer (memset, memcpy, strcpy, strcat, ...) or to free as a write */
#include <string.h>

int set(int *p) { memset(p, 0, sizeof *p); return 1; }

int main(void)
{
    int x = 5;
    int y = x + set(&x);
    return y == 1;
}
