#include "ciauth_build_info.h"

/* CIAUTH_COMMIT is defined by Package.swift from the environment of release builds only
 * (make install, make dist), so development builds never recompile for a new commit. */
#ifndef CIAUTH_COMMIT
#define CIAUTH_COMMIT ""
#endif

const char *ciauth_build_commit(void)
{
	return CIAUTH_COMMIT;
}
