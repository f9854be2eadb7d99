/**
 * The vm-instance chart's refusals (templates/vm.yaml, Cozystack v1.6.2) that need no lookup.
 */
import { at, defineRules, RuleContext, RuleProblem, truthy } from './common';

/** @internal */
export const VM_INSTANCE_RULES = defineRules('vm-instance', {
  sizing: 'instanceType, or resources with cpu, sockets and memory, sizes the VM',
});

/** @internal */
export function vmInstanceProblems(spec: any, _ctx: RuleContext = {}): RuleProblem[] {
  if (truthy(spec.instanceType)) return [];
  const missing = ['cpu', 'sockets', 'memory'].filter(k => !truthy(at(spec, `resources.${k}`)));
  if (missing.length === 0) return [];
  return [{
    rule: VM_INSTANCE_RULES.sizing.id,
    path: 'spec.instanceType',
    message: `instanceType is empty and resources lacks ${missing.join(', ')}: the vm-instance chart needs an instance type or all of resources.cpu, sockets and memory. Set instanceType (e.g. "u1.medium"), or the missing resources.`,
  }];
}
