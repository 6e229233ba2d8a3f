#!/usr/bin/env bash
# Builds a Debian package of sodarcache for servers with no Swift toolchain:
#
#   scripts/package.sh            -> .build/package/sodarcache_VERSION_ARCH.deb
#
# The binary is a release build with Swift's standard library, Foundation and Dispatch linked
# in (-static-stdlib), stripped; the man page comes from the command definitions
# (swift-argument-parser's generate-manual plugin), the bash, zsh and fish completions from the
# binary itself. The package's Depends are computed from what the binary links (ldd, dpkg -S),
# with the lowest versions dpkg-shlibdeps reads from Debian's symbols files. Prints the path of
# the .deb on its last line. Needs dpkg-dev and binutils besides Swift (.ci/run installs them).
set -euo pipefail
cd "$(dirname "$0")/.."

out=.build/package
stage=$out/root
package=sodarcache

fail() { echo "package.sh: $*" >&2; exit 1; }

for tool in swift:swift strip:binutils readelf:binutils dpkg-deb:dpkg dpkg-shlibdeps:dpkg-dev gzip:gzip ldd:libc-bin; do
    command -v "${tool%%:*}" >/dev/null 2>&1 || fail "${tool%%:*} not found: install the Debian package ${tool#*:}"
done

# MARK: - The binary

echo "== release build (static Swift runtime)"
started=$(date +%s)
swift build -c release --product sodarcache -Xswiftc -static-stdlib
echo "release build: $(( $(date +%s) - started )) s"
built="$(swift build -c release --product sodarcache -Xswiftc -static-stdlib --show-bin-path)/sodarcache"
[ -x "$built" ] || fail "no binary at $built after the build"

rm -rf "$out"
mkdir -p "$stage/DEBIAN" "$stage/usr/bin"
binary=$stage/usr/bin/sodarcache
install -m 0755 "$built" "$binary"
size_before=$(stat -c %s "$binary")
# --strip-all keeps what Swift needs at run time (its metadata sections are allocated, not
# symbols); backtraces lose function names, as every Debian binary without -dbgsym does.
strip --strip-all "$binary"
size_after=$(stat -c %s "$binary")
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
echo "binary: $(mib "$size_before") ($size_before bytes) before strip, $(mib "$size_after") ($size_after bytes) after"

# A Swift library left dynamic would be missing on a server without the toolchain.
swift_libraries=$(ldd "$binary" | grep -E 'libswift|libFoundation|lib_Foundation|libdispatch|libBlocksRuntime' | awk '{ print $1 }' | paste -sd ' ' || true)
[ -z "$swift_libraries" ] || fail "the binary still needs Swift's libraries: $swift_libraries"
missing=$(ldd "$binary" | grep 'not found' | awk '{ print $1 }' | paste -sd ' ' || true)
[ -z "$missing" ] || fail "libraries not found: $missing"

# MARK: - Version

version_line=$("$binary" --version)
release=$(printf '%s\n' "$version_line" | sed -n 's/^sodarcache \([0-9][0-9.]*\) (.*$/\1/p')
[ -n "$release" ] || fail "cannot read the release from --version: $version_line"
commit=$(printf '%s\n' "$version_line" | sed -n 's/^.*(commit \([0-9a-f]*\).*$/\1/p')
# Debian versions sort: a build after a commit sorts above the plain release, and builds of
# later commits (by committer date) above earlier ones.
version=$release
man_date=$(date -u +%Y-%m-%d)
if [ -n "$commit" ]; then
    if epoch=$(git log -1 --format=%ct "$commit" 2>/dev/null) && [ -n "$epoch" ]; then
        version="$release+git$(date -u -d "@$epoch" +%Y%m%d).$commit"
        man_date=$(date -u -d "@$epoch" +%Y-%m-%d)
        export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$epoch}
    else
        version="$release+git.$commit"
    fi
    case $version_line in *"uncommitted changes"*) version="$version.modified" ;; esac
fi
echo "version: $version_line -> $version"

# MARK: - Man page and completions

echo "== man page (generate-manual)"
# The debug configuration: the man page is read from the command definitions, which a debug
# build has too, and after `swift test` (as in .ci/run) that build is already there. A release
# configuration would rebuild everything without -static-stdlib.
manual=.build/plugins/GenerateManual/outputs/sodarcache/sodarcache.1
rm -f "$manual"   # a page left by an earlier run must not pass for this one's
started=$(date +%s)
swift package plugin generate-manual --configuration debug --date "$man_date"
echo "man page: $(( $(date +%s) - started )) s"
[ -s "$manual" ] || fail "generate-manual wrote no $manual"
mkdir -p "$stage/usr/share/man/man1"
gzip -9n < "$manual" > "$stage/usr/share/man/man1/sodarcache.1.gz"

# Where Debian's bash-completion, zsh and fish packages look for a package's completions.
mkdir -p "$stage/usr/share/bash-completion/completions" "$stage/usr/share/zsh/vendor-completions" \
    "$stage/usr/share/fish/vendor_completions.d"
"$binary" --generate-completion-script bash > "$stage/usr/share/bash-completion/completions/sodarcache"
"$binary" --generate-completion-script zsh > "$stage/usr/share/zsh/vendor-completions/_sodarcache"
"$binary" --generate-completion-script fish > "$stage/usr/share/fish/vendor_completions.d/sodarcache.fish"
for file in "$stage"/usr/share/bash-completion/completions/sodarcache "$stage"/usr/share/zsh/vendor-completions/_sodarcache \
    "$stage"/usr/share/fish/vendor_completions.d/sodarcache.fish; do
    [ -s "$file" ] || fail "empty completion script $file"
