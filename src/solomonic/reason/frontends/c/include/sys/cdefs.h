/* solomonic: the analysis preprocesses with __GNUC__ undefined so that glibc's headers stay plain C.
   Without __GNUC__, glibc's <sys/cdefs.h> defines __attribute__(xyz) away, and every attribute the
   program writes after its first #include would vanish before the analysis could see it (a packed
   struct would be read as an ordinary one). This wrapper keeps __attribute__ as written; the front
   end then drops the harmless attributes and refuses the ones it does not model. */
#include_next <sys/cdefs.h>
#undef __attribute__
