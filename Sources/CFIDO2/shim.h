#ifndef CIAUTH_CFIDO2_SHIM_H
#define CIAUTH_CFIDO2_SHIM_H
#include <fido.h>
#include <fido/es256.h>
#include <fido/eddsa.h>
#endif
