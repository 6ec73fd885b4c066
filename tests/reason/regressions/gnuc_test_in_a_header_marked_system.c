/* function: f
   property: returns-true
   wrong: yes
   found: red team round 2 (issue 30): `#pragma GCC system_header` in the program's own header made
     gcc's line markers call it a system header, so its `__GNUC__` test escaped the check of the
     program's own files (the analysis preprocesses without __GNUC__ and read `return 1`)
   gcc: f() returns 0
   fixed: a file is a system header only if the marker entering it says so (preprocess.SystemFiles);
     the pragma's later markers leave it the program's, and the answer is unknown naming __GNUC__ */
#include "gnuc_test_in_a_header_marked_system.h"

int f(void)
{
    return g();
}
