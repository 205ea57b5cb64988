#!/usr/bin/env bash
# Builds the part of the container image's root file system that is not the application itself:
#   /opt/java                           a Java runtime made by jlink with the modules cart-rescue needs
#   /lib64, /lib/x86_64-linux-gnu,      the shared libraries that runtime and RocksDB's JNI library link against,
#   /usr/lib/x86_64-linux-gnu           from the Debian packages pinned in debian-packages.txt
#   /usr/share/doc/<package>/copyright  their licences
#   /app/libs/rocksdbjni-linux64-*.jar  RocksDB's jar with the x86-64 glibc library only
#   /tmp, the state directory           empty directories (/var/lib/cart-rescue in the Maven profile)
# The static files (/etc/passwd, /etc/group, /etc/nsswitch.conf) are in deploy/image/rootfs; the Maven profile
# `image` runs this script and gives both directories to Jib, which adds the application on top.
#
# Usage: build-rootfs.sh --jdk DIR --classes DIR --classpath-file FILE --state-dir PATH --out DIR [--cache DIR]
#   --jdk             a JDK with jmods/ (the build's own by default in the Maven profile)
#   --classes         the application's compiled classes
#   --classpath-file  its runtime class path (path-separator separated), as written by dependency:build-classpath
#   --state-dir       the state directory in the image (the state volume's mount path)
#   --out             where the root file system goes (emptied first)
#   --cache           where downloaded .deb files are kept between builds (default: <out>/../debs)
# Needs: apt-get and dpkg-deb (a Debian or Ubuntu host that reaches the Debian archive), sha256sum, readelf, unzip, zip.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
jdk="" classes="" classpath_file="" state_dir="" out="" cache=""
while [ $# -gt 0 ]; do
  case "$1" in
    --jdk) jdk="$2"; shift 2 ;;
    --classes) classes="$2"; shift 2 ;;
    --classpath-file) classpath_file="$2"; shift 2 ;;
    --state-dir) state_dir="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --cache) cache="$2"; shift 2 ;;
    *) echo "build-rootfs.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
for v in jdk classes classpath_file state_dir out; do
  [ -n "${!v}" ] || { echo "build-rootfs.sh: --${v//_/-} is required" >&2; exit 2; }
done
cache="${cache:-$(dirname "$out")/debs}"
for tool in apt-get dpkg-deb sha256sum readelf unzip zip; do
  command -v "$tool" >/dev/null || { echo "build-rootfs.sh: $tool is needed" >&2; exit 2; }
done
[ -f "$classpath_file" ] || { echo "build-rootfs.sh: no class path file $classpath_file" >&2; exit 2; }
[ -d "$jdk/jmods" ] || { echo "build-rootfs.sh: $jdk has no jmods/ (a full JDK is needed for jlink)" >&2; exit 2; }

rm -rf "$out"
mkdir -p "$out" "$cache"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# --- Java runtime -----------------------------------------------------------------------------------------------
# Modules the class path refers to (jdeps), and those it only needs at run time, which jdeps cannot see:
#   jdk.crypto.ec      elliptic-curve key exchange and certificates for TLS to the brokers and the schema registry
#   jdk.security.auth  JAAS login modules (Kerberos) for SASL/GSSAPI
#   jdk.security.jgss  the GSS-API extensions Kerberos uses
#   jdk.naming.dns     DNS look-ups of Kerberos KDCs
# Left out on purpose: jdk.crypto.cryptoki (PKCS#11 hardware tokens), jdk.localedata (only English messages),
# diagnostic tools (jcmd, jfr). java.desktop is needed for java.beans only (Jackson, SnakeYAML): its native
# libraries (AWT, fonts, sound, images), which would need X11 and font libraries, are excluded.
IFS=':' read -r -a jars < "$classpath_file" || true
echo "build-rootfs.sh: jdeps over $classes and ${#jars[@]} jars"
# All classes in one tree, as in the application's shaded jar: jdeps would otherwise treat the few modular jars as
# modules and insist on resolving their module graph.
mkdir -p "$work/classes"
for jar in "${jars[@]}"; do
  unzip -qq -o "$jar" '*.class' -d "$work/classes" 2>/dev/null || [ $? = 11 ] # 11: the jar has no classes
done
find "$work/classes" -name module-info.class -delete
cp -r "$classes/." "$work/classes/"
found="$("$jdk/bin/jdeps" --multi-release 17 --ignore-missing-deps --print-module-deps "$work/classes")"
modules="$(printf '%s\n' ${found//,/ } jdk.crypto.ec jdk.security.auth jdk.security.jgss jdk.naming.dns \
  | sort -u | paste -sd, -)"
