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
 * Documents as one YAML stream (`---` between them), YAML 1.1, no line folding.
 * @internal
 */
export function stringifyYaml(...docs: unknown[]): string {
  return stringifyYamlDocs(docs);
}

/**
 * Like {@link stringifyYaml}, for a list of any length (spreading 100,000+ arguments
 * overflows the call stack).
 * @internal
 */
export function stringifyYamlDocs(docs: readonly unknown[]): string {
  return docs.map(d => {
    const doc = new YAML.Document(d, { version: '1.1' });
    if (hasAmbiguousString(d)) YAML.visit(doc, { Scalar: (_, node) => quoteIfAmbiguous(node) });
    // The yaml library always writes "<<" plain (it is YAML 1.1's merge key); no string of ours ever is one.
    const text = doc.toString({ lineWidth: 0 });
    return text.includes('<<') ? text.replace(MERGE_KEY_LINE, '$1"<<":').replace(MERGE_VALUE_LINE, '$1"<<"') : text;
  }).join('---\n');
}
