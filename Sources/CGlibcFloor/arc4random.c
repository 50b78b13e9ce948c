// The shipped binary links libstdc++ from its archive (scripts/shipped-build.sh). GCC 12's
// archive calls arc4random, which glibc has only since 2.36; defining it here, on getrandom,
// keeps the binary's glibc floor at 2.35 (Ubuntu 22.04) instead of raising it for that one call.
// Like glibc's, it never fails: without the kernel's random source nothing is worth running.
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/random.h>

static void fill(void *buffer, size_t length) {
    unsigned char *cursor = buffer;
    while (length > 0) {
        ssize_t got = getrandom(cursor, length, 0);
        if (got < 0) {
            if (errno == EINTR) continue;
            abort();
        }
        cursor += got;
        length -= (size_t)got;
    }
}

uint32_t arc4random(void) {
    uint32_t value;
    fill(&value, sizeof value);
    return value;
}

void arc4random_buf(void *buffer, size_t length) {
    fill(buffer, length);
}

uint32_t arc4random_uniform(uint32_t upper_bound) {
    if (upper_bound < 2) return 0;
    // Rejection sampling: values below 2^32 mod upper_bound would make small results likelier.
    uint32_t minimum = -upper_bound % upper_bound;
    for (;;) {
        uint32_t value = arc4random();
        if (value >= minimum) return value % upper_bound;
    }
}
