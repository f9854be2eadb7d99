import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ChartName } from '../domain/charts';
import { namespacedObjectWave } from '../domain/inheritance';
import { canonical, createCozystackObject } from './private/api-object';
import { platformState, tenantState } from './private/state';
import { checkSpec } from '../domain/validation';
import { MESSAGES } from '../domain/rules';
import { ClusterService, ITenant, rootOf, Tenant } from './tenant';

/**
 * A cluster service (module) a tenant runs for itself and its descendants: switching
 * it on sets the tenant's module flag. Tuning values, when given, are emitted as the
 * fixed-name object (`Etcd etcd`, `Ingress ingress`, `Monitoring monitoring`) in the
 * tenant's namespace, applied after the tenant is Ready.
 */
export abstract class ClusterServiceBase extends Construct {
  /** The tenant that runs the service. */
  public readonly tenant: ITenant;
  /** The service. */
  public readonly service: ClusterService;
  /** The tuning object, when tuning values were given. */
  public readonly apiObject?: ApiObject;

  /**
   * @param scope the tenant (or a construct of yours inside it)
   * @param service the service
   * @param kind the `apps.cozystack.io` kind of the tuning object, also the module's chart
   * @param values the module's tuning values (undefined entries are left out)
   */
  protected constructor(scope: Construct, service: ClusterService, kind: string, values: { [key: string]: any }) {
    const tenant = Tenant.of(scope);
    super(scope, freeId(scope, `${kind}Service`));
    const options = { service, kind, values };
    this.tenant = tenant;
    this.service = options.service;
    const root = rootOf(tenant);
    const modules = tenantState(tenant).modules;
    const list = modules.get(options.service) ?? [];
    list.push(this);
    modules.set(options.service, list);
    platformState(root).generation++;
    if (tenant.depth === 0) (tenant as any)._ensureRootObject();

    const spec = canonical(options.values) as Record<string, unknown>;
    const chart = options.kind.toLowerCase() as ChartName;
    if (Object.keys(spec).length > 0) {
      this.apiObject = createCozystackObject(this, {
        kind: options.kind,
        name: options.service,
        namespace: tenant.namespace,
        wave: namespacedObjectWave(tenant.depth),
        root,
        spec: () => spec,
      });
    }

    this.node.addValidation({
      validate: () => {
        const first = tenantState(tenant).modules.get(options.service)![0];
        if (first !== this) return [MESSAGES.duplicateModule(options.kind, tenant.namespace, first.node.path)];
        return this.apiObject ? checkSpec(root, chart, spec) : [];
      },
    });
  }
}

/** The first of `base`, `base-2`, `base-3`... that is not taken in `scope`. */
function freeId(scope: Construct, base: string): string {
  let id = base;
  for (let i = 2; scope.node.tryFindChild(id); i++) id = `${base}-${i}`;
  return id;
}
