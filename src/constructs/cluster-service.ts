import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ChartName } from '../domain/charts';
import { MESSAGES } from '../domain/rules';
import { ClusterService } from '../domain/services';
import { checkSpec } from '../domain/validation';
import { canonical, createCozystackObject } from './private/api-object';
import { coreOf } from './private/core';
import { markModule } from './private/module-marker';
import { Tenant } from './tenant';
import { ITenant } from './tenant-contract';

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
   * @param kind the `apps.cozystack.io` kind of the tuning object
   * @param values the module's tuning values (undefined entries are left out)
   */
  protected constructor(scope: Construct, service: ClusterService, kind: string, values: { [key: string]: any }) {
    const tenant = Tenant.of(scope);
    super(scope, freeId(scope, `${kind}Service`));
    markModule(this);
    this.tenant = tenant;
    this.service = service;
    const core = coreOf(tenant);
    const def = core.platform.registry.get(kind);
    core.addModule(service, this);

    const spec = canonical(values) as Record<string, unknown>;
    if (Object.keys(spec).length > 0) {
      this.apiObject = createCozystackObject(this, {
        kind,
        name: def.fixedName ?? service,
        namespace: tenant.namespace,
        // A fresh copy each time: the bundle's manifests hold what the producer returns.
        spec: () => canonical(values) as Record<string, unknown>,
      });
    }

    this.node.addValidation({
      validate: () => {
        const first = core.modules.get(service)![0];
        if (first !== this) return [MESSAGES.duplicateModule(kind, tenant.namespace, first.node.path)];
        if (!this.apiObject) return [];
        return [...checkSpec(core.platform.version, def.chart as ChartName, spec, [], { namespace: tenant.namespace, tenantHost: tenant.host })];
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

