import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { appNameProblems, deprecatedFieldWarnings, hasDeprecatedFields, kindVersionProblems, plaintextWarnings, unmetNeeds } from '../domain/app-rules';
import { ChartName } from '../domain/charts';
import { appHost } from '../domain/inheritance';
import { credentialOf, deriveNames, endpointOf, KindDefinition, releaseName, renderTemplate } from '../domain/registry';
import { coreOf, TenantCore } from './private/core';
import { providerView } from './private/providers';
import { chartWarnings, hasChartWarnings } from '../domain/rules/registry';
import { checkSpec } from '../domain/validation';
import { CozystackVersion } from '../domain/versions';
import { canonical, createCozystackObject, renderedSpec } from './private/api-object';
import { oncePerSynthesis } from './private/synthesis';
import { Tenant } from './tenant';
import { ITenant } from './tenant-contract';

/** Tells an app's unmet needs apart from other values computed once per synthesis. */
const UNMET_NEEDS = {};

/**
 * What every app construct takes besides its chart's values.
 */
export interface CozystackAppProps {
  /**
   * The object's name in the tenant namespace (`metadata.name`). Cozystack names the app's
   * Helm release `<kind prefix><name>` (e.g. `redis-cache`), which must fit 53 characters,
   * so the longest name is 53 minus the prefix; it must also be a DNS-1035 label. Two apps
   * of different kinds may share a name; two constructs may not share an id.
   *
   * @default - the construct id
   */
  readonly name?: string;
}

/** A Secret of an app that holds credentials, in the app's tenant namespace. */
export interface AppCredential {
  /** The Secret's name. */
  readonly secretName: string;
  /** The keys users read (one per user of the spec where the chart writes one per user). */
  readonly keys: string[];
  /** What it holds. */
  readonly description: string;
}

/** A way to reach an app: a Service or Ingress in its tenant namespace, or its public host. */
export interface AppEndpoint {
  /** The Service's or Ingress's name, or the host. */
  readonly name: string;
  /** `service`, `ingress` or `host`. */
  readonly kind: string;
  /** What it serves. */
  readonly description: string;
}

/**
 * An application ordered inside a tenant (a tenant Kubernetes cluster, a Postgres, ...).
 */
export interface ICozystackApp extends IConstruct {
  /** The `apps.cozystack.io` kind, e.g. `Kubernetes`. */
  readonly kind: string;
  /** The object's name inside the tenant namespace. */
  readonly name: string;
  /** The tenant namespace the object lives in. */
  readonly namespace: string;
  /** The app's public host name; empty for kinds that have none. */
  readonly host: string;
  /** The tenant the app belongs to. */
  readonly tenant: ITenant;
  /** The `apps.cozystack.io/v1alpha1` object. */
  readonly apiObject: ApiObject;
  /** The Secrets holding the app's credentials, as the registry of kinds names them. */
  readonly credentials: AppCredential[];
  /** The app's Services, Ingresses and host, as the registry of kinds names them. */
  readonly endpoints: AppEndpoint[];
}

/**
 * Shared mechanics of apps: finding the tenant, registering with it, owning the API
 * object (applied in the wave after the tenant is Ready), and the rules every kind shares,
 * read from the registry of kinds: the name limit, the Cozystack versions serving the kind,
 * the services it needs from its providers, deprecated fields. Libraries that add apps of
 * other Cozystack kinds extend it and implement `renderSpec()`.
 */
export abstract class CozystackAppBase extends Construct implements ICozystackApp {
  public readonly kind: string;
  public readonly name: string;
  public readonly namespace: string;
  public readonly tenant: ITenant;
  public readonly apiObject: ApiObject;
  /** The app's public host name; empty for kinds that have none. */
  public abstract readonly host: string;

  /**
   * @param scope the tenant (or a construct of yours inside it)
   * @param id the construct id
   * @param kind the `apps.cozystack.io` kind
   * @param name the object's name (default: the id)
   */
  protected constructor(scope: Construct, id: string, kind: string, name?: string) {
    super(scope, id);
    this.kind = kind;
    this.name = name ?? id;
    this.tenant = Tenant.of(scope);
    this.namespace = this.tenant.namespace;
    const core = coreOf(this.tenant);
    core.addApp(this);
    this.apiObject = createCozystackObject(this, {
      kind,
      name: this.name,
      namespace: this.namespace,
      spec: () => this.renderSpec(),
    });
    this.node.addValidation({ validate: () => this.sharedProblems() });
    core.platform.addWarnings(this, () => this.sharedWarnings());
  }

  /** The Secrets holding the app's credentials (per-user Secrets and keys for the users of the spec). */
  public get credentials(): AppCredential[] {
    return deriveNames(this._definition, this.name, this.namespace, this.host || undefined, this._credentialUsers())
      .credentials.map(c => ({ secretName: c.secret, keys: c.keys, description: c.description }));
  }

  /** The app's Services and Ingresses in its tenant namespace, and its public host where it has one. */
  public get endpoints(): AppEndpoint[] {
    return deriveNames(this._definition, this.name, this.namespace, this.host || undefined).endpoints
      .map(e => ({ name: e.name, kind: e.kind, description: e.description }));
  }

  /**
   * The users whose credentials the app's Secrets hold one key (or one Secret) each for.
   * @internal
   */
  public _credentialUsers(): string[] {
    return [];
  }

  /** The object's `spec`: the chart's values. Called at synthesis. */
  protected abstract renderSpec(): { [key: string]: any };

