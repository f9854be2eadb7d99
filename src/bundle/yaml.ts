/**
 * YAML that means what it says to the readers of the bundle: kubectl and Helm read
 * YAML 1.1 with Go's resolver, which takes more plain strings for numbers than the
 * YAML 1.1 spec does (strconv.ParseInt(s, 0, 64) accepts 0o12, 0x1F, 0b101). Every
 * string such a reader could take for something else is written quoted.
 */
import * as YAML from 'yaml';

/** Plain scalars Go's yaml.v2 resolves to a number (beyond what the YAML 1.1 schema already quotes). */
const GO_NUMBER = /^[-+]?(0[xXoObB][0-9a-fA-F_]*|[0-9][0-9_]*([.:][0-9_:]*)?([eE][-+]?[0-9]+)?|\.[0-9_]+([eE][-+]?[0-9]+)?)$/;

/** A line whose mapping key is a plain `<<` (possibly as the first key of a list item). */
const MERGE_KEY_LINE = /^((?:\s*- )*\s*)<<:/gm;
/** A line whose value is a plain `<<`. */
const MERGE_VALUE_LINE = /^(.*(?::|-) )<<$/gm;

function isAmbiguous(s: string): boolean {
  return s === '<<' || GO_NUMBER.test(s);
}

function quoteIfAmbiguous(node: YAML.Scalar): void {
  if (typeof node.value === 'string' && isAmbiguous(node.value)) node.type = 'QUOTE_DOUBLE';
}

/**
 * Whether any string of a plain value (map keys included) is one `quoteIfAmbiguous`
 * would quote. Most documents have none: they then skip the visit of the YAML node
 * tree, which costs more than this walk of the plain value (same output either way).
 */
function hasAmbiguousString(value: unknown): boolean {
  if (typeof value === 'string') return isAmbiguous(value);
  if (Array.isArray(value)) return value.some(hasAmbiguousString);
  if (value !== null && typeof value === 'object') {
    for (const k of Object.keys(value)) {
      if (isAmbiguous(k) || hasAmbiguousString((value as Record<string, unknown>)[k])) return true;
    }
  }
  return false;
}

/**
 * Documents as one YAML stream (`---` between them), YAML 1.1, no line folding. Takes a
 * list, not arguments: spreading 100,000+ arguments overflows the call stack.
 * @internal
 */
export function stringifyYamlDocs(docs: readonly unknown[]): string {
  return docs.map(d => fastDocument(d) ?? slowDocument(d)).join('---\n');
}

/**
 * Documents through the yaml library alone: the reference the fast path must equal
 * byte for byte (test/yaml-writer.test.ts compares them).
 * @internal
 */
export function stringifyYamlReference(docs: readonly unknown[]): string {
  return docs.map(slowDocument).join('---\n');
}

/** One document through the yaml library. */
function slowDocument(d: unknown): string {
  const doc = new YAML.Document(d, { version: '1.1' });
  if (hasAmbiguousString(d)) YAML.visit(doc, { Scalar: (_, node) => quoteIfAmbiguous(node) });
  // The yaml library always writes "<<" plain (it is YAML 1.1's merge key); no string of ours ever is one.
  const text = doc.toString({ lineWidth: 0 });
  return text.includes('<<') ? text.replace(MERGE_KEY_LINE, '$1"<<":').replace(MERGE_VALUE_LINE, '$1"<<"') : text;
}

// ---------------------------------------------------------------------------------
// Fast path. Manifests are small trees of maps, lists, single-line strings, integers
// and booleans; for those the yaml library's block output is simple enough to write
// directly, byte for byte the same, at a fraction of the time and garbage (it builds
// a node tree per document). Anything else (multi-line strings, floats, unusual keys,
// shared sub-objects, which the library writes as anchors) takes the library path for
// the whole document. Single-line string values are rendered by the library once per
// distinct string and remembered.

/** Thrown (and caught in fastDocument) when a document needs the library. */
const SLOW = Symbol('slow');

/** Strings that are plain in block context unless the YAML 1.1 schema types them. */
const PLAIN_CANDIDATE = /^[A-Za-z][A-Za-z0-9_./-]*$/;
/** Keys of at most 200 characters (the library writes keys over 1,024 characters explicitly). */
const MAX_FAST_KEY = 200;

