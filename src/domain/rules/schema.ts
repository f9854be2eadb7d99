/**
 * The checks Helm runs on every chart (chart defaults merged with the spec, validated
 * against values.schema.json) and the library's version profile of fields. Their
 * messages are built in charts.ts and validation.ts; the ids name them in the docs.
 */
import { defineRules } from './common';

/** @internal */
export const SCHEMA_RULES = defineRules('schema', {
  'enum': 'a value is one the schema lists (versions, presets, modes); the message names the closest',
  'required': 'a field the schema requires is set',
  'type': 'a value has the schema\'s type',
  'quantity': 'a quantity field holds a Kubernetes quantity',
  'unknown-field': 'a field the chart does not have is refused (the server would ignore it); the message names the closest field',
});

/** @internal */
export const VERSION_RULES = defineRules('version', {
  'field-too-new': 'a field newer than the target Cozystack version is refused, naming the version that has it',
  'field-removed': 'a field the target version removed is refused, naming its replacement',
});

/** @internal */
export const SCHEMA_MESSAGES = {
  schemaViolation: (chart: string, version: string, path: string, problem: string, fix: string) =>
    `${path} ${problem} (Cozystack ${version} ${chart} chart schema). ${fix}`,
  fieldTooNew: (path: string, target: string, since: string) =>
    `${path} is not available in Cozystack ${target}: it exists from ${since}. Remove it, or set the RootTenant's version to ${since} or newer.`,
  fieldRemoved: (path: string, target: string, hint?: string) =>
    `${path} no longer exists in Cozystack ${target} (it was a v0.41 field${hint ? `; ${hint}` : ''}). Remove it${hint?.startsWith('use ') ? `, or ${hint}` : ''}.`,
  fieldUnknown: (path: string, chart: string, release: string, suggestion?: string) =>
    `${path} is not a field of Cozystack's ${chart} chart (${release}): the server would accept it and ignore it. `
    + (suggestion ? `Remove it or check its spelling: did you mean ${path.replace(/[^.]*$/, suggestion)}?` : 'Remove it or check its spelling.'),
  legacyPreset: (path: string, value: string) =>
    `${path} uses the legacy preset "${value}", which Cozystack v1 accepts with a deprecation warning. Use a sized preset such as "u1.${value}".`,
} as const;
