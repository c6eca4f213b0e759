#!/usr/bin/env bash
# Installs what `make run` and `make test` need and is missing; a second run
# takes about a second. Only package registries are used (Debian apt, npm,
# crates.io). Not root: apt-get goes through sudo.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "setup: $*"; }

# Debian packages, each for a reason:
DEB_PACKAGES=(
  build-essential            # C compiler and make for the -sys crates and bundled SQLite
  pkg-config                 # lets the GTK/WebKit -sys crates find their libraries
  libwebkit2gtk-4.1-dev      # the window: Tauri 2 on Linux renders with WebKitGTK 4.1
  libgtk-3-dev               # native window, menus, file dialogs
  librsvg2-dev               # SVG icons in GTK
  xvfb                       # a virtual screen for the end-to-end test (and screenshots)
  xauth                      # Xvfb's cookie tool (xvfb-run needs it)
  webkit2gtk-driver          # /usr/bin/WebKitWebDriver, driven by tauri-driver in the e2e test
  imagemagick                # `import -window root`: full-screen screenshots in the e2e test
  fonts-dejavu-core          # a font for WebKit's fallback text under Xvfb
  strace                     # the no-network test watches the CLI for sockets
  xdotool                    # e2e: types into the native file dialog and drags files onto the window (XTEST)
  python3-gi                 # e2e: the GTK drag source (tests/e2e/xdnd-source.py) that offers files for the drop
  gir1.2-gtk-3.0             # e2e: GTK 3 for that drag source
)

missing=()
for p in "${DEB_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2> /dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ! command -v node > /dev/null || ! command -v npm > /dev/null; then
  missing+=(nodejs npm)
fi
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  say "installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Rust comes from rustup (not a registry we may download from): say so clearly.
if ! command -v cargo > /dev/null; then
  echo "setup: cargo not found. Install Rust with rustup (https://rustup.rs), then run make again." >&2
  exit 1
fi

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  echo "setup: Node.js $(node --version) is too old for the UI build (Vite needs 20.19 or newer)." >&2
  echo "       Install Node.js 20 or 22 (for example from NodeSource or nvm), then run make again." >&2
  exit 1
fi

# Node packages for ui/, exactly as locked; again only when the lock file changed.
stamp=ui/node_modules/.rebound-lock
if [ ! -f "$stamp" ] || ! cmp -s ui/package-lock.json "$stamp"; then
  say "installing Node packages for ui/ (npm ci)"
  (cd ui && npm ci --no-audit --no-fund --loglevel=error)
  cp ui/package-lock.json "$stamp"
fi

# tauri-driver: the WebDriver bridge between the e2e test and the app.
if ! command -v tauri-driver > /dev/null && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
  say "installing tauri-driver from crates.io"
  cargo install tauri-driver --version '^2' --locked --quiet
fi

say "everything needed is installed"
