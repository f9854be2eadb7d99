/**
 * cozy-lib, the library chart every app chart includes (Cozystack v1.6.2): the refusals
 * of its helpers that a spec can trigger.
 */
import { defineRules, RuleContext, RuleProblem } from './common';

/** @internal */
export const COZY_LIB_RULES = defineRules('cozy-lib', {
  'flat-resources': 'resources maps are flat (cpu, memory, ...), not requests:/limits: sections',
});

/** @internal */
export const COZY_LIB_MESSAGES = {
  flatResources: (path: string, keys: string[]) =>
    `${path} has ${keys.map(k => `${k}:`).join(' and ')} sections: Cozystack's charts take a flat map (cpu, memory, ...) and compute requests and limits themselves, so they refuse nested ones. `
    + `Write e.g. ${path.replace(/^spec\./, '')}: { cpu: "1", memory: "2Gi" }.`,
} as const;

/**
 * Every `resources` map the charts pass to cozy-lib (the one beside a `resourcesPreset`) is
 * flat: its sanitize helper fails on `requests`/`limits` keys.
 * @internal
 */
export function cozyLibProblems(spec: any, _ctx: RuleContext = {}): RuleProblem[] {
  const out: RuleProblem[] = [];
  const walk = (v: any, path: string, depth: number) => {
    if (!v || typeof v !== 'object' || depth > 8) return;
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, `${path}[${i}]`, depth + 1));
    for (const [k, x] of Object.entries<any>(v)) {
      // Addon values overrides are other charts' values, not cozy-lib input.
      if (k === 'valuesOverride') continue;
      // A resources map beside a resourcesPreset is what the charts hand to cozy-lib's defaultingSanitize;
      // other resources maps (monitoring's grafana, ...) go to pods as they are and may be nested.
      if (k === 'resources' && 'resourcesPreset' in v && x && typeof x === 'object' && !Array.isArray(x)) {
        const nested = ['requests', 'limits'].filter(n => n in x);
        if (nested.length > 0) {
          out.push({ rule: COZY_LIB_RULES['flat-resources'].id, path: `${path}.${k}`, message: COZY_LIB_MESSAGES.flatResources(`${path}.${k}`, nested) });
          continue;
        }
      }
      walk(x, `${path}.${k}`, depth + 1);
    }
  };
  walk(spec, 'spec', 0);
  return out;
}
