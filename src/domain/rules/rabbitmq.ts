/**
 * The rabbitmq chart's traps (templates/rabbitmq.yaml, Cozystack v1.6.2): a vhost role
 * naming a user the spec does not declare.
 */
import { closest, defineRules, RuleContext, RuleProblem } from './common';

/** @internal */
export const RABBITMQ_RULES = defineRules('rabbitmq', {
  'role-user': 'vhosts.*.roles name users that exist in users, spelled the same',
});

/** @internal */
export const RABBITMQ_MESSAGES = {
  roleUser: (vhost: string, role: string, user: string, users: string[]) => {
    const near = closest(user, users);
    return `vhosts.${vhost}.roles.${role} names user "${user}", which is not in users: the chart creates a Permission for a user nobody creates, and it never applies. `
      + `${near ? `Write "${near}"` : `Add users.${user}`}.`;
  },
} as const;

/** @internal */
export function rabbitmqProblems(spec: any, _ctx: RuleContext = {}): RuleProblem[] {
  const users = Object.keys(spec.users ?? {});
  const out: RuleProblem[] = [];
  for (const [vhost, h] of Object.entries<any>(spec.vhosts ?? {})) {
    for (const role of ['admin', 'readonly']) {
      ((h?.roles?.[role] ?? []) as unknown[]).forEach((u, i) => {
        if (typeof u !== 'string') return; // a wrong type is the schema's to report
        const user = u;
        if (!users.includes(user)) {
          out.push({ rule: RABBITMQ_RULES['role-user'].id, path: `spec.vhosts.${vhost}.roles.${role}[${i}]`, message: RABBITMQ_MESSAGES.roleUser(vhost, role, user, users) });
        }
      });
    }
  }
  return out;
}
