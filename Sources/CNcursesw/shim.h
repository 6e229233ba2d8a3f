#ifndef CNCURSESW_SHIM_H
#define CNCURSESW_SHIM_H
// The wide-character API (cchar_t, mvadd_wch, get_wch) is only declared with this.
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <langinfo.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>
#include <ncursesw/ncurses.h>
#include <ncursesw/term.h>

// Swift 6 rejects ncurses' mutable globals and cannot import its attribute macros.
static inline WINDOW *shim_stdscr(void) { return stdscr; }
static inline int shim_cols(void) { return COLS; }
static inline int shim_lines(void) { return LINES; }
static inline attr_t shim_a_normal(void) { return A_NORMAL; }
static inline attr_t shim_a_bold(void) { return A_BOLD; }
static inline attr_t shim_a_reverse(void) { return A_REVERSE; }
static inline attr_t shim_a_underline(void) { return A_UNDERLINE; }
static inline attr_t shim_a_dim(void) { return A_DIM; }

/// newterm on the process's stdout/stdin (Swift 6 rejects the C globals).
static inline SCREEN *shim_newterm(void) { return newterm(NULL, stdout, stdin); }
static inline void shim_flush_stdout(void) { fflush(stdout); }

/// Draws one cell: up to CCHARW_MAX wide characters (a base and combining marks).
static inline int shim_put_cell(int y, int x, const wchar_t *text, int count, attr_t attrs, short pair) {
    wchar_t buffer[CCHARW_MAX + 1];
    int n = count < CCHARW_MAX ? count : CCHARW_MAX;
    for (int i = 0; i < n; i++) buffer[i] = text[i];
    buffer[n] = L'\0';
    cchar_t cell;
    if (setcchar(&cell, buffer, attrs, pair, NULL) != OK) return ERR;
    return mvadd_wch(y, x, &cell);
}

/// get_wch: OK with a character, KEY_CODE_YES with a KEY_* code, ERR on timeout.
static inline int shim_get_wch(unsigned int *out) {
    wint_t ch = 0;
    int rc = get_wch(&ch);
    *out = (unsigned int)ch;
    return rc;
}

/// 0 when the terminal named by TERM is known and can address the cursor;
/// -1 unknown terminal, -2 no cursor addressing, -3 cannot clear the screen.
static inline int shim_check_terminal(void) {
    int err = 0;
    if (setupterm(NULL, 1, &err) != OK) return -1;
    char *cup = tigetstr("cup");
    char *clear = tigetstr("clear");
    int result = 0;
    if (cup == NULL || cup == (char *)-1) result = -2;
    else if (clear == NULL || clear == (char *)-1) result = -3;
    del_curterm(cur_term);
    return result;
}

// MARK: - Mouse

static inline mmask_t shim_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t shim_button1_released(void) { return BUTTON1_RELEASED; }
static inline mmask_t shim_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t shim_button5_pressed(void) { return BUTTON5_PRESSED; }

/// Turns on clicks and the wheel, reported at once (no click interval). ncurses picks the
/// report format from terminfo: SGR (1006, any column) when `kmous` is \E[<, as for xterm;
/// else X10, which cannot say a column past 223 (tmux-256color, screen). There it also asks
/// for SGR reports and binds their prefix to `sgr_code`; the caller parses the rest. A
/// terminal without 1006 (GNU screen) ignores the request and keeps sending X10.
/// Returns 0 when the terminal has no mouse, 1 with ncurses' own format, 2 with SGR added.
static inline int shim_mouse_on(int sgr_code) {
    mmask_t mask = BUTTON1_PRESSED | BUTTON1_RELEASED | BUTTON4_PRESSED | BUTTON5_PRESSED;
    if (mousemask(mask, NULL) == 0) return 0;
    mouseinterval(0);
    char *kmous = tigetstr("kmous");
    if (kmous != NULL && kmous != (char *)-1 && strcmp(kmous, "\033[<") == 0) return 1;
    define_key("\033[<", sgr_code);
    // Straight to the terminal: through putp the request sat in stdio's buffer, which ncurses
    // does not flush, and never reached tmux (measured).
    fputs("\033[?1006h", stdout);
    fflush(stdout);
    return 2;
}

/// Gives the mouse back to the terminal.
static inline void shim_mouse_off(int added_sgr) {
    if (added_sgr) {
        fputs("\033[?1006l", stdout);
        fflush(stdout);
    }
    mousemask(0, NULL);
}

static inline int shim_locale_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset != NULL && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
}

// MARK: - Signals and terminal restore

// State lives in function-local statics: Swift imports header functions but not
// file-scope static variables.
static inline volatile sig_atomic_t *shim_pending_storage(void) {
    static volatile sig_atomic_t pending = 0;
    return &pending;
}
static inline struct termios *shim_termios_storage(void) {
    static struct termios saved;
    return &saved;
}
static inline volatile sig_atomic_t *shim_have_termios_storage(void) {
    static volatile sig_atomic_t have = 0;
    return &have;
}

/// Asks the UI loop to stop (SIGINT, SIGTERM, SIGHUP): it restores the terminal itself.
static void shim_on_stop_signal(int sig) { *shim_pending_storage() = sig; }

/// A crash: put the terminal back with async-signal-safe calls, then die as the signal asks.
static void shim_on_crash_signal(int sig) {
    if (*shim_have_termios_storage()) tcsetattr(STDIN_FILENO, TCSANOW, shim_termios_storage());
    static const char reset[] = "\033[0m\033[?1006l\033[?1000l\033[?25h\033[?1049l\r\n";
    ssize_t ignored = write(STDOUT_FILENO, reset, sizeof reset - 1);
    (void)ignored;
    signal(sig, SIG_DFL);
    raise(sig);
}

static inline void shim_install_signal_handlers(void) {
    if (tcgetattr(STDIN_FILENO, shim_termios_storage()) == 0) *shim_have_termios_storage() = 1;
    struct sigaction stop;
    memset(&stop, 0, sizeof stop);
    stop.sa_handler = shim_on_stop_signal;
    sigemptyset(&stop.sa_mask);
    sigaction(SIGINT, &stop, NULL);
    sigaction(SIGTERM, &stop, NULL);
    sigaction(SIGHUP, &stop, NULL);
    struct sigaction crash;
    memset(&crash, 0, sizeof crash);
    crash.sa_handler = shim_on_crash_signal;
    sigemptyset(&crash.sa_mask);
    sigaction(SIGSEGV, &crash, NULL);
    sigaction(SIGBUS, &crash, NULL);
    sigaction(SIGILL, &crash, NULL);
    sigaction(SIGTRAP, &crash, NULL);
    sigaction(SIGABRT, &crash, NULL);
    sigaction(SIGFPE, &crash, NULL);
}

static inline void shim_remove_signal_handlers(void) {
    int signals[] = {SIGINT, SIGTERM, SIGHUP, SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE};
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) signal(signals[i], SIG_DFL);
}

/// The stop signal received since the last call, or 0.
static inline int shim_take_pending_signal(void) {
    int sig = *shim_pending_storage();
    *shim_pending_storage() = 0;
    return sig;
}

#endif
