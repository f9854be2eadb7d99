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
