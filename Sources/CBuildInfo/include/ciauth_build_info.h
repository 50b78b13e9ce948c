#ifndef CIAUTH_BUILD_INFO_H
#define CIAUTH_BUILD_INFO_H
/* The commit the binary was built from ("" when the build had none, e.g. from a tarball). */
const char *ciauth_build_commit(void);
#endif
