import { ApiObject } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';

/**
 * The keys of a Secret this program declares (`data` and `stringData`), or undefined for a
 * Secret it only names (`Secret.fromSecretName`): only the cluster knows those.
 * @internal
 */
export function declaredSecretKeys(secret: plus.ISecret | undefined): string[] | undefined {
  if (!(secret instanceof plus.Secret)) return undefined;
  const json = ApiObject.of(secret).toJson() as { data?: object; stringData?: object };
  return [...Object.keys(json.data ?? {}), ...Object.keys(json.stringData ?? {})].sort();
}