/** The schema's tests a plain scalar must fail to stay a string (as the library's plainString checks). */
const TYPED_PLAIN: RegExp[] = (() => {
  const schema = new YAML.Document(null, { version: '1.1' }).schema as unknown as {
    tags: Array<{ default?: unknown; tag: string; test?: RegExp }>;
    compat?: Array<{ default?: unknown; tag: string; test?: RegExp }> | null;
  };
  return [...schema.tags, ...schema.compat ?? []]
    .filter(t => t.default && t.tag !== 'tag:yaml.org,2002:str' && t.test)
    .map(t => t.test!);
})();

function isPlainString(s: string): boolean {
  return PLAIN_CANDIDATE.test(s) && !TYPED_PLAIN.some(re => re.test(s));
}

/** Rendered string values (block map value or list item), by string; SLOW when the library writes more than one line. */
const scalarCache = new Map<string, string | typeof SLOW>();
const SCALAR_CACHE_MAX = 200_000;

function stringValue(s: string): string {
  let r = scalarCache.get(s);
  if (r === undefined) {
    if (isPlainString(s)) {
      r = s;
    } else {
      const text = slowDocument({ k: s });
      r = text.startsWith('k: ') && text.indexOf('\n') === text.length - 1 ? text.slice(3, -1) : SLOW;
    }
    if (scalarCache.size >= SCALAR_CACHE_MAX) scalarCache.clear();
    scalarCache.set(s, r);
  }
  if (r === SLOW) throw SLOW;
  return r;
}

/** Keys already found plain (keys repeat: every manifest has apiVersion, kind, metadata, ...). */
const plainKeys = new Set<string>();

function keyText(k: string): string {
  if (plainKeys.has(k)) return k;
  if (k.length > MAX_FAST_KEY || !isPlainString(k)) throw SLOW;
  if (plainKeys.size >= SCALAR_CACHE_MAX) plainKeys.clear();
  plainKeys.add(k);
  return k;
}

function scalarText(v: unknown): string {
  switch (typeof v) {
    case 'string': return stringValue(v);
    case 'boolean': return v ? 'true' : 'false';
    case 'number':
      if (Number.isSafeInteger(v) && !Object.is(v, -0)) return String(v);
      throw SLOW;
    default:
      if (v === null) return 'null';
      throw SLOW;
  }
}

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Appends `value` (a collection) as block lines at `indent`. */
function block(value: object, indent: string, out: string[], seen: Set<object>): void {
  if (seen.has(value)) throw SLOW;
  seen.add(value);
  if (Array.isArray(value)) {
    for (const item of value) {
      if (item !== null && typeof item === 'object') {
        const empty = Array.isArray(item) ? item.length === 0 : isPlainObject(item) && Object.keys(item).length === 0;
        if (empty) {
          if (seen.has(item)) throw SLOW;
          seen.add(item);
          out.push(`${indent}- ${Array.isArray(item) ? '[]' : '{}'}\n`);
          continue;
        }
        // The item's first line starts on the dash's line.
        const start = out.length;
        block(item, `${indent}  `, out, seen);
        out[start] = `${indent}- ${out[start].slice(indent.length + 2)}`;
      } else {
        out.push(`${indent}- ${scalarText(item)}\n`);
      }
    }
    return;
  }
  if (!isPlainObject(value)) throw SLOW;
  for (const k of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[k];
    if (v === undefined) throw SLOW;
    const key = keyText(k);
    if (v !== null && typeof v === 'object') {
      const empty = Array.isArray(v) ? v.length === 0 : isPlainObject(v) && Object.keys(v).length === 0;
      if (empty) {
        if (seen.has(v)) throw SLOW;
        seen.add(v);
        out.push(`${indent}${key}: ${Array.isArray(v) ? '[]' : '{}'}\n`);
      } else {
        out.push(`${indent}${key}:\n`);
        block(v, `${indent}  `, out, seen);
      }
    } else {
      out.push(`${indent}${key}: ${scalarText(v)}\n`);
    }
  }
}

/** The document as the library would write it, or undefined when it needs the library. */
function fastDocument(d: unknown): string | undefined {
  if (d === null || typeof d !== 'object') return undefined;
  const isEmpty = Array.isArray(d) ? d.length === 0 : isPlainObject(d) && Object.keys(d).length === 0;
  if (isEmpty) return Array.isArray(d) ? '[]\n' : '{}\n';
  const out: string[] = [];
  try {
    block(d, '', out, new Set());
  } catch (e) {
    if (e === SLOW) return undefined;
    throw e;
  }
  return out.join('');
}
