/**
 * The ingress chart's refusals (templates/nginx-ingress.yaml, Cozystack v1.6.2) that need
 * no platform setting beyond the installer's defaults.
 */
import { ROOT_NAMESPACE } from '../registry';
import { defineRules, RuleContext, RuleProblem, truthy } from './common';

/** @internal */
export const INGRESS_RULES = defineRules('ingress', {
  'proxy-exclusive': 'cloudflareProxy and proxyProtocol are not both on',
  'host-proxy-protocol': 'the platform\'s external ingress (tenant-root) takes PROXY protocol from publishing.proxyProtocol, not its own proxyProtocol',
});

/** The namespace whose ingress faces the outside unless the platform's publishing config names another (`_cluster.expose-ingress`). */
const EXPOSE_INGRESS_DEFAULT = ROOT_NAMESPACE;

/** @internal */
export const INGRESS_MESSAGES = {
  ingressProxyExclusive: (onExternal = false) =>
    'cloudflareProxy and proxyProtocol are mutually exclusive (Cozystack\'s ingress chart refuses to render both). '
    + (onExternal
      ? `On ${EXPOSE_INGRESS_DEFAULT}'s ingress, the platform's external-facing one, the chart refuses proxyProtocol anyway (publishing.proxyProtocol turns it on there): remove proxyProtocol.`
      : 'Keep the one that matches what sits in front of the ingress.'),
  hostProxyProtocol: () =>
    `proxyProtocol is set on the ingress of ${EXPOSE_INGRESS_DEFAULT}, the platform's external-facing ingress: the ingress chart refuses it there, because only the platform switch (publishing.proxyProtocol) also installs the hairpin handling. `
    + 'Leave proxyProtocol out and set publishing.proxyProtocol in the platform configuration.',
} as const;

/** @internal */
export function ingressProblems(spec: any, ctx: RuleContext = {}): RuleProblem[] {
  const out: RuleProblem[] = [];
  const external = ctx.namespace === EXPOSE_INGRESS_DEFAULT;
  if (truthy(spec.cloudflareProxy) && truthy(spec.proxyProtocol)) {
    // One message for both refusals: on the external ingress the fix is the same (drop proxyProtocol).
    out.push({ rule: INGRESS_RULES['proxy-exclusive'].id, path: 'spec.proxyProtocol', message: INGRESS_MESSAGES.ingressProxyExclusive(external) });
  } else if (truthy(spec.proxyProtocol) && external) {
    out.push({ rule: INGRESS_RULES['host-proxy-protocol'].id, path: 'spec.proxyProtocol', message: INGRESS_MESSAGES.hostProxyProtocol() });
  }
  return out;
}
