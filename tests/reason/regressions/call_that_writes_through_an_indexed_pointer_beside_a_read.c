/* function: main
   property: returns-true
   wrong: yes
   found: session 19 (red team of the recursion and loop-allocation work): a function writing only
     through `p[0] = 2` was taken for one that writes no memory (its parameter looked like a local), so
     `rd(&x) + wr(&x)` was lowered in gcc's order
   gcc: returns 1 (rd reads 1 before wr writes 2); the other order C allows returns 0 (C11 6.5.2.2p10:
     the two calls are indeterminately sequenced)
   fixed: callgraph counts `p[i] = v` as a write through p unless p is an array the function declares */
int rd(int *p) { return p[0]; }
int wr(int *p) { p[0] = 2; return 0; }

int main(void)
{
    int x = 1;
    int y = rd(&x) + wr(&x);
    return y == 1;
}
