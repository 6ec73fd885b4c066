/* function: f
   property: returns-true
   wrong: yes
   found: red team (issue 30): the analysis preprocesses without GNU mode (__STRICT_ANSI__, no
     __GNUC__), where glibc's <limits.h> leaves PATH_MAX (POSIX) undefined, so the fallback below was
     read
   gcc: -std=gnu11 defines PATH_MAX (4096) in <limits.h>; f returns 0 */
#include <limits.h>
#ifndef PATH_MAX
#define PATH_MAX 256
#endif

int f(int a)
{
    return PATH_MAX == 256;
}
