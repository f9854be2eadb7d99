/**
 * The Info module every tenant has (the tenant chart installs it, info.yaml): its Secrets,
 * as the registry of kinds names them.
 */
import { TenantCore } from './core';
import { credentialOf, renderTemplate } from '../../domain/registry';

/** The name and keys of one of the Info module's Secrets in a tenant's namespace. */
export function infoSecret(core: TenantCore, id: string): { readonly name: string; readonly keys: readonly string[] } {
  const c = credentialOf(core.platform.registry.get('Info'), id);
  return { name: renderTemplate(c.secret, { name: 'info', namespace: core.tenant.namespace }), keys: c.keys };
}
