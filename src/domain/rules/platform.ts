/**
 * The library's own rules about a program as a whole, beside Cozystack's: one RootTenant per
 * App, objects inside a tenant, the cdk8s output types that can carry the bundle, Flux source
 * kinds, and plain-text secrets accepted on purpose.
 */
import { closest } from './common';

/** @internal */
export const PLATFORM_MESSAGES = {
  plaintextAccepted: (what: string) =>
    `${what} is stored in plain text on the management cluster (allowPlaintextSecrets is set).`,
  fluxSourceKind: (kind: string, kinds: string[]) => {
    const near = closest(kind, kinds);
    return `flux.sourceKind "${kind}" is not a Flux source kind a Kustomization can reference. Use one of ${kinds.join(', ')}${near ? ` ("${near}" is the closest)` : ''}.`;
  },
  notInTenant: (what: string) =>
    `${what} must be created inside a RootTenant or Tenant (directly or under your own constructs within one).`,
  outputTypeRefused: (type: string) =>
    `The App's yamlOutputType is ${type}: cdk8s then writes every object to a file of its own without asking the charts, so the platform's waves, index.json and topology would not be written and tenant-cluster objects would land among management-cluster files. Use YamlOutputType.FILE_PER_CHART (the default), FILE_PER_APP or FILE_PER_RESOURCE.`,
  twoRoots: (first: string) =>
    `This App already has a RootTenant (${first}): one App describes one management cluster. Use a separate App, with its own outdir, per platform.`,
} as const;
