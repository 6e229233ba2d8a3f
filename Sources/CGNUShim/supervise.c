#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "CGNUShim.h"

// Everything below the fork runs in a child of a multithreaded process, where only
// async-signal-safe calls are allowed (no malloc, no locks, no stdio): syscalls and the few
// libc functions POSIX lists as such. Every string was prepared by the caller before the fork.

static void report(int fd, int tag, int value) {
    int message[2] = {tag, value};
    ssize_t written;
    do {
        written = write(fd, message, sizeof message);
    } while (written < 0 && errno == EINTR);
}

/// Closes every descriptor from `lowest` up (close_range, else one by one).
static void close_from(int lowest) {
#ifdef SYS_close_range
    if (syscall(SYS_close_range, (unsigned)lowest, ~0U, 0) == 0) return;
#endif
    struct rlimit limit;
    int highest = 65536;
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < 1048576)
        highest = (int)limit.rlim_cur;
    for (int fd = lowest; fd < highest; fd++) close(fd);
}

/// The command, in the supervisor's process group: default signals, an empty mask, exec.
/// Runs in a vfork child: it touches no memory of the supervisor's but its own stack frame.
static void exec_command(const struct sodarcache_supervised *spec) {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    // ETXTBSY: another thread of the parent may have just written the executable and a fork
    // taken meanwhile still holds it open for writing for a moment.
    for (int attempt = 0; attempt < 20; attempt++) {
        execve(spec->path, spec->argv, spec->envp);
        if (errno != ETXTBSY) break;
        struct timespec pause = {0, 5000000L * (attempt + 1)};
        nanosleep(&pause, NULL);
    }
    report(3, SODARCACHE_REPORT_EXEC_FAILED, errno);
    _exit(127);
}

static void supervise(const struct sodarcache_supervised *spec, pid_t parent) {
    // Handlers of the parent (Swift's backtracer, dispatch sources) must not run here; every
    // signal stays blocked, taken below by sigwaitinfo.
    struct sigaction defaults;
    memset(&defaults, 0, sizeof defaults);
    defaults.sa_handler = SIG_DFL;
    for (int number = 1; number < NSIG; number++) {
        if (number != SIGKILL && number != SIGSTOP) sigaction(number, &defaults, NULL);
    }
    // A group of our own, which the command joins: the parent's killpg on a timeout or a
    // cancel reaches all of it, and a terminal's Ctrl-C (sent to the foreground group) does not.
    if (setpgid(0, 0) != 0) {
        report(spec->report_fd, SODARCACHE_REPORT_SUPERVISOR_FAILED, errno);
        _exit(127);
    }
    // The kernel sends SIGTERM when the parent (strictly: the thread that forked us) dies.
    if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0) {
        report(spec->report_fd, SODARCACHE_REPORT_SUPERVISOR_FAILED, errno);
        _exit(127);
    }
    // The parent may have died before the prctl: then no signal comes, and nothing may start.
    if (getppid() != parent) _exit(127);

    // Descriptors: first above 10 so none is overwritten by the next dup2 (the parent may
    // have started with 0, 1 or 2 closed, and a pipe then took that number).
    int in = fcntl(spec->stdin_fd, F_DUPFD, 10);
    int out = fcntl(spec->stdout_fd, F_DUPFD, 10);
    int err = fcntl(spec->stderr_fd, F_DUPFD, 10);
    int rep = fcntl(spec->report_fd, F_DUPFD, 10);
    if (in < 0 || out < 0 || err < 0 || rep < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0
        || dup2(rep, 3) < 0 || fcntl(3, F_SETFD, FD_CLOEXEC) < 0) {
        report(spec->report_fd, SODARCACHE_REPORT_SUPERVISOR_FAILED, errno);
        _exit(127);
    }
    // Nothing else of the parent's: another command's pipe kept open here would keep that
    // command's reader waiting.
    close_from(4);
    if (spec->cwd != NULL && chdir(spec->cwd) != 0) {
        report(3, SODARCACHE_REPORT_CHDIR_FAILED, errno);
        _exit(127);
    }
    // A backstop should the parent's own timeout never come (the parent stopped, say).
    if (spec->backstop_seconds > 0) alarm(spec->backstop_seconds);

    // vfork: the supervisor is one thread, and the child only execs or reports and exits. A
    // fork would copy the page tables of the whole parent process a second time.
    pid_t command = vfork();
    if (command < 0) {
        report(3, SODARCACHE_REPORT_SUPERVISOR_FAILED, errno);
        _exit(127);
    }
    if (command == 0) exec_command(spec);

    sigset_t awaited;
    sigemptyset(&awaited);
    int numbers[] = {SIGCHLD, SIGTERM, SIGALRM, SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2};
    for (unsigned index = 0; index < sizeof numbers / sizeof numbers[0]; index++) sigaddset(&awaited, numbers[index]);
    for (;;) {
        int number = sigwaitinfo(&awaited, NULL);
        if (number < 0) continue;
        if (number == SIGCHLD) {
            int status;
            if (waitpid(command, &status, WNOHANG) != command) continue;
            // The command ended: say how, then end whatever it left running in the group,
            // this supervisor with it.
            report(3, SODARCACHE_REPORT_EXITED, status);
            kill(0, SIGKILL);
            _exit(0);
        }
        // The parent died, the backstop rang, or someone asked: the whole group goes.
        kill(0, SIGKILL);
        _exit(1);
    }
}

pid_t sodarcache_spawn_supervised(const struct sodarcache_supervised *spec) {
    // Blocked across the fork so that no handler of this process runs in the child before
    // the supervisor has reset them; restored here right after.
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) supervise(spec, parent);
    int saved = errno;
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    errno = saved;
    return pid;
}
