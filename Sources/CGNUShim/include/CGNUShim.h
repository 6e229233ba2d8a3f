#ifndef SODARCACHE_CGNUSHIM_H
#define SODARCACHE_CGNUSHIM_H
#include <spawn.h>

/// glibc calls that Swift's Glibc module hides behind _GNU_SOURCE, declared with it (glibc 2.34+).

/// pipe2(fds, O_CLOEXEC): both ends close-on-exec, atomically. 0, or -1 with errno.
int sodarcache_cloexec_pipe(int fds[2]);
/// posix_spawn_file_actions_addchdir_np.
int sodarcache_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path);
/// posix_spawn_file_actions_addclosefrom_np: the child closes every descriptor from `lowest` up.
int sodarcache_spawn_addclosefrom(posix_spawn_file_actions_t *actions, int lowest);

#endif
