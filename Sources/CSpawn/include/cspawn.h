#ifndef CSPAWN_H
#define CSPAWN_H

#include <spawn.h>

/// glibc's extensions that Swift's Glibc module does not show.
int cspawn_add_chdir(posix_spawn_file_actions_t *actions, const char *path);
int cspawn_add_close_from(posix_spawn_file_actions_t *actions, int lowest);
/// pipe2(fds, O_CLOEXEC).
int cspawn_pipe_cloexec(int fds[2]);

#endif
