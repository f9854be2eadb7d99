/**
 * THE STAND-IN PART of the real test cluster: `apps.cozystack.io` served as
 * CustomResourceDefinitions instead of by Cozystack's aggregated `cozystack-api`.
 *
 * Why a stand-in: the Go module `github.com/cozystack/cozystack` is not served by
 * the Go module proxy (its `.mod` and `.zip` answer 403), so `cozystack-api`
 * cannot be built on the project's machines or in CI; test/cluster/README.md
 * has the commands and their output.
 *
 * Each CRD is generated from one ApplicationDefinition of
 * `../shared/cozystack/catalogue-v1.6.2/` (kind, singular, plural, release
 * prefix, `openAPISchema`) so that it answers the way cozystack-api v1.6.2 does
 * where a CRD can (read in `pkg/registry/apps/application/rest.go` and
 * `pkg/apis/apps/validation/validation.go`):
 * - `spec` is NOT validated against the chart schema: every validation keyword
 *   (`enum`, `pattern`, `required`, `minimum`, CEL rules, ...) is dropped and every
 *   object keeps unknown keys (`x-kubernetes-preserve-unknown-fields`). Only
 *   `type` stays, because a structural schema needs it.
 * - `default`s stay: cozystack-api returns the schema defaults on every read
 *   (`applySpecDefaults`), so does the CRD (which also stores them).
 * - names: DNS-1035, `<release prefix><name>` at most 53 characters, and Tenant
 *   names `^[a-z][a-z0-9]*$`, as CEL rules on `metadata.name`.
 * - the status has `conditions` (Ready, Released), `version` and, for a Tenant,
 *   `namespace` (written by the test reconciler, which plays Flux).
 *
 * What a CRD cannot do, the stand-in's webhook (cozystack-standin-webhook.ts)
 * adds: every dry-run write done for real (cozystack-api loses `dryRun`, upstream
 * #2981 and #3982), `_` spec keys refused, over-long tenant namespaces refused;
 * and the test reconciler clears `managedFields` after each write (cozystack-api
 * keeps none). All checked against the real cozystack-api: test/cluster/README.md.
 *
 * Known differences from the real server, kept visible on purpose:
 * - A CRD object has `metadata.generation`; cozystack-api's Application has none
 *   (its conditions are copied from the HelmRelease without `observedGeneration`).
 * - Labels are stored on the object itself; cozystack-api stores them prefixed
 *   with `apps.cozystack.io-` on the HelmRelease and translates selectors. Either
 *   way `kubectl get -l k=v` answers the same.
 * - No HelmRelease is created behind the object.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

/** What the stand-in takes from one ApplicationDefinition. */
export interface StandinKind {
  readonly kind: string;
  readonly singular: string;
  readonly plural: string;
  readonly releasePrefix: string;
  readonly openAPISchema: Record<string, unknown>;
}

export const APPS_GROUP = 'apps.cozystack.io';
export const APPS_VERSION = 'v1alpha1';

/** Helm's release-name limit that cozystack-api checks `<prefix><name>` against. */
const MAX_RELEASE_NAME = 53;

/** Reads every `*.applicationdefinition.yaml` of a catalogue folder, sorted by kind. */
export function readStandinKinds(catalogueDir: string): StandinKind[] {
  const files = fs.readdirSync(catalogueDir).filter((f) => f.endsWith('.applicationdefinition.yaml')).sort();
  if (files.length === 0) throw new Error(`No *.applicationdefinition.yaml in ${catalogueDir}`);
  const kinds: StandinKind[] = [];
  for (const file of files) {
    for (const doc of parseAllDocuments(fs.readFileSync(path.join(catalogueDir, file), 'utf8'))) {
      const def = doc.toJS() as any;
      if (def?.kind !== 'ApplicationDefinition') continue;
      const app = def.spec.application;
      kinds.push({
        kind: app.kind,
        singular: app.singular,
        plural: app.plural,
        releasePrefix: def.spec.release?.prefix ?? '',
        openAPISchema: app.openAPISchema ? JSON.parse(app.openAPISchema) : { type: 'object' },
      });
    }
  }
  return kinds.sort((a, b) => a.kind.localeCompare(b.kind));
}

