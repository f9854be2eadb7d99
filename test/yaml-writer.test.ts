/**
 * The library writes plain manifests with a fast path of its own (src/private/yaml.ts);
 * it must give exactly the bytes the yaml library gives, which the YAML 1.1 tests prove
 * readers understand as meant.
 */
import * as fc from 'fast-check';
import { buildPlatform } from '../examples/platform';
import { richPlatform } from './support/rich-platform';
import { tempApp } from './support/synth';
import { check, documentArbitrary, edgeDocs } from './support/yaml-cases';

const SEED = Number(process.env.FC_SEED ?? 20261128);

test('edge cases: ambiguous strings, multi-line, unicode, numbers, empty collections', () => {
  expect(check(edgeDocs(), 'edge cases')).toBeGreaterThan(300);
});

test('random documents', () => {
  fc.assert(fc.property(documentArbitrary(), docs => { check(docs, 'random'); }), { numRuns: 1000, seed: SEED });
});

test('every object of the example and of a rich platform', () => {
  const app = tempApp();
  const manifests = [buildPlatform(app), richPlatform().root]
    .flatMap(root => root.node.findAll().filter((c: any) => typeof c.toJson === 'function' && c.kind).map((c: any) => c.toJson()));
  expect(check(manifests, 'platforms')).toBeGreaterThan(15);
});
