/**
 * The state behind the tenant contract, shared by the root and every other tenant:
 * which services a tenant runs (and which construct declared each), its child tenants
 * and apps. Each tenant owns its `TenantCore`; the root owns the `Platform`, which
 * holds what concerns the whole tree (version, registry of kinds, warnings, the quota
 * analysis). The core is attached under a Symbol, so the public classes stay plain
 * jsii classes and a copy of this library in another package still recognises it.
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { provider } from '../../domain/inheritance';
import { QuotaNode, quotaReport, QuotaReport } from '../../domain/quotas';
import { KindRegistry, REGISTRY } from '../../domain/registry';
import { ClusterService } from '../../domain/services';
import { CozystackVersion } from '../../domain/versions';
import { ITenant } from '../tenant-contract';

/** Marks a tenant and holds its core. */
const TENANT_CORE = Symbol.for('cdk8s-cozystack.TenantCore');

/** An app as its tenant knows it. */
export interface AppRecord extends IConstruct {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
}

/** What a tenant declares that the tree-wide checks read. */
export interface TenantDeclaration {
  readonly hostOverride?: string;
  readonly resourceQuotas?: { readonly [key: string]: string };
  readonly schedulingClass?: string;
}

/** A quota analysis of the whole tree, valid until the tree changes. */
export interface QuotaAnalysis {
  readonly report: QuotaReport;
  /** Problems by tenant construct path. */
  readonly byPath: ReadonlyMap<string, string[]>;
  /** Warnings (keys that limit nothing) by tenant construct path. */
  readonly warningsByPath: ReadonlyMap<string, string[]>;
  readonly hierarchical: boolean;
}

/** What concerns the whole platform. Owned by the RootTenant. */
export class Platform {
  public readonly warningSources: Array<{ readonly construct: IConstruct; readonly source: () => string[] }> = [];
  private quota?: QuotaAnalysis;
  private rootCore?: TenantCore;

  public constructor(public readonly version: CozystackVersion, public registry: KindRegistry = REGISTRY) {}

  /** Registers what a construct warns about; read when the bundle is computed. */
  public addWarnings(construct: IConstruct, source: () => string[]): void {
    this.warningSources.push({ construct, source });
  }

  /** Called by every change of the tenant tree: results that depend on the tree are dropped. */
  public treeChanged(): void {
    this.quota = undefined;
  }

  /** @param root the root's core */
  public setRoot(root: TenantCore): void {
    this.rootCore = root;
  }

  /** The quota analysis of the current tree (computed once, until the tree changes). */
  public quotaAnalysis(): QuotaAnalysis {
    if (this.quota) return this.quota;
    const tree = (c: TenantCore): QuotaNode => ({
      path: c.tenant.node.path,
      namespace: c.tenant.namespace,
      declared: c.declared.resourceQuotas,
      children: c.children.map(tree),
    });
    const report = quotaReport(tree(this.rootCore!));
    const hierarchical = this.version.isAtLeast(CozystackVersion.V1_6);
    const add = (into: Map<string, string[]>, path: string, message: string) => {
      const list = into.get(path) ?? [];
      list.push(message);
      into.set(path, list);
    };
    const byPath = new Map<string, string[]>();
    for (const p of report.problems) {
      // Text that is not a quantity is the chart schema's finding; pools and their admission are v1.6 rules.
      if (p.rule === 'invalid' || ((p.rule === 'overcommitted' || p.rule === 'admission') && !hierarchical)) continue;
      add(byPath, p.path, p.message);
    }
    // Keys are rendered by the same chart helper (cozy-lib resources.flatten) in every version.
    const warningsByPath = new Map<string, string[]>();
    for (const w of report.warnings) add(warningsByPath, w.path, w.message);
    this.quota = { report, byPath, warningsByPath, hierarchical };
    return this.quota;
  }
}

/** The state of one tenant. */
export class TenantCore {
  /** Module constructs per service, in declaration order. */
  public readonly modules = new Map<ClusterService, IConstruct[]>();
  /** Services switched on by props rather than constructs (e.g. `seaweedfs: true`). */
  public readonly flags = new Set<ClusterService>();
  public readonly children: TenantCore[] = [];
  public readonly apps: AppRecord[] = [];
  /** The tenant's own object (`Tenant <name>` in its parent's namespace; the root's module flags). */
  public ownObject?: ApiObject;
  /** Called when a service is switched on (the root creates its object then). */
  public onServiceAdded?: () => void;

  public constructor(
    public readonly tenant: ITenant,
    public readonly parent: TenantCore | undefined,
    public readonly platform: Platform,
    public readonly declared: TenantDeclaration,
  ) {
    Object.defineProperty(tenant, TENANT_CORE, { value: this });
    if (parent) {
      parent.children.push(this);
      platform.treeChanged();
    } else {
      platform.setRoot(this);
    }
  }

  /** Whether the tenant runs a service itself: a module construct declared it, or a flag prop. */
  public runs(service: ClusterService): boolean {
    return (this.modules.get(service)?.length ?? 0) > 0 || this.flags.has(service);
  }

  /** The core of the tenant providing a service to this one (SPEC.md §3). */
  public provider(service: ClusterService): TenantCore {
    return provider<TenantCore>(this, service);
  }

  /** The parent as the provider rule reads it. */
  public get parentTenant(): TenantCore | undefined {
    return this.parent;
  }

  /** The provider rule's view of this tenant. */
  public runsService(service: string): boolean {
    return this.runs(service as ClusterService);
  }

  public addModule(service: ClusterService, construct: IConstruct): void {
    const list = this.modules.get(service) ?? [];
    list.push(construct);
    this.modules.set(service, list);
    this.platform.treeChanged();
    this.onServiceAdded?.();
  }

  public addFlag(service: ClusterService): void {
    this.flags.add(service);
    this.platform.treeChanged();
    this.onServiceAdded?.();
  }

  public addApp(app: AppRecord): void {
    this.apps.push(app);
    this.platform.treeChanged();
  }

  /** The root tenant's core. */
  public get root(): TenantCore {
    let c: TenantCore = this;
    while (c.parent) c = c.parent;
    return c;
  }

  /** The tenant's children sorted by name (the bundle's order). */
  public sortedChildren(): TenantCore[] {
    return [...this.children].sort((a, b) => (a.tenant.name < b.tenant.name ? -1 : a.tenant.name > b.tenant.name ? 1 : 0));
  }
}

/** The core of a tenant, or undefined when `x` is not a tenant. */
export function tryCoreOf(x: unknown): TenantCore | undefined {
  if (x === null || typeof x !== 'object') return undefined;
  return (x as { [TENANT_CORE]?: TenantCore })[TENANT_CORE];
}

/** The core of a tenant. */
export function coreOf(tenant: ITenant): TenantCore {
  const c = tryCoreOf(tenant);
  if (!c) throw new Error(`${tenant.node.path} is not a tenant of this library`);
  return c;
}

/** The nearest tenant core at or above a construct. */
export function enclosingCore(construct: IConstruct): TenantCore | undefined {
  for (let c: IConstruct | undefined = construct; c; c = c.node.scope) {
    const core = tryCoreOf(c);
    if (core) return core;
  }
  return undefined;
}
