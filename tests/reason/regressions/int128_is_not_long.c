/* function: f
   property: returns-true
   wrong: yes
   found: bench soundness against the front end of f57b28a, which preprocessed with -D__int128=long
   gcc: x = 2^63 makes w = 2^64 and w >> 63 = 2, so f returns 0 */
int f(unsigned long x)
{
    unsigned __int128 w = (unsigned __int128) x + x;
    return (unsigned long) (w >> 63) <= 1;
}
