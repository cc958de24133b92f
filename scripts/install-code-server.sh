#!/usr/bin/env bash
# Installs code-server (VS Code in the browser) into .tools/code-server, for the extension-host
# tests, the UI tests and the sandbox. Idempotent: a second run only prints the path.
#
#   scripts/install-code-server.sh          # prints the absolute path of the code-server executable
#   CODE_SERVER_VERSION=4.100.3 CODE_SERVER_DEST=/opt/code-server scripts/install-code-server.sh
#
# Why a script and not a devDependency: code-server is ~300 MB, builds native modules and its
# postinstall downloads ripgrep from GitHub, which an offline machine cannot reach. We pre-seed
# the ripgrep download cache with the binary from the npm package @vscode/ripgrep-linux-x64.
#
# Progress goes to stderr; stdout is only the executable's path, so callers can capture it.
set -euo pipefail

VERSION="${CODE_SERVER_VERSION:-4.100.3}"   # newest code-server that runs on Node 20 (VS Code 1.100.3)
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="${CODE_SERVER_DEST:-$ROOT/.tools/code-server}"
BIN="$DEST/node_modules/.bin/code-server"
MARKER="$DEST/.installed-$VERSION"

log() { printf '[install-code-server] %s\n' "$*" >&2; }

if [ -f "$MARKER" ] && [ -x "$BIN" ]; then
  echo "$BIN"
  exit 0
fi

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) ;;
  *) log "only Linux x86_64 is scripted (ripgrep pre-seed); on other machines use @vscode/test-electron (test/host/runWithTestElectron.mjs)"; exit 1 ;;
esac

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" != "20" ]; then
  log "code-server $VERSION needs Node 20, this is Node $(node --version)"; exit 1
fi

# Native modules (kerberos) need the Kerberos headers.
if ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then log "please install libkrb5-dev (apt-get install -y libkrb5-dev)"; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  log "installing libkrb5-dev"
  if ! apt-get install -y libkrb5-dev >&2; then
    apt-get update >&2
    apt-get install -y libkrb5-dev >&2
  fi
fi

started=$(date +%s)
rm -rf "$DEST"
mkdir -p "$DEST"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# 1. Pre-seed ripgrep. @vscode/ripgrep's postinstall looks for
#    $TMPDIR/vscode-ripgrep-cache-<its version>/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
#    and runs `tar xvf <it> -C bin/`, expecting bin/rg. The version of @vscode/ripgrep that
#    code-server pins decides the cache folder name; we seed every version it might use.
log "pre-seeding ripgrep from @vscode/ripgrep-linux-x64"
( cd "$WORK" && npm pack --silent "@vscode/ripgrep-linux-x64@${RIPGREP_PKG_VERSION:-1.18.0}" >/dev/null )
mkdir -p "$WORK/rg-unpacked" "$WORK/rg-flat"
tar xzf "$WORK"/vscode-ripgrep-linux-x64-*.tgz -C "$WORK/rg-unpacked"
cp "$WORK/rg-unpacked/package/bin/rg" "$WORK/rg-flat/rg"
chmod 755 "$WORK/rg-flat/rg"
export TMPDIR="$WORK/tmp"
mkdir -p "$TMPDIR"
for rgver in 1.15.9 1.15.10 1.15.11 1.15.12 1.15.13 1.15.14; do
  mkdir -p "$TMPDIR/vscode-ripgrep-cache-$rgver"
  tar czf "$TMPDIR/vscode-ripgrep-cache-$rgver/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$WORK/rg-flat" rg
done

# 2. Install into an isolated folder with its own package.json, so npm never touches the project.
cat >"$DEST/package.json" <<EOF
{ "name": "code-server-tool", "private": true, "description": "installed by scripts/install-code-server.sh" }
EOF
log "npm install code-server@$VERSION into .tools/code-server (about a minute)"
(
  cd "$DEST"
  export npm_config_yes=true npm_config_unsafe_perm=true npm_config_fund=false npm_config_audit=false
  # Don't let a GitHub token from the environment leak into download logs of postinstalls.
  unset GITHUB_TOKEN
  npm install --loglevel=error "code-server@$VERSION" >&2
)

if [ ! -x "$BIN" ]; then log "install finished but $BIN is missing"; exit 1; fi
RG="$(find "$DEST/node_modules/code-server/lib/vscode/node_modules/@vscode" -path '*ripgrep/bin/rg' -type f | head -n1)"
if [ -z "$RG" ]; then log "ripgrep was not installed into code-server"; exit 1; fi
# --version writes a default config file into $XDG_CONFIG_HOME; keep that out of the real home.
mkdir -p "$WORK/home"
HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/home/.config" XDG_DATA_HOME="$WORK/home/.local/share" "$BIN" --version >&2
touch "$MARKER"
log "installed in $(( $(date +%s) - started )) s"
echo "$BIN"
