#!/usr/bin/env bash
# Installs a sodarcache .deb (scripts/package.sh) into a throwaway root with dpkg and runs the
# installed binary as a server without Swift would: --version, --help, a demo store and a
# listing of it, with the Swift toolchain hidden where a mount namespace can be made.
# Fails if the binary needs any Swift library. Runs as root or as a normal user; touches
# nothing of the system (its dpkg database included).
#
#   scripts/check-package.sh .build/package/sodarcache_*.deb
set -euo pipefail

fail() { echo "check-package.sh: $*" >&2; exit 1; }

[ $# -eq 1 ] || { echo "usage: scripts/check-package.sh DEB" >&2; exit 64; }
deb=$(readlink -f "$1")
[ -f "$deb" ] || fail "no such package: $1"

root=$(mktemp -d /tmp/sodarcache-package-check.XXXXXX)
trap 'rm -rf "$root"' EXIT

# MARK: - Install

# A dpkg database holding only the packages the .deb depends on, copied from this system's, so
# that dpkg checks Depends (names and versions) against what is really installed here.
admin=$root/var/lib/dpkg
mkdir -p "$admin/info" "$admin/updates"
touch "$admin/available" "$admin/status"
depends=$(dpkg-deb --field "$deb" Depends)
[ -n "$depends" ] || fail "the package declares no Depends"
for dependency in $(printf '%s\n' "$depends" | tr ',' '\n' | awk 'NF { print $1 }'); do
    dpkg-query --status "$dependency" >> "$admin/status" 2>/dev/null \
        || fail "the package depends on $dependency, which is not installed here"
    echo >> "$admin/status"
    : > "$admin/info/$(dpkg-query --show --showformat='${binary:Package}' "$dependency").list"
done
# --force-not-root: dpkg refuses a normal user otherwise, though nothing here needs root.
dpkg --root="$root" --force-not-root --log=/dev/null --install "$deb"
binary=$root/usr/bin/sodarcache
[ -x "$binary" ] || fail "no /usr/bin/sodarcache after installing"

for file in usr/share/man/man1/sodarcache.1.gz usr/share/bash-completion/completions/sodarcache \
    usr/share/zsh/vendor-completions/_sodarcache usr/share/fish/vendor_completions.d/sodarcache.fish \
    usr/share/doc/sodarcache/copyright; do
    [ -s "$root/$file" ] || fail "the package has no /$file"
done
# Read whole before matching: `zcat | grep -q` fails under pipefail whenever grep stops at its
# match while zcat is still writing (SIGPIPE), which a longer page makes likely.
man_page=$(zcat "$root/usr/share/man/man1/sodarcache.1.gz")
grep -q '^\.Dt SODARCACHE 1' <<<"$man_page" || fail "the man page is not one for sodarcache(1)"
bash -n "$root/usr/share/bash-completion/completions/sodarcache" || fail "the bash completion script does not parse"

# MARK: - No Swift at run time

libraries=$(ldd "$binary")
echo "$libraries"
swift_libraries=$(printf '%s\n' "$libraries" | grep -E 'libswift|libFoundation|lib_Foundation|libdispatch|libBlocksRuntime' | awk '{ print $1 }' | paste -sd ' ' || true)
[ -z "$swift_libraries" ] || fail "the installed binary needs Swift's libraries: $swift_libraries"
missing=$(printf '%s\n' "$libraries" | grep 'not found' | awk '{ print $1 }' | paste -sd ' ' || true)
[ -z "$missing" ] || fail "the installed binary needs libraries not installed: $missing"
runpath=$(readelf -d "$binary" | sed -n 's/.*(RUNPATH).*\[\(.*\)\]/\1/p; s/.*(RPATH).*\[\(.*\)\]/\1/p')
case $runpath in *swift* | */opt/*) fail "the installed binary looks for libraries in $runpath" ;; esac

# MARK: - Run it

# The checks, run in a clean environment: no LD_LIBRARY_PATH, no PATH into a toolchain, a home
# and XDG directories of their own so that nothing outside the temporary root is written.
cat > "$root/run-checks.sh" <<'EOF'
set -eu
root=$1
binary=$root/usr/bin/sodarcache
version=$("$binary" --version)
echo "$version"
printf '%s\n' "$version" | grep -Eq '^sodarcache [0-9]+\.[0-9]+\.[0-9]+ \(.+\)$' || { echo "unexpected --version: $version" >&2; exit 1; }
usage=$("$binary" --help)
printf '%s\n' "$usage" | grep -q 'USAGE: sodarcache' || { echo "--help printed no usage" >&2; exit 1; }
"$binary" demo --no-browse --db "$root/demo/cache.sqlite3"
listed=$("$binary" --db "$root/demo/cache.sqlite3" ls | wc -l)
[ "$listed" -gt 1 ] || { echo "the demo store lists no items" >&2; exit 1; }
echo "demo store: $listed lines listed"
EOF
mkdir -p "$root/home" "$root/demo"
clean_env=(env -i "HOME=$root/home" "XDG_DATA_HOME=$root/home/data" "XDG_CONFIG_HOME=$root/home/config"
    "PATH=/usr/bin:/bin" "LANG=C.UTF-8" "TERM=dumb")

# Hide the toolchain (a tmpfs over it, in a mount namespace of our own) so that a library
# found there could not make the checks pass; where namespaces are not allowed, the ldd check
# above stands alone.
toolchain=""
if command -v swift >/dev/null 2>&1; then
    toolchain=$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")
fi
if [ -n "$toolchain" ] && unshare --mount --map-root-user true 2>/dev/null; then
    echo "running the installed binary with $toolchain hidden"
    "${clean_env[@]}" unshare --mount --map-root-user \
        sh -c 'mount -t tmpfs none "$1" && [ -z "$(ls -A "$1")" ] && shift && exec sh "$@"' \
        sh "$toolchain" "$root/run-checks.sh" "$root"
else
    echo "running the installed binary (no mount namespace here: the toolchain stays visible; ldd checked above)"
    "${clean_env[@]}" sh "$root/run-checks.sh" "$root"
fi
echo "package check passed: $(basename "$deb")"