  /**
   * Whether the platform's Cozystack version serves this kind (and the library can check its spec there).
   * @internal
   */
  protected get _servedByVersion(): boolean {
    return kindVersionProblems(this._definition, this._version).length === 0;
  }

  /** The name of a credential Secret, by the registry's id for it. @internal */
  protected _secretName(id: string, user?: string): string {
    return renderTemplate(credentialOf(this._definition, id).secret, { name: this.name, namespace: this.namespace, user });
  }

  /** The keys of a credential Secret that are not per user, by the registry's id for it. @internal */
  protected _secretKeys(id: string): string[] {
    return credentialOf(this._definition, id).keys.filter(k => !k.includes('{{'));
  }

  /** The in-cluster DNS name of one of the app's Services, by the registry's id for it. @internal */
  protected _serviceHost(id: string): string {
    return `${renderTemplate(endpointOf(this._definition, id).name, { name: this.name, namespace: this.namespace })}.${this.namespace}.svc`;
  }

  /** The Cozystack version of the platform. @internal */
  protected get _version(): CozystackVersion {
    return this._core.platform.version;
  }

  /** The registry's definition of this app's kind. @internal */
  protected get _definition(): KindDefinition {
    return this._core.platform.registry.get(this.kind);
  }

  /** The app's tenant's state. @internal */
  protected get _core(): TenantCore {
    return coreOf(this.tenant);
  }

  private sharedProblems(): string[] {
    const def = this._definition;
    const errors = appNameProblems(def, this.name);
    const version = kindVersionProblems(def, this._version);
    errors.push(...version);
    if (version.length === 0) errors.push(...this.needs().errors);
    return errors;
  }

  private sharedWarnings(): string[] {
    if (!this._servedByVersion) return [];
    const def = this._definition;
    const warnings = [...this.needs().warnings];
    // Rendering a spec costs a deep copy: only for kinds whose chart has something to look for.
    if (this._version.major >= 1 && (def.plaintext.length > 0 || hasDeprecatedFields(def.chart) || hasChartWarnings(def.chart))) {
      const spec = renderedSpec(this.apiObject);
      warnings.push(...deprecatedFieldWarnings(def.chart, spec), ...plaintextWarnings(def, spec), ...chartWarnings(def.chart, spec));
    }
    return warnings;
  }

  /** What the app needs of its providers and does not get: validation and warnings both read it, once per synthesis. */
  private needs() {
    // Keyed by the app's object: its App is found from its chart, fewer scopes up.
    return oncePerSynthesis(this.apiObject, UNMET_NEEDS, () => this.unmetNeeds());
  }

  private unmetNeeds() {
    const def = this._definition;
    return unmetNeeds(def.needs, {
      kind: this.kind,
      name: this.name,
      release: releaseName(def, this.name),
      namespace: this.namespace,
      spec: () => renderedSpec(this.apiObject),
      providerOf: providerView(this.tenant),
    });
  }
}

/**
 * An app whose spec is its chart's values as given (the library's own props left out), checked
 * against the chart at synth. The catalogue's constructs (Redis, Bucket, ...) extend it.
 */
export abstract class ChartAppBase extends CozystackAppBase {
  /** The app's public host (`<release>.<tenant host>` unless the spec sets `host`); empty for kinds that have none. */
  public readonly host: string;

  private readonly values: { [key: string]: any };

  /**
   * @param scope the tenant (or a construct of yours inside it)
   * @param id the construct id
   * @param kind the `apps.cozystack.io` kind
   * @param props the chart's values and the library's props
   * @param libraryProps keys of `props` that are the library's, not the chart's (`name` always is)
   */
  protected constructor(scope: Construct, id: string, kind: string, props: CozystackAppProps, libraryProps: string[] = []) {
    super(scope, id, kind, props.name);
    // Copied without the library's keys (deleting them from a copy would leave V8 a slower object).
    const values: { [key: string]: any } = {};
    for (const k of Object.keys(props)) {
      if (k !== 'name' && !libraryProps.includes(k)) values[k] = (props as { [key: string]: any })[k];
    }
    this.values = values;
    const def = this._definition;
    const override = typeof values.host === 'string' && values.host ? values.host : undefined;
    this.host = def.hasHost ? appHost(releaseName(def, this.name), this.tenant.host, override) : '';
    this.node.addValidation({ validate: () => this.chartProblems() });
  }

  /**
   * The users of the spec (`users` keys): the Secrets hold one key or one Secret per user.
   * @internal
   */
  public _credentialUsers(): string[] {
    const users = this.values.users;
    return users && typeof users === 'object' && !Array.isArray(users) ? Object.keys(users).sort() : [];
  }

  protected renderSpec(): { [key: string]: any } {
    const spec = canonical(this.values) as { [key: string]: any }; // a fresh deep copy without undefined entries
    this.completeSpec(spec);
    return spec;
  }

  /** Writes what the library derives (references to other apps) into a fresh copy of the spec. */
  protected completeSpec(_spec: { [key: string]: any }): void {}

  /**
   * Problems of the app beyond its chart's schema (references, ...).
   * @param _spec the rendered spec
   * @param _skip spec paths already reported, to leave out of the schema check
   */
  protected specProblems(_spec: { [key: string]: any }, _skip: string[]): string[] {
    return [];
  }

  private chartProblems(): string[] {
    if (!this._servedByVersion) return [];
    const spec = renderedSpec(this.apiObject);
    const skip: string[] = [];
    const errors = this.specProblems(spec, skip);
    const context = { name: this.name, namespace: this.namespace, tenantHost: this.tenant.host };
    errors.push(...checkSpec(this._version, this._definition.chart as ChartName, spec, skip, context));
    return errors;
  }
}
