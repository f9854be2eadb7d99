import { Construct } from 'constructs';
import { BucketValues } from '../generated';
import { ChartAppBase, CozystackAppProps } from './cozystack-app';

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
}
