/**
 * The vm-disk chart's refusals (templates/dv.yaml, Cozystack v1.6.2).
 */
import { defineRules, orList, RuleContext, RuleProblem, truthy } from './common';

/** @internal */
export const VM_DISK_RULES = defineRules('vm-disk', {
  source: 'source has at most one of image, http, upload and disk, with its name or url',
});

const FIELD: Record<string, string> = { image: 'name', http: 'url', disk: 'name' };

/** @internal */
export function vmDiskProblems(spec: any, _ctx: RuleContext = {}): RuleProblem[] {
  const source = spec.source ?? {};
  const kinds = Object.keys(source);
  const id = VM_DISK_RULES.source.id;
  if (kinds.length > 1) {
    return [{ rule: id, path: 'spec.source', message: `source sets ${orList(kinds).replace(/ or /, ' and ')}: a disk is filled from exactly one source, so the vm-disk chart refuses it. Keep one of them.` }];
  }
  // dv.yaml tests the kinds in this order and reads only the first present.
  const kind = ['image', 'http', 'upload', 'disk'].find(k => k in source);
  const field = kind ? FIELD[kind] : undefined;
  if (kind && field && !truthy(source[kind]?.[field])) {
    return [{ rule: id, path: `spec.source.${kind}.${field}`, message: `source.${kind}.${field} is not set: the vm-disk chart needs it to know what to copy. Set it${kind === 'http' ? ', e.g. url: "https://example.org/disk.qcow2"' : ''}.` }];
  }
  return [];
}
