/**
 * The bootbox chart's placement refusal (templates/check-release-name.yaml, Cozystack v1.6.2).
 */
import { ROOT_NAMESPACE } from '../registry';
import { defineRules, RuleContext, RuleProblem } from './common';

/** @internal */
export const BOOTBOX_RULES = defineRules('bootbox', {
  'root-tenant': 'BootBox lives in tenant-root',
});

/** @internal */
export function bootboxProblems(_spec: any, ctx: RuleContext = {}): RuleProblem[] {
  if (ctx.namespace === undefined || ctx.namespace === ROOT_NAMESPACE) return [];
  return [{
    rule: BOOTBOX_RULES['root-tenant'].id,
    path: 'metadata.namespace',
    message: `BootBox is placed in ${ctx.namespace}: the bootbox chart serves network boot for the whole platform and refuses any namespace but ${ROOT_NAMESPACE}. Create it in the RootTenant.`,
  }];
}