/** The stand-in CRD for one kind. */
export function standinCrd(k: StandinKind): Record<string, unknown> {
  const nameRules: Array<Record<string, string>> = [
    {
      rule: "self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')",
      message: 'must be a DNS-1035 label (lower-case letters, digits and -, starting with a letter)',
    },
    {
      rule: `size(self.metadata.name) <= ${Math.min(63, MAX_RELEASE_NAME - k.releasePrefix.length)}`,
      message: `must be no more than ${MAX_RELEASE_NAME - k.releasePrefix.length} characters (release prefix "${k.releasePrefix}")`,
    },
  ];
  if (k.kind === 'Tenant') {
    nameRules.push({
      rule: "self.metadata.name.matches('^[a-z][a-z0-9]*$')",
      message: 'tenant names must start with a lowercase letter and contain only lowercase letters and digits; dashes are not allowed',
    });
  }
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${k.plural}.${APPS_GROUP}`,
      labels: { 'test.cdk8s-cozystack.io/standin': 'cozystack-api' },
      annotations: {
        'test.cdk8s-cozystack.io/standin': 'apps.cozystack.io served as a CRD by the test cluster, not by cozystack-api; see test/cluster/README.md',
        'test.cdk8s-cozystack.io/release-prefix': k.releasePrefix,
      },
    },
    spec: {
      group: APPS_GROUP,
      names: {
        kind: k.kind,
        listKind: `${k.kind}List`,
        singular: k.singular,
        plural: k.plural,
        categories: ['cozystack', 'all'],
      },
      scope: 'Namespaced',
      versions: [{
        name: APPS_VERSION,
        served: true,
        storage: true,
        subresources: { status: {} },
        additionalPrinterColumns: [
          { name: 'Ready', type: 'string', jsonPath: ".status.conditions[?(@.type=='Ready')].status" },
          { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
          { name: 'Version', type: 'string', jsonPath: '.status.version' },
        ],
        schema: {
          openAPIV3Schema: {
            'type': 'object',
            'x-kubernetes-validations': nameRules,
            'properties': {
              apiVersion: { type: 'string' },
              kind: { type: 'string' },
              metadata: { type: 'object' },
              spec: { ...standinSpecSchema(k.openAPISchema), 'x-kubernetes-preserve-unknown-fields': true, 'type': 'object' },
              status: standinStatusSchema(k.kind === 'Tenant'),
            },
          },
        },
      }],
    },
  };
}

/** Every stand-in CRD of a catalogue folder. */
export function standinCrds(catalogueDir: string): Array<Record<string, unknown>> {
  return readStandinKinds(catalogueDir).map(standinCrd);
}

/** Schema keywords that only describe or shape data; everything else validates and is dropped. */
const KEPT = new Set(['type', 'description', 'default', 'properties', 'items', 'additionalProperties',
  'x-kubernetes-int-or-string', 'x-kubernetes-preserve-unknown-fields', 'nullable']);

/**
 * A chart values schema as a structural schema that validates nothing but types:
 * the shape that keeps defaults working while accepting what cozystack-api accepts.
 */
export function standinSpecSchema(schema: any): Record<string, unknown> {
  if (schema === null || typeof schema !== 'object') return {};
  const out: Record<string, any> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (!KEPT.has(key)) continue;
    if (key === 'properties') {
      out.properties = Object.fromEntries(Object.entries(value as object).map(([p, s]) => [p, standinSpecSchema(s)]));
    } else if (key === 'items') {
      out.items = Array.isArray(value) ? standinSpecSchema(value[0]) : standinSpecSchema(value);
    } else if (key === 'additionalProperties') {
      if (value && typeof value === 'object') out.additionalProperties = standinSpecSchema(value);
    } else {
      out[key] = value;
    }
  }
  if (out['x-kubernetes-int-or-string']) {
    delete out.type;
    return out;
  }
  if (!out.type) {
    // Untyped in the chart schema: accept anything, as cozystack-api does.
    return { ...(out.description ? { description: out.description } : {}), 'x-kubernetes-preserve-unknown-fields': true };
  }
  if (out.type === 'object') {
    // Unknown keys are kept silently, as cozystack-api keeps them.
    if (out.properties && out.additionalProperties) delete out.additionalProperties;
    if (!out.additionalProperties) out['x-kubernetes-preserve-unknown-fields'] = true;
  }
  if (out.type === 'array' && !out.items) out.items = { 'x-kubernetes-preserve-unknown-fields': true };
  return out;
}

function standinStatusSchema(tenant: boolean): Record<string, unknown> {
  return {
    'type': 'object',
    'x-kubernetes-preserve-unknown-fields': true,
    'properties': {
      conditions: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            type: { type: 'string' },
            status: { type: 'string' },
            reason: { type: 'string' },
            message: { type: 'string' },
            lastTransitionTime: { type: 'string', format: 'date-time' },
            observedGeneration: { type: 'integer', format: 'int64' },
          },
        },
      },
      version: { type: 'string' },
      ...(tenant ? { namespace: { type: 'string' }, externalIPsCount: { type: 'integer', format: 'int32' } } : {}),
    },
  };
}
