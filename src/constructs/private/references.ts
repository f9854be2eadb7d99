/**
 * References between apps are objects (issue 12): a reference must be an app of this library,
 * of the expected kind, in the referring app's own tenant namespace (the charts look the
 * object up by name in their own namespace).
 */
import { IConstruct } from 'constructs';
import { APP_MESSAGES } from '../../domain/app-rules';

/** What a reference must look like. */
interface AppLike extends IConstruct {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
}

function isApp(x: unknown): x is AppLike {
  const a = x as Partial<AppLike> | null | undefined;
  return !!a && typeof a === 'object' && typeof a.kind === 'string' && typeof a.name === 'string'
    && typeof a.namespace === 'string' && typeof (a.node as { path?: unknown } | undefined)?.path === 'string';
}

/** How a wrong value reads in a message. */
function describe(x: unknown): string {
  if (isApp(x)) return `the ${x.kind} "${x.name}" (${x.node.path})`;
  const node = (x as IConstruct | undefined)?.node;
  if (node && typeof node.path === 'string') return `the construct ${node.path} (${(x as object).constructor?.name ?? 'unknown'})`;
  if (x === undefined) return 'missing';
  return typeof x === 'string' ? `the string "${x}"` : `${JSON.stringify(x) ?? String(x)}`;
}

/**
 * The problems of one reference.
 * @param app the referring app
 * @param prop the prop that holds the reference (for the message)
 * @param given what the user passed
 * @param kind the `apps.cozystack.io` kind expected
 * @param construct the construct class of that kind
 */
export function referenceProblems(app: AppLike, prop: string, given: unknown, kind: string, construct: string): string[] {
  if (!isApp(given) || given.kind !== kind) return [APP_MESSAGES.referenceWrongKind(prop, describe(given), construct)];
  if (given.namespace !== app.namespace) return [APP_MESSAGES.referenceOtherTenant(prop, describe(given), given.namespace, app.namespace)];
  return [];
}
