import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { APP_MESSAGES, kindVersionProblems, moduleNeedWarnings } from '../domain/app-rules';
import { ChartName } from '../domain/charts';
import { checkSpec } from '../domain/validation';
import { BootBoxValues } from '../generated';
import { canonical, createCozystackObject } from './private/api-object';
import { coreOf } from './private/core';
import { markModule } from './private/module-marker';
import { providerView } from './private/providers';
import { Tenant } from './tenant';
import { ITenant } from './tenant-contract';

/**
 * Settings of the platform's BootBox: every value of Cozystack's `bootbox` chart.
 */
export interface BootBoxServiceProps extends BootBoxValues {}

/**
 * BootBox: network boot (iPXE, Tinkerbell) of bare-metal machines, a module of the root
 * tenant only. Emitted as the `BootBox bootbox` object in `tenant-root`; the platform must
 * have the `cozystack.bootbox` package enabled (`bundles.enabledPackages`). Its UI is
 * published at `bootbox.<root host>` through the root's ingress.
 *
 * ```ts
 * new BootBoxService(root, {
 *   machines: [{ hostname: 'node1', arch: 'amd64', uefi: true, leaseTime: 86400, ip: { address: '10.0.0.10', netmask: '255.255.255.0', gateway: '10.0.0.1' }, mac: ['00:11:22:33:44:55'] }],
 * });
 * ```
 */
export class BootBoxService extends Construct {
  /** The root tenant. */
  public readonly tenant: ITenant;
  /** The `BootBox` object. */
  public readonly apiObject: ApiObject;

  /**
   * @param root the RootTenant (BootBox is refused on any other tenant)
   * @param props the bootbox chart's values
   */
  public constructor(root: Construct, props: BootBoxServiceProps = {}) {
    const tenant = Tenant.of(root);
    super(root, 'BootBoxService');
    markModule(this);
    this.tenant = tenant;
    const core = coreOf(tenant);
    const def = core.platform.registry.get('BootBox');
    const spec = canonical(props) as Record<string, unknown>;
    this.apiObject = createCozystackObject(this, {
      kind: def.kind,
      name: def.fixedName ?? def.chart,
      namespace: tenant.namespace,
      // A fresh copy each time: the bundle's manifests hold what the producer returns.
      spec: () => canonical(props) as Record<string, unknown>,
    });
    core.platform.addWarnings(this, () => (core.parent ? [] : moduleNeedWarnings(def, tenant.namespace, spec, providerView(tenant))));
    this.node.addValidation({
      validate: () => {
        if (core.parent) return [APP_MESSAGES.rootOnly(def.kind, tenant.namespace)];
        const version = kindVersionProblems(def, core.platform.version);
        if (version.length > 0) return version;
        return [...checkSpec(core.platform.version, def.chart as ChartName, spec)];
      },
    });
  }
}
