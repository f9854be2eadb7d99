/**
 * Labels and annotations the library writes and reads on the objects it owns.
 */

/** Label marking objects this library owns: only those may ever be pruned. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
/** The value of {@link MANAGED_BY_LABEL} on the library's objects. */
export const MANAGED_BY_VALUE = 'cdk8s-cozystack';
