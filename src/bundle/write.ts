/**
 * Writing a bundle: staged first, then moved in, the index last.
 */
import * as fs from 'fs';
import * as path from 'path';
import { INDEX_FILE, json, PlatformBundle } from './compute';

const STAGING_PREFIX = '.cozystack-staging-';
const WAVE_FILE = /^wave-\d+\./;

/**
 * Writes a bundle into `outdir` so that no reader ever takes a half bundle for a whole
 * one: everything is written to a staging folder first; then the old index is removed
 * (a folder without `index.json` is an incomplete bundle), files are moved in, and the
 * new index goes in last. Files of an earlier bundle that this one no longer has are removed.
 * @internal
 */
export function writeBundle(outdir: string, bundle: PlatformBundle): void {
  fs.mkdirSync(outdir, { recursive: true });
  for (const stale of fs.readdirSync(outdir).filter(f => f.startsWith(STAGING_PREFIX))) {
    fs.rmSync(path.join(outdir, stale), { recursive: true, force: true });
  }
  const stage = fs.mkdtempSync(path.join(outdir, STAGING_PREFIX));
  try {
    for (const [file, content] of Object.entries(bundle.files)) {
      fs.mkdirSync(path.dirname(path.join(stage, file)), { recursive: true });
      fs.writeFileSync(path.join(stage, file), content);
    }
    fs.writeFileSync(path.join(stage, INDEX_FILE), json(bundle.index));

    const indexPath = path.join(outdir, INDEX_FILE);
    let previous: string[] = [];
    if (fs.existsSync(indexPath)) {
      try {
        previous = Object.keys(JSON.parse(fs.readFileSync(indexPath, 'utf8')).files ?? {});
      } catch {
        previous = [];
      }
      fs.unlinkSync(indexPath);
    }
    const stale = new Set([...previous, ...fs.readdirSync(outdir).filter(f => WAVE_FILE.test(f))]);
    for (const f of stale) {
      if (!(f in bundle.files)) fs.rmSync(path.join(outdir, f), { force: true });
    }
    removeEmptyDirs(path.join(outdir, 'clusters'));
    for (const file of Object.keys(bundle.files)) {
      fs.mkdirSync(path.dirname(path.join(outdir, file)), { recursive: true });
      fs.renameSync(path.join(stage, file), path.join(outdir, file));
    }
    fs.renameSync(path.join(stage, INDEX_FILE), indexPath);
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
  for (const w of bundle.warnings) process.stderr.write(`[WARNING] ${w}\n`);
}

function removeEmptyDirs(dir: string): void {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return;
  for (const e of fs.readdirSync(dir)) removeEmptyDirs(path.join(dir, e));
  if (fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
}