echo "build-rootfs.sh: jlink --add-modules $modules"
"$jdk/bin/jlink" --add-modules "$modules" \
  --strip-debug --no-header-files --no-man-pages \
  --exclude-files='glob:/java.desktop/lib/**' \
  --output "$work/java"
mkdir -p "$out/opt"
# Without symbolic links (the legal notices are links to java.base's): Jib adds files, not links.
cp -rL "$work/java" "$out/opt/java"

# --- Shared libraries from Debian packages ----------------------------------------------------------------------
unpacked="$work/debs"
mkdir -p "$unpacked"
grep -v '^[[:space:]]*\(#\|$\)' "$here/debian-packages.txt" | while read -r package version sha256; do
  deb="$cache/${package}_${version//:/%3a}_amd64.deb"
  if [ ! -f "$deb" ] || ! echo "$sha256  $deb" | sha256sum --check --status; then
    rm -f "$deb"
    (cd "$cache" && apt-get download "$package=$version") || {
      echo "build-rootfs.sh: cannot download $package=$version; if Debian published a newer version, put it and" \
        "its SHA256 (apt-cache show $package=<version>) in deploy/image/debian-packages.txt" >&2
      exit 1
    }
  fi
  echo "$sha256  $deb" | sha256sum --check --quiet || { echo "build-rootfs.sh: $deb has the wrong SHA-256" >&2; exit 1; }
  dpkg-deb -x "$deb" "$unpacked"
  echo "build-rootfs.sh: $package $version"
done

copy() { # copy FILE-IN-PACKAGES [DEST-IN-ROOTFS]: the file itself, never a link to it
  local dest="$out/${2:-$1}"
  mkdir -p "$(dirname "$dest")"
  cp -L "$unpacked/$1" "$dest"
}
copy lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 lib64/ld-linux-x86-64.so.2
for lib in libc.so.6 libm.so.6 libpthread.so.0 libdl.so.2 librt.so.1 libgcc_s.so.1 libz.so.1; do
  copy "lib/x86_64-linux-gnu/$lib"
done
copy usr/lib/x86_64-linux-gnu/libstdc++.so.6
for package in libc6 zlib1g gcc-12-base; do
  copy "usr/share/doc/$package/copyright"
done

mkdir -p "$out/tmp" "$out/$state_dir"

# --- RocksDB for this platform only -----------------------------------------------------------------------------
# The rocksdbjni jar carries RocksDB built for 16 platforms (73 MB); the image needs the x86-64 glibc one. The Jib
# layer filter (pom.xml) leaves the jar out of the dependency layer and this copy, without the others, takes its place.
rocksdb_jar="$(printf '%s\n' "${jars[@]}" | grep -m1 '/rocksdbjni-[^/]*\.jar$' || true)"
[ -n "$rocksdb_jar" ] || { echo "build-rootfs.sh: no rocksdbjni jar on the class path" >&2; exit 1; }
slim="$out/app/libs/$(basename "$rocksdb_jar" | sed 's/^rocksdbjni-/rocksdbjni-linux64-/')"
mkdir -p "$(dirname "$slim")"
cp "$rocksdb_jar" "$slim"
chmod 644 "$slim"
others="$(unzip -Z1 "$slim" | grep -E '^librocksdbjni-|\.jnilib$|\.dll$' | grep -vx 'librocksdbjni-linux64.so')"
zip -q -d "$slim" $others
unzip -Z1 "$slim" | grep -x 'librocksdbjni-linux64.so' >/dev/null \
  || { echo "build-rootfs.sh: $rocksdb_jar has no librocksdbjni-linux64.so" >&2; exit 1; }

# --- Every library the runtime and RocksDB need is there --------------------------------------------------------
unzip -q -o "$slim" librocksdbjni-linux64.so -d "$work/rocksdb"
missing=0
while read -r elf; do
  for needed in $(readelf -d "$elf" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
    if [ ! -e "$out/lib/x86_64-linux-gnu/$needed" ] && [ ! -e "$out/usr/lib/x86_64-linux-gnu/$needed" ] \
      && [ ! -e "$out/lib64/$needed" ] && [ -z "$(find "$out/opt/java/lib" -name "$needed" -print -quit)" ]; then
      echo "build-rootfs.sh: $elf needs $needed, which the image does not have" >&2
      missing=1
    fi
  done
done < <(find "$out" "$work/rocksdb" -type f \( -name '*.so*' -o -path '*/bin/*' \))
[ "$missing" = 0 ] || exit 1

echo "build-rootfs.sh: $(du -sh "$out" | cut -f1) in $out ($("$out/opt/java/bin/java" -version 2>&1 | sed -n 2p))"
