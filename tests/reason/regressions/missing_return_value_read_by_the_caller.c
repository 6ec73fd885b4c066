/* function: main
   property: assert
   wrong: no
   found: red team round 3 (issue 30, session 10): f(0) ends without a return and main reads its
     value, which was lowered as any value; gcc at -O0 leaves g()'s 0 in the register and the replay
     "confirmed" the failure
   gcc: C11 6.9.1p12 makes reading that value undefined
   fixed: a function that ends without a value whose caller reads it is undefined behaviour
     (lower.py, finish); where the caller discards it (an expression statement), the value is unread */
extern void reach_error(void);
int g(void) { return 0; }
int f(int x) { if (x) return 1; g(); }
int main(void) { if (f(0) == 0) reach_error(); return 0; }
