/**
 * Recognises module constructs (EtcdService, ...) without importing their base class,
 * which imports the tenant classes in turn.
 */
const MODULE_MARKER = Symbol.for('cdk8s-cozystack.Module');

/** Marks a construct as a tenant module. */
export function markModule(construct: object): void {
  Object.defineProperty(construct, MODULE_MARKER, { value: true });
}

/** Whether a construct is a tenant module. */
export function isModuleConstruct(x: unknown): boolean {
  return x !== null && typeof x === 'object' && MODULE_MARKER in (x as object);
}
