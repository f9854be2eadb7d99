/**
 * The bundle writes large JSON (index.json lists every object) a piece at a time, never as one
 * string: the pieces must be exactly `JSON.stringify(value, null, 2)`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import fc from 'fast-check';
import { json } from '../src/bundle/compute';
import { jsonPieces, writeJson } from '../src/bundle/write';

const text = (value: unknown) => [...jsonPieces(value, '', 0)].join('');

test('long arrays at any depth, in chunks, read as JSON.stringify writes them', () => {
  const refs = (n: number) => Array.from({ length: n }, (_, i) => ({ kind: 'Tenant', name: `t${i}`, nested: { list: [i, `${i}`], empty: {} } }));
  const index = {
    format: 'x',
    waves: [{ wave: 0, objects: refs(1500) }, { wave: 1, objects: refs(512) }, { wave: 2, objects: refs(513) }, { wave: 3, objects: [] }],
    deep: { a: { b: { c: { d: refs(1100), e: [undefined, () => 1, null] } } } },
    top: Array.from({ length: 2000 }, (_, i) => (i % 3 === 0 ? undefined : i % 3 === 1 ? `s${i}` : { i })),
    dates: [new Date(0)],
  };
  expect(text(index)).toEqual(JSON.stringify(index, null, 2));
});

test('any JSON value reads as JSON.stringify writes it', () => {
  const big = fc.array(fc.jsonValue({ maxDepth: 2 }), { minLength: 500, maxLength: 1200 });
  fc.assert(fc.property(fc.oneof(fc.jsonValue({ maxDepth: 6 }), fc.dictionary(fc.string(), big, { maxKeys: 3 }), big), v => {
    expect(text(v)).toEqual(JSON.stringify(v, null, 2));
  }), { numRuns: 50 });
});

test('a large index written in pieces is the file json() would write, byte for byte', () => {
  // Over a megabyte of JSON, so that the writer flushes several times; non-ASCII text included.
  const refs = Array.from({ length: 6000 }, (_, i) => ({ apiVersion: 'apps.cozystack.io/v1alpha1', kind: 'Tenant', namespace: `tenant-ü${i}`, name: `t${i}`, path: `platform/t${i}` }));
  const index = { format: 'x', waves: [{ wave: 0, file: 'wave-00.k8s.yaml', objects: refs }], warnings: ['é'] };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-write-'));
  try {
    const file = path.join(dir, 'index.json');
    writeJson(file, index);
    expect(json(index).length).toBeGreaterThan(1_048_576);
    expect(fs.readFileSync(file, 'utf8')).toEqual(json(index));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