done

# MARK: - Copyright

doc=$stage/usr/share/doc/$package
mkdir -p "$doc"
# Plain text, not the machine-readable format: the statically linked parts are not files of
# this package that a Files: pattern could name.
license_of() { # NAME FILE
    printf '\n\n==== %s ====\n\n' "$1"
    cat "$2"
}
{
    cat <<EOF
sodarcache, built by scripts/package.sh from: $version_line

The sodarcache source tree states no license of its own.

The binary /usr/bin/sodarcache contains, statically linked:
 - the Swift standard library and runtime, Foundation (swift-foundation,
   swift-corelibs-foundation) and Dispatch (swift-corelibs-libdispatch), under the
   Swift toolchain's license, Apache License 2.0 with Runtime Library Exception;
 - ICU as Foundation bundles it (swift-foundation-icu), under the Unicode, Inc.
   license (https://github.com/swiftlang/swift-foundation-icu);
 - the Swift packages named below, under the licenses that follow.
On Debian systems the Apache License 2.0 is also in /usr/share/common-licenses/Apache-2.0.
EOF
    license_of "Swift toolchain (standard library, runtime, Foundation, Dispatch)" \
        "$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")/share/swift/LICENSE.txt"
    for checkout in .build/checkouts/*; do
        for file in "$checkout"/LICENSE "$checkout"/LICENSE.txt "$checkout"/LICENSE.md; do
            if [ -f "$file" ]; then license_of "$(basename "$checkout")" "$file"; fi
        done
    done
} > "$doc/copyright"

# MARK: - Depends

# Each library the binary names (DT_NEEDED), where ldd finds it, and the Debian package that
# owns that file. The libraries those libraries need come with their own packages' Depends.
arch=$(dpkg --print-architecture)
owner_of() { # PATH: the package owning PATH, trying the forms merged-/usr systems record it under
    local path=$1 real candidate found
    real=$(readlink -f "$path")
    for candidate in "$path" "$real" "${path#/usr}" "/usr${path#/usr}" "${real#/usr}" "/usr${real#/usr}"; do
        found=$(dpkg-query -S "$candidate" 2>/dev/null | sed -n '1s/[:,].*//p') || true
        [ -n "$found" ] && { echo "$found"; return 0; }
    done
    return 1
}
declare -A owners=()
needed=$(readelf -d "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
for soname in $needed; do
    path=$(ldd "$binary" | awk -v so="$soname" '$1 == so && $2 == "=>" { print $3 } $1 ~ "/" so "$" { print $1 }' | head -n 1)
    [ -n "$path" ] || fail "ldd does not show where $soname is"
    owner=$(owner_of "$path") || fail "no Debian package owns $path ($soname): dpkg -S found nothing"
    owners[$owner]=1
    echo "needs $soname: $path, from $owner"
done
[ ${#owners[@]} -gt 0 ] || fail "found no shared libraries in $binary"

# The lowest versions that carry the symbols the binary uses, from Debian's symbols files.
shlibdeps_dir=$out/shlibdeps
mkdir -p "$shlibdeps_dir/debian"
printf 'Source: %s\n\nPackage: %s\nArchitecture: any\n' "$package" "$package" > "$shlibdeps_dir/debian/control"
shlibs=$(cd "$shlibdeps_dir" && dpkg-shlibdeps -O -e"../root/usr/bin/sodarcache" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
depends=""
for owner in $(printf '%s\n' "${!owners[@]}" | sort); do
    constraint=$(printf '%s\n' "$shlibs" | tr ',' '\n' | sed 's/^ *//' | awk -v p="$owner" '$1 == p { $1 = ""; sub(/^ /, ""); print; exit }')
    depends="${depends:+$depends, }$owner${constraint:+ $constraint}"
done
# dpkg-shlibdeps naming a package dpkg -S did not find (or the reverse) is a mapping gone wrong.
shlib_packages=$(printf '%s\n' "$shlibs" | tr ',' '\n' | awk 'NF { print $1 }' | sort -u)
owner_packages=$(printf '%s\n' "${!owners[@]}" | sort -u)
[ "$shlib_packages" = "$owner_packages" ] \
    || fail "dpkg -S found [$(echo $owner_packages)] but dpkg-shlibdeps [$(echo $shlib_packages)]"
echo "Depends: $depends"

# MARK: - Control and package

installed_size=$(du -sk --apparent-size "$stage/usr" | cut -f1)
maintainer="${DEBFULLNAME:-sodarcache packager} <${DEBEMAIL:-$(id -un)@$(hostname -f 2>/dev/null || hostname)}>"
cat > "$stage/DEBIAN/control" <<EOF
Package: $package
Version: $version
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $installed_size
Depends: $depends
Section: utils
Priority: optional
Description: cache browser and manager for SODAR sites
 sodarcache reimplements SODAR Core's cache app (sodarcache) over SQLite or
 PostgreSQL: a SODAR site's own tables, or a store shared by many hosts. It has
 SODAR's management commands (synccache, deletecache) and more on the command
 line, and a terminal browser that shows what is cached, re-syncs a project
 and clears stale entries.
 .
 Built with the Swift runtime and Foundation linked in: no Swift toolchain is
 needed where it is installed.
EOF

deb=$out/${package}_${version}_${arch}.deb
# --root-owner-group: files owned by root in the package, without fakeroot or root.
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
echo "package: $(stat -c %s "$deb") bytes"
echo "$deb"
