#ifndef CIAUTH_CFIDO2_SHIM_H
#define CIAUTH_CFIDO2_SHIM_H
/* Declarations only: the functions come from CFIDO2Loader, which opens libfido2 when first needed. */
#include <fido.h>
#include <fido/es256.h>
#include <fido/eddsa.h>
#endif
