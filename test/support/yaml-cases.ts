/**
 * Documents on which the library's fast YAML writer (src/private/yaml.ts) must give the
 * same bytes as the yaml library: hand-picked edge cases and random documents.
 * Used by test/yaml-writer.test.ts and bench/verify-yaml.ts.
 */
import * as fc from 'fast-check';
import { stringifyYamlDocs, stringifyYamlReference } from '../../src/bundle/yaml';

export const EDGE_STRINGS = [
  '', ' ', 'a', 'y', 'Y', 'n', 'yes', 'No', 'on', 'OFF', 'true', 'False', 'null', 'Null', '~', '<<', 'a<<', 'x - <<',
  '0', '7', '-1', '+1', '012', '0o12', '0x1F', '0b101', '1_000', '1:20', '1.5', '.5', '1e3', '.inf', '.nan', '2024-01-01',
  '10Gi', '500m', 'v1.33', 'u1.medium', 'apps.cozystack.io/v1alpha1', 'a b', 'a: b', 'a:b', 'a #b', 'a#b', '#a', '- a', '-', '?',
  '? a', ':a', 'a:', 'a ', ' a', '---', '...', '--- a', '[a]', '{a}', 'a,b', '*a', '&a', '!a', '|', '>', "'a'", '"a"', '%a', '@a',
  '`a', 'a\nb', 'a\n', '\n', 'a\tb', '\u0007', '\u00e9t\u00e9', '\ud83d\ude00', 'x'.repeat(300), 'a'.repeat(1100),
];

export function check(docs: unknown[], what: string): number {
  const fast = stringifyYamlDocs(docs);
  const reference = stringifyYamlReference(docs);
  if (fast !== reference) {
    for (const d of docs) {
      const f = stringifyYamlDocs([d]);
      const r = stringifyYamlReference([d]);
      if (f !== r) throw new Error(`${what}: the fast YAML differs for ${JSON.stringify(d)}:\n--- fast\n${f}--- yaml library\n${r}`);
    }
    throw new Error(`${what}: the fast YAML stream differs`);
  }
  return docs.length;
}

export function edgeDocs(): unknown[] {
  const docs: unknown[] = [{}, [], { a: {} }, { a: [] }, [[]], [{}], [[1, 2], [3]], [{ a: 1, b: [{ c: null }] }], { a: [[{ b: [] }]] }];
  for (const s of EDGE_STRINGS) {
    docs.push({ k: s }, [s], { [s || 'e']: 1 }, { m: { n: [s, { o: s }] } });
  }
  for (const v of [0, -0, 1, -1, 1.5, 1e21, 2 ** 60, NaN, Infinity, -Infinity, true, false, null]) docs.push({ v }, [v]);
  const shared = { x: 1 };
  docs.push({ a: shared, b: shared }, { a: new Date(0) }, { a: undefined, b: 1 }, [undefined], { toJSON: () => 1 });
  return docs;
}

/** Random JSON-like documents built from the edge strings, other strings and scalars. */
export function documentArbitrary(): fc.Arbitrary<unknown[]> {
  const key = fc.constantFrom('a', 'spec', 'y', 'on', '<<', '0x1', 'a b', 'k-1', 'x.y/z', '', 'n');
  const str = fc.oneof(fc.constantFrom(...EDGE_STRINGS), fc.string(), fc.string({ unit: 'grapheme' }));
  const scalar = fc.oneof(str, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
  const { tree } = fc.letrec(tie => ({
    tree: fc.oneof({ depthSize: 'small' }, scalar, tie('map'), tie('list')),
    map: fc.dictionary(fc.oneof(key, fc.string()), tie('tree'), { maxKeys: 5 }),
    list: fc.array(tie('tree'), { maxLength: 4 }),
  }));
  return fc.array(tree, { maxLength: 3 });
}
