/**
 * Two objects of the same kind and name in one namespace: one would overwrite the other.
 */
import { ApiObject, Chart } from 'cdk8s';
import { platformObjectsOnce } from './collect';
import { isModuleConstruct } from './module-marker';
import { ROOT_NAMESPACE, ROOT_TENANT_NAME } from '../../domain/registry';
import { MESSAGES } from '../../domain/rules';

/** The duplicate objects of a platform, one message per clash. */
export function findDuplicates(root: Chart): string[] {
  // The first object of each key; a list only where a second one comes (most keys have one).
  const first = new Map<string, ApiObject>();
  const clashes = new Map<string, ApiObject[]>();
  for (const { object: o } of platformObjectsOnce(root)) {
    // A Tenant "root" under the root is refused by the tenant-name rule; don't report it twice.
    if (o.kind === 'Tenant' && o.name === ROOT_TENANT_NAME && o.metadata.namespace === ROOT_NAMESPACE && o.node.scope !== root) continue;
    // Two tuned modules of a kind on one tenant are reported by the one-module-per-kind rule.
    if (isModuleConstruct(o.node.scope)) continue;
    const key = `${o.apiVersion}|${o.kind}|${o.metadata.namespace ?? ''}|${o.name}`;
    const earlier = first.get(key);
    if (earlier === undefined) {
      first.set(key, o);
    } else {
      const list = clashes.get(key);
      if (list) list.push(o);
      else clashes.set(key, [earlier, o]);
    }
  }
  const errors: string[] = [];
  // In the order of each key's first object (the order the objects were declared in).
  for (const key of first.keys()) {
    const list = clashes.get(key);
    if (!list) continue;
    const paths = list.map(o => o.node.scope!.node.path);
    errors.push(MESSAGES.duplicateObject(list[0].kind, list[0].name, list[0].metadata.namespace ?? '(none)', paths));
  }
  return errors;
}
