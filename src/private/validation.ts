/**
 * Checks shared by the constructs. Each returns finished messages (see rules.ts).
 */
import { IConstruct } from 'constructs';
import { ChartName, validateSpec } from '../charts';
import { dnsSubdomainProblem, LIMITS, MESSAGES, PATTERNS } from '../rules';
import { platformState } from './state';

/** Marks Tenant instances (recognised without instanceof, which breaks across package copies). @internal */
export const TENANT_MARKER = Symbol.for('cdk8s-cozystack.Tenant');
/** Marks RootTenant instances. @internal */
export const ROOT_MARKER = Symbol.for('cdk8s-cozystack.RootTenant');

/**
 * The spec against the target version's chart (defaults merged, as Helm does),
 * plus the keys Cozystack reserves. `skip` holds spec paths already reported by a
 * more specific rule, so that each problem is reported once.
 * @internal
 */
export function checkSpec(root: IConstruct, chart: ChartName, spec: Record<string, unknown>, skip: string[] = []): string[] {
  const errors: string[] = [];
  for (const key of Object.keys(spec)) {
    if (key.startsWith('_')) errors.push(MESSAGES.reservedSpecKey(key));
  }
  const defined = JSON.parse(JSON.stringify(spec));
  const release = platformState(root).version.chartRelease;
  for (const p of validateSpec(release, chart, defined)) {
    if (skip.some(s => p.path === s || p.path.startsWith(s + '.'))) continue;
    errors.push(p.message);
  }
  return errors;
}

/**
 * A host must be a DNS name; a tenant's host is also stored as a namespace label value.
 * @internal
 */
export function checkHost(what: string, host: string, isLabelValue: boolean): string[] {
  const why = dnsSubdomainProblem(host);
  if (why) return [MESSAGES.hostInvalid(what, host, why)];
  if (isLabelValue && host.length > LIMITS.LABEL_VALUE_MAX) {
    return [MESSAGES.hostLabelValue(host, `"${host}" has ${host.length}`)];
  }
  if (isLabelValue && !PATTERNS.LABEL_VALUE.test(host)) {
    return [MESSAGES.hostLabelValue(host, 'it is not a valid label value')];
  }
  return [];
}
