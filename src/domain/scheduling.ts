/**
 * SchedulingClass inheritance (Cozystack v1.2+, the tenant chart's `namespace.yaml`):
 *
 * ```
 * {{- $schedulingClass := $parentNamespace.schedulingClass | default "" }}
 * {{- if and (not $schedulingClass) .Values.schedulingClass }}
 * {{- $schedulingClass = .Values.schedulingClass }}
 * ```
 *
 * A tenant's class is its parent's when the parent has one, else its own; the root
 * (`tenant-root`, whose values come from cozystack-basics) has none. So the class of a
 * tenant is the one set on the top-most tenant of its chain that sets one, and a class
 * set below that is ignored without a word. The chart writes the class into the
 * namespace label `scheduler.cozystack.io/scheduling-class`, and the lineage webhook
 * looks up the cluster-scoped SchedulingClass of that name (skipping the pod quietly
 * when there is none).
 * @internal
 */

/** A tenant as this rule sees it: its parent and the class it sets itself. @internal */
export interface SchedulingNode<T> {
  readonly parent?: T;
}

/** The class a tenant gets, and the tenant it comes from; undefined when none applies. @internal */
export function effectiveSchedulingClass<T extends SchedulingNode<T>>(
  tenant: T, own: (t: T) => string | undefined,
): { value: string; from: T } | undefined {
  let found: T | undefined;
  for (let c: T | undefined = tenant; c; c = c.parent) {
    if (own(c)) found = c;
  }
  return found ? { value: own(found)!, from: found } : undefined;
}

/** Why `value` cannot name a SchedulingClass on the namespace label, or undefined. @internal */
export function schedulingClassProblem(value: string): string | undefined {
  if (value.length > 63) return `it has ${value.length} characters, and label values have at most 63`;
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(value)) {
    return 'it is not a lowercase DNS name (a-z, 0-9, "-" and ".", starting and ending with a letter or digit)';
  }
  return undefined;
}
