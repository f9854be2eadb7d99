/**
 * Writing a bundle: staged first, then moved in, the index last.
 */
import * as fs from 'fs';
import * as path from 'path';
import { INDEX_FILE, json, PlatformBundle, utf8Slices } from './compute';

const STAGING_PREFIX = '.cozystack-staging-';
/** Objects up to which index.json is written as one string (about 30 MB of JSON). */
const WHOLE_INDEX_OBJECTS = 100_000;
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
      writeText(path.join(stage, file), content);
    }
    // A platform's index is about 300 bytes per object: whole as one string up to WHOLE_INDEX_OBJECTS
    // (the fastest way to write it), in pieces above (never one string of hundreds of megabytes).
    if (bundle.manifests.length <= WHOLE_INDEX_OBJECTS) writeText(path.join(stage, INDEX_FILE), json(bundle.index));
    else writeJson(path.join(stage, INDEX_FILE), bundle.index);

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
  printWarnings(bundle.warnings);
}

/** Warnings on stderr, one line each. @internal */
export function printWarnings(warnings: readonly string[]): void {
  for (const w of warnings) process.stderr.write(`[WARNING] ${w}\n`);
}

/**
 * Writes a string as UTF-8 a slice at a time: `writeFileSync` of a string converts all of it
 * first, a transient copy the size of the file (a third of a gigabyte for topology.json at
 * 100,000 tenants). Same bytes.
 */
function writeText(file: string, content: string): void {
  if (content.length <= SMALL_FILE) {
    fs.writeFileSync(file, content);
    return;
  }
  const fd = fs.openSync(file, 'w');
  try {
    // One buffer for every slice: a slice of n characters has at most 3n bytes of UTF-8.
    let buffer = Buffer.alloc(0);
    for (const part of utf8Slices(content)) {
      if (buffer.length < part.length * 3) buffer = Buffer.allocUnsafe(part.length * 3);
      const length = buffer.write(part, 0, 'utf8');
      for (let done = 0; done < length;) done += fs.writeSync(fd, buffer, done, length - done);
    }
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Writes `json(value)` (JSON.stringify with two spaces, and a newline) a piece at a time, so
 * that the text of a large index (95 MB at 100,000 tenants) is never one string. Same bytes.
 * @internal
 */
export function writeJson(file: string, value: unknown): void {
  const fd = fs.openSync(file, 'w');
  try {
    let buffer = Buffer.alloc(0);
    let pending: string[] = [];
    let size = 0;
    const flush = () => {
      const text = pending.join('');
      pending = [];
      size = 0;
      if (buffer.length < text.length * 3) buffer = Buffer.allocUnsafe(text.length * 3);
      const length = buffer.write(text, 0, 'utf8');
      for (let done = 0; done < length;) done += fs.writeSync(fd, buffer, done, length - done);
    };
    for (const piece of jsonPieces(value, '', 0)) {
      pending.push(piece);
      size += piece.length;
      if (size >= SLICE_CHARS) flush();
    }
    pending.push('\n');
    flush();
  } finally {
    fs.closeSync(fd);
  }
}

/** Characters gathered before a write. */
const SLICE_CHARS = 1_048_576;
/** Levels of objects and arrays that jsonPieces splits; deeper values are stringified whole, long arrays in chunks. */
const SPLIT_DEPTH = 3;
/** Elements of an array stringified at a time (an index lists every object of the platform in its waves). */
const CHUNK = 512;

/** JSON.stringify(value, null, 2) written at an indentation (JSON text has line breaks only between tokens). */
function indented(value: unknown, indent: string): string {
  const text = JSON.stringify(value, null, 2);
  return indent && text.includes('\n') ? text.replace(/\n/g, `\n${indent}`) : text;
}

/** Whether JSON.stringify writes the value as it is (not as an array or object of its own keys). */
function isLeaf(value: unknown): boolean {
  return value === null || typeof value !== 'object'
    || typeof (value as { toJSON?: unknown }).toJSON === 'function'
    || value instanceof Number || value instanceof String || value instanceof Boolean;
}

/**
 * The text of `JSON.stringify(value, null, 2)` at an indentation, in pieces: objects and arrays
 * are split down to SPLIT_DEPTH, arrays longer than CHUNK at any depth are stringified a chunk
 * of elements at a time, anything else whole. test/bundle-write.test.ts compares the two.
 * @internal
 */
export function* jsonPieces(value: unknown, indent: string, depth: number): Generator<string> {
  const isLongArray = Array.isArray(value) && value.length > CHUNK;
  if (isLeaf(value) || (depth >= SPLIT_DEPTH && !isLongArray)) {
    yield indented(value, indent);
    return;
  }
  const inner = `${indent}  `;
  const skipped = (v: unknown) => v === undefined || typeof v === 'function' || typeof v === 'symbol';
  if (Array.isArray(value)) {
    if (value.length === 0) {
      yield '[]';
      return;
    }
    yield '[\n';
    if (isLongArray) {
      for (let i = 0; i < value.length; i += CHUNK) {
        // "[\n  a,\n  b\n]" without its brackets is the elements' lines at two spaces.
        const text = indented(value.slice(i, i + CHUNK), indent);
        yield text.slice(2, -(2 + indent.length));
        yield i + CHUNK < value.length ? ',\n' : '\n';
      }
    } else {
      for (let i = 0; i < value.length; i++) {
        yield inner;
        if (skipped(value[i])) yield 'null';
        else yield* jsonPieces(value[i], inner, depth + 1);
        yield i < value.length - 1 ? ',\n' : '\n';
      }
    }
    yield `${indent}]`;
    return;
  }
  const keys = Object.keys(value as object).filter(k => !skipped((value as Record<string, unknown>)[k]));
  if (keys.length === 0) {
    yield '{}';
    return;
  }
  yield '{\n';
  for (let i = 0; i < keys.length; i++) {
    yield `${inner}${JSON.stringify(keys[i])}: `;
    yield* jsonPieces((value as Record<string, unknown>)[keys[i]], inner, depth + 1);
    yield i < keys.length - 1 ? ',\n' : '\n';
  }
  yield `${indent}}`;
}

/** Files up to this many characters are written in one call. */
const SMALL_FILE = 4_194_304;

function removeEmptyDirs(dir: string): void {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return;
  for (const e of fs.readdirSync(dir)) removeEmptyDirs(path.join(dir, e));
  if (fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
}
