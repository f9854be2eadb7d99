import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { chartData, helmMerge } from '../domain/charts';
import { bucketPoolProblems, SeaweedfsProvider, seaweedfsPools } from '../domain/rules/bucket';
import { ClusterService } from '../domain/services';
import { BucketValues } from '../generated';
import { ChartAppBase, CozystackAppProps } from './cozystack-app';
import { TenantCore } from './private/core';

/**
 * Properties of a {@link Bucket}: every value of Cozystack's `bucket` chart, and its name.
 */
export interface BucketProps extends BucketValues, CozystackAppProps {}

/**
 * An S3 bucket (`apps.cozystack.io/v1alpha1` `Bucket`) in the SeaweedFS its tenant inherits, with one set of S3 credentials per user.
 *
 * ```ts
 * new Bucket(tenant, 'assets', { users: { app: {} } });
 * ```
 */
export class Bucket extends ChartAppBase {
  /** The keys of each user's credentials Secret (`accessKey`, `secretKey`, `endpoint`, `bucketName`). */
  public readonly credentialKeys: string[];

  /**
   * @param scope the tenant (or a construct of yours inside it)
   * @param id the construct id, also the object's name unless `props.name` is given
   * @param props the bucket chart's values
   */
  public constructor(scope: Construct, id: string, props: BucketProps = {}) {
    super(scope, id, 'Bucket', props);
    this.credentialKeys = this._secretKeys('user-credentials');
  }

  /**
   * The Secret (in the tenant namespace) with the S3 credentials of one user of `users`.
   * @param user a key of `users`
   */
  public userCredentialsSecretName(user: string): string {
    return this._secretName('user-credentials', user);
  }

  protected specProblems(spec: { [key: string]: any }, skip: string[]): string[] {
    const problems = bucketPoolProblems(spec, seaweedfsProviderOf(this._core));
    skip.push(...problems.map(p => p.path));
    return problems.map(p => p.message);
  }
}

/**
 * The SeaweedFS a tenant's buckets use, with its pools when the program declares that
 * SeaweedFSService (its spec, or the chart's defaults without one); a service switched on
 * otherwise (the platform's own on the root, a `seaweedfs: true` flag) may be tuned elsewhere.
 */
function seaweedfsProviderOf(core: TenantCore): SeaweedfsProvider {
  const provider = core.provider(ClusterService.SEAWEEDFS);
  const declared = provider.modules.get(ClusterService.SEAWEEDFS)?.[0] as { apiObject?: ApiObject } | undefined;
  // The rule is read from the v1.6.2 charts; v0.41 has no seaweedfs chart data.
  if (!declared || provider.platform.version.major === 0) return { namespace: provider.tenant.namespace };
  const release = provider.platform.version.chartRelease;
  const spec = helmMerge(chartData(release, 'seaweedfs').values, declared.apiObject?.toJson().spec ?? {});
  return { namespace: provider.tenant.namespace, pools: seaweedfsPools(spec) };
}
