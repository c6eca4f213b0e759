#!/usr/bin/env bash
# `make package`: an installable .deb built by the Tauri bundler, then a check of
# what the package would install. The bundler is the @tauri-apps/cli npm package
# (a prebuilt binary from the npm registry), fetched here only: it is not in
# ui/package.json because its per-platform optional packages break `npm ci`.
set -euo pipefail
cd "$(dirname "$0")/.."

(cd ui && npx --no-install tsc --noEmit)
bash scripts/build-ui.sh
(cd src-tauri && npm exec --yes --package=@tauri-apps/cli@^2.12 -- tauri build --bundles deb --ci)

deb="$(ls -t target/release/bundle/deb/*.deb | head -n 1)"
contents="$(dpkg-deb -c "$deb")"
# The demo set is a Tauri resource (bundle.resources): "Explore demo data" reads it from /usr/lib/Rebound/demo.
for want in usr/bin/rebound-app usr/share/applications/Rebound.desktop usr/share/icons/hicolor/128x128/apps/rebound-app.png \
  usr/lib/Rebound/demo/expected.json usr/lib/Rebound/demo/sendgrid/events.jsonl usr/lib/Rebound/demo/mailbox/bounces.mbox; do
  grep -qE " (\./)?$want\$" <<< "$contents" || { echo "package: $deb lacks /$want" >&2; exit 1; }
done
dpkg-deb -f "$deb" Package Version Depends
echo "package: $deb ($(du -h "$deb" | cut -f1)) contains the app, its menu entry, icons and the demo data"
