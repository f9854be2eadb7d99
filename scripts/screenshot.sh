#!/usr/bin/env bash
# Regenerates docs/topology.svg (the example platform's topology picture) and
# docs/topology.png (the same picture rendered by headless Chromium).
# Needs Debian's chromium (apt-get install -y chromium) and the project's node_modules.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CHROMIUM="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"
if [ -z "$CHROMIUM" ]; then
  echo "screenshot.sh: chromium not found; install it with: apt-get install -y chromium" >&2
  exit 1
fi
SCALE="${SCALE:-2}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p docs

# Synthesize the example platform into a scratch folder and render its topology.json.
OUT="$WORK/bundle" npx ts-node -P test/tsconfig.json -e "
  const { App } = require('cdk8s');
  const fs = require('fs');
  const { buildPlatform } = require('$ROOT/examples/platform');
  const { renderTopologySvg } = require('$ROOT/src/report');
  const app = new App({ outdir: process.env.OUT });
  buildPlatform(app);
  app.synth();
  const { parseTopology } = require('$ROOT/src/bundle/read');
  const file = process.env.OUT + '/topology.json';
  const topology = parseTopology(fs.readFileSync(file, 'utf8'), file);
  fs.writeFileSync('docs/topology.svg', renderTopologySvg(topology));
"

# The picture's own size, read from its root element.
read -r WIDTH HEIGHT < <(sed -n 's/.*<svg [^>]*width="\([0-9.]*\)" height="\([0-9.]*\)".*/\1 \2/p' docs/topology.svg | head -1)
cp docs/topology.svg "$WORK/topology.svg"
cat > "$WORK/index.html" <<HTML
<!DOCTYPE html>
<html><head><meta charset="utf-8"><style>html,body{margin:0;padding:0;background:#fff}img{display:block}</style></head>
<body><img src="topology.svg" width="$WIDTH" height="$HEIGHT" alt="topology"></body></html>
HTML
"$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor="$SCALE" \
  --default-background-color=ffffffff --window-size="$WIDTH,$HEIGHT" \
  --screenshot="$WORK/topology.png" "file://$WORK/index.html" >/dev/null 2>&1
mv "$WORK/topology.png" docs/topology.png
echo "wrote docs/topology.svg (${WIDTH}x${HEIGHT}) and docs/topology.png (x$SCALE)"
