#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/vfs.h>
#include <unistd.h>
#include "CGNUShim.h"

int sodarcache_cloexec_pipe(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

unsigned long sodarcache_file_system_type(const char *path) {
    struct statfs info;
    if (statfs(path, &info) != 0) return 0;
    return (unsigned long)info.f_type;
}
