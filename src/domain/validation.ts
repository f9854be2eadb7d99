/**
 * Checks shared by the constructs. Each returns finished messages (the rule modules in rules/).
 */
import { ChartName, chartData, closestField, declaresField, helmMerge, undeclaredFields, validateSpec } from './charts';
import { dnsSubdomainProblem, LIMITS, MESSAGES, PATTERNS } from './rules';
import { chartProblems, RuleContext } from './rules/registry';
import { CozystackVersion, FIELD_REMOVED_HINT, FIELD_SINCE } from './versions';

/**
 * The spec against the target version's chart (defaults merged, as Helm does),
 * plus the keys Cozystack reserves. `skip` holds spec paths already reported by a
 * more specific rule, so that each problem is reported once.
 * @internal
 */
export function checkSpec(
  version: CozystackVersion, chart: ChartName, spec: Record<string, unknown>, skip: string[] = [], ctx: RuleContext = {},
): string[] {
  const json = JSON.stringify(spec);
  // The result depends only on these: platforms repeat the same few specs thousands of times.
  const reservedKeys = Object.keys(spec).filter(k => k.startsWith('_'));
  const cacheKey = [version.name, version.chartRelease, chart, skip.join('\u0001'), reservedKeys.join('\u0001'), JSON.stringify(ctx), json].join('\u0000');
  let errors = checkSpecCache.get(cacheKey);
  if (!errors) {
    errors = uncachedCheckSpec(version, chart, spec, JSON.parse(json), skip, ctx);
    if (checkSpecCache.size >= CHECK_SPEC_CACHE_MAX) checkSpecCache.clear();
    checkSpecCache.set(cacheKey, errors);
  }
  return [...errors];
}

/** checkSpec's results by version, chart, skip list, reserved keys and spec JSON. */
const checkSpecCache = new Map<string, string[]>();
const CHECK_SPEC_CACHE_MAX = 20_000;

function uncachedCheckSpec(
  version: CozystackVersion, chart: ChartName, spec: Record<string, unknown>, defined: any, skip: string[], ctx: RuleContext,
): string[] {
  const errors: string[] = [];
  for (const key of Object.keys(spec)) {
    if (key.startsWith('_')) errors.push(MESSAGES.reservedSpecKey(key));
  }
  const release = version.chartRelease;
  const skipped = (path: string) => skip.some(s => path === s || path.startsWith(s + '.') || path.startsWith(s + '['));
  const reported = [...skip];
  // The chart's own refusals (src/domain/rules/<chart>.ts), on the spec as the templates see it
  // (defaults merged); a schema problem on the same path is not repeated.
  for (const p of chartProblems(chart, helmMerge(chartData(release, chart).values, defined), { ...ctx, release })) {
    if (skipped(p.path)) continue;
    reported.push(p.path);
    errors.push(p.message);
  }

  // Fields the target version does not have: name the version that has them.
  const ruled = (path: string) => reported.some(s => path === s || path.startsWith(s + '.') || path.startsWith(s + '['));
  for (const path of undeclaredFields(release, chart, defined)) {
    if (ruled(path) || path.split('.')[1]?.startsWith('_')) continue;
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
