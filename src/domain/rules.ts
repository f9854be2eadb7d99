/**
 * The rules of the library, indexed: one module per chart in `src/domain/rules/` holds its
 * limits, checks and messages (`rules/postgres.ts`, `rules/kubernetes.ts`, ...), with
 * `rules/api.ts` for cozystack-api's admission rules, `rules/tenant.ts` for the tenant chart
 * and quotas, `rules/schema.ts` for the schema and version checks and `rules/platform.ts` for
 * the library's own rules about a program. `RULES` (rules/registry.ts) lists every rule by
 * id; docs/chart-rules.md maps each chart refusal of Cozystack to one.
 *
 * A message says what is wrong (the value written), the rule, and the fix (the closest valid
 * value where there is one). The construct path is added by cdk8s's validation report
 * (`[platform/foo] ...`).
 */
import { API_MESSAGES } from './rules/api';
import { INGRESS_MESSAGES } from './rules/ingress';
import { KUBERNETES_MESSAGES } from './rules/kubernetes';
import { MONITORING_MESSAGES } from './rules/monitoring';
import { PLATFORM_MESSAGES } from './rules/platform';
import { POSTGRES_MESSAGES } from './rules/postgres';
import { SCHEMA_MESSAGES } from './rules/schema';
import { TENANT_MESSAGES } from './rules/tenant';

export { dnsSubdomainProblem, LIMITS, PATTERNS, suggestDns1035, suggestTenantName } from './rules/api';
export { BLOCKED_POSTGRES_PARAMETERS, RESERVED_POSTGRES_USER } from './rules/postgres';
export { chartProblems, RULES } from './rules/registry';

/**
 * Every message of the library by name, gathered from the rule modules.
 * @internal
 */
export const MESSAGES = {
  ...API_MESSAGES,
  ...TENANT_MESSAGES,
  ...SCHEMA_MESSAGES,
  ...KUBERNETES_MESSAGES,
  ...POSTGRES_MESSAGES,
  ...INGRESS_MESSAGES,
  ...MONITORING_MESSAGES,
  ...PLATFORM_MESSAGES,
} as const;
