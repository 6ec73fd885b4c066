/* Included by gnuc_test_in_a_header_marked_system.c: the program's own header, which calls itself a
   system header. */
#pragma GCC system_header
static int g(void)
{
#ifdef __GNUC__
    return 0;
#else
    return 1;
#endif
}
