/**
 * Checks shared by the constructs. Each returns finished messages (the rule modules in rules/).
 */
import { ChartName, chartData, closestField, declaresField, helmMerge, undeclaredFields, validateSpec } from './charts';
import { dnsSubdomainProblem, LIMITS, MESSAGES, PATTERNS } from './rules';
import { chartProblems, RuleContext, ruleContextKey, RuleProblem } from './rules/registry';
import { CozystackVersion, FIELD_REMOVED_HINT, FIELD_SINCE } from './versions';

/**
 * The spec against the target version's chart (defaults merged, as Helm does): the chart's own
 * refusals (the rule modules in rules/), the keys Cozystack reserves, fields the version does
 * not have and the schema. `skip` holds spec paths already reported by a more specific rule, so
 * that each problem is reported once; `ctx` is what a chart rule may read besides the spec.
 * @internal
 */
export function checkSpec(
  version: CozystackVersion, chart: ChartName, spec: Record<string, unknown>, skip: readonly string[] = [], ctx: RuleContext = {},
): readonly string[] {
  const release = version.chartRelease;
  const json = JSON.stringify(spec);
  // The chart rules may read a little of the context (a namespace, a name), so they are cached by
  // that part too. A schema problem on a path a rule reported is not repeated.
  const contextKey = ruleContextKey(chart, ctx, release);
  // Everything below depends only on these: a spec seen before with the same context and skip
  // list costs one lookup (platforms repeat the same few specs thousands of times).
  const skipKey = skip.length === 0 ? '' : skip.join('\u0001');
  const resultKey = `${version.name}\u0000${release}\u0000${chart}\u0000${contextKey}\u0000${skipKey}\u0000${json}`;
  const known = checkSpecResults.get(resultKey);
  if (known) return known;
  const skipped = (path: string) => skip.some(s => path === s || path.startsWith(s + '.') || path.startsWith(s + '['));
  const ruleCtx = { ...ctx, release };
  const ruleKey = [chart, contextKey, json].join('\u0000');
  let found = chartRuleCache.get(ruleKey);
  if (!found) {
    found = chartProblems(chart, helmMerge(chartData(release, chart).values, JSON.parse(json)), ruleCtx);
    if (chartRuleCache.size >= CHECK_SPEC_CACHE_MAX) chartRuleCache.clear();
    chartRuleCache.set(ruleKey, found);
  }
  const rules = found.filter(p => !skipped(p.path));
  const inner = [...skip, ...rules.map(p => p.path)];
  const reservedKeys = Object.keys(spec).filter(k => k.startsWith('_'));
  const cacheKey = [version.name, release, chart, inner.join('\u0001'), reservedKeys.join('\u0001'), json].join('\u0000');
  let errors = checkSpecCache.get(cacheKey);
  if (!errors) {
    errors = uncachedCheckSpec(version, chart, JSON.parse(json), inner);
    if (checkSpecCache.size >= CHECK_SPEC_CACHE_MAX) checkSpecCache.clear();
    checkSpecCache.set(cacheKey, errors);
  }
  // Shared by every later call with the same key: frozen, so that no caller can change another's result.
  const result = Object.freeze([...reservedKeys.map(k => MESSAGES.reservedSpecKey(k)), ...rules.map(p => p.message), ...errors]);
  if (checkSpecResults.size >= CHECK_SPEC_CACHE_MAX) checkSpecResults.clear();
  checkSpecResults.set(resultKey, result);
  return result;
}

/** checkSpec's whole result by version, chart, the context the chart's rules read, skip list and spec JSON. */
const checkSpecResults = new Map<string, readonly string[]>();
/** checkSpec's schema results by version, chart, skip list, reserved keys and spec JSON. */
const checkSpecCache = new Map<string, string[]>();
/** The chart rules' problems by chart, the context they read and spec JSON. */
const chartRuleCache = new Map<string, readonly RuleProblem[]>();
const CHECK_SPEC_CACHE_MAX = 20_000;

function uncachedCheckSpec(version: CozystackVersion, chart: ChartName, defined: any, skip: string[]): string[] {
  const errors: string[] = [];
  const release = version.chartRelease;
  const skipped = (path: string) => skip.some(s => path === s || path.startsWith(s + '.') || path.startsWith(s + '['));
  const reported = [...skip];

  // Fields the target version does not have: name the version that has them.
  for (const path of undeclaredFields(release, chart, defined)) {
    if (skipped(path) || path.split('.')[1]?.startsWith('_')) continue;
    reported.push(path);
    const other = version.major === 0 ? CozystackVersion.V1_6 : CozystackVersion.V0_41;
    if (!declaresField(other.chartRelease, chart, path)) {
      errors.push(MESSAGES.fieldUnknown(path, chart, release, closestField(release, chart, path)));
    } else if (version.major === 0) {
      errors.push(MESSAGES.fieldTooNew(path, version.name, (FIELD_SINCE[`${chart} ${path}`] ?? CozystackVersion.V1_0).name));
    } else {
      const hintKey = `${chart} ${path.replace(/^spec\.nodeGroups\.[^.]+\./, 'spec.nodeGroups.*.')}`;
      errors.push(MESSAGES.fieldRemoved(path, version.name, FIELD_REMOVED_HINT[hintKey]));
    }
  }
  // Fields of the v1.6 chart data that appeared later within the v1 line.
  for (const [key, since] of Object.entries(FIELD_SINCE)) {
    const [c, path] = key.split(' ');
    if (c !== chart || version.major === 0 || version.isAtLeast(since)) continue;
    if (getPath(defined, path) !== undefined && !skipped(path)) {
      reported.push(path);
      errors.push(MESSAGES.fieldTooNew(path, version.name, since.name));
    }
  }
  for (const p of validateSpec(release, chart, defined)) {
    if (reported.some(s => p.path === s || p.path.startsWith(s + '.'))) continue;
    errors.push(p.message);
  }
  return errors;
}

function getPath(obj: any, path: string): unknown {
  let o = obj;
  for (const part of path.split('.').slice(1)) o = o?.[part];
  return o;
}

/**
 * A host must be a DNS name; a tenant's host is also stored as a namespace label value.
 * @internal
 */
export function checkHost(what: string, host: string, isLabelValue: boolean): string[] {
  const why = dnsSubdomainProblem(host);
  const errors = why ? [MESSAGES.hostInvalid(what, host, why)] : [];
  // The label's length is a rule of its own: fixing the DNS name (e.g. its case) does not shorten it.
  if (isLabelValue && host.length > LIMITS.LABEL_VALUE_MAX && host.length <= LIMITS.DNS_SUBDOMAIN_MAX) {
    errors.push(MESSAGES.hostLabelValue(host, `"${host}" has ${host.length}`));
  } else if (isLabelValue && !why && !PATTERNS.LABEL_VALUE.test(host)) {
    errors.push(MESSAGES.hostLabelValue(host, 'it is not a valid label value'));
  }
  return errors;
}

/** OIDC custom configuration is inline or a Secret reference, not both. @internal */
export function oidcCustomConfigProblems(
  custom: { readonly config?: unknown; readonly secretRef?: { readonly name?: string } } | undefined,
): string[] {
  const inline = custom?.config !== undefined && custom.config !== '' && !(typeof custom.config === 'object' && Object.keys(custom.config as object).length === 0);
  return inline && custom?.secretRef?.name ? [MESSAGES.oidcBothConfigs()] : [];
}
