#ifndef SODARCACHE_CGNUSHIM_H
#define SODARCACHE_CGNUSHIM_H
#include <sys/types.h>

/// glibc calls that Swift's Glibc module hides behind _GNU_SOURCE, declared with it, and the
/// supervisor command apps run under (supervise.c: fork, prctl, async-signal-safe calls only).

/// pipe2(fds, O_CLOEXEC): both ends close-on-exec, atomically. 0, or -1 with errno.
int sodarcache_cloexec_pipe(int fds[2]);

/// statfs(path)'s f_type: the kind of file system `path` is on (Linux's magic numbers), or 0
/// when it cannot be told.
unsigned long sodarcache_file_system_type(const char *path);

/// What sodarcache_spawn_supervised starts; every string and array is made before the fork.
struct sodarcache_supervised {
    /// The executable, already searched for on PATH.
    const char *path;
    char *const *argv;
    char *const *envp;
    /// The working directory, or NULL.
    const char *cwd;
    int stdin_fd;
    int stdout_fd;
    int stderr_fd;
    /// The write end of a close-on-exec pipe that gets one report: (tag, value), two ints.
    int report_fd;
    /// Seconds after which the supervisor kills the group by itself (0: never).
    unsigned int backstop_seconds;
};

/// Report tags: the command's wait status, or errno of what failed.
enum {
    SODARCACHE_REPORT_EXITED = 1,
    SODARCACHE_REPORT_EXEC_FAILED = 2,
    SODARCACHE_REPORT_CHDIR_FAILED = 3,
    SODARCACHE_REPORT_SUPERVISOR_FAILED = 4,
};

/// Forks a supervisor that leads a new process group, asks the kernel for SIGTERM when this
/// process dies (PR_SET_PDEATHSIG), starts the command in that group and, when the command
/// ends or this process dies, kills the whole group. Returns the supervisor's pid (the group
/// id), or -1 with errno.
pid_t sodarcache_spawn_supervised(const struct sodarcache_supervised *spec);

#endif
