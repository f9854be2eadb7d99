import { Construct } from 'constructs';
import { QdrantValues } from '../generated';
import { ChartAppBase, CozystackAppProps } from './cozystack-app';

/**
 * Properties of a {@link Qdrant}: every value of Cozystack's `qdrant` chart, and its name.
 */
export interface QdrantProps extends QdrantValues, CozystackAppProps {}

/**
 * A managed Qdrant vector database (`apps.cozystack.io/v1alpha1` `Qdrant`) in a tenant.
 *
 * ```ts
 * new Qdrant(tenant, 'vectors');
 * ```
 */
export class Qdrant extends ChartAppBase {
  /** The Secret (in the tenant namespace) with the API key (key `api-key`). */
  public readonly apiKeySecretName: string;
  /** In-cluster host of Qdrant (REST 6333, gRPC 6334). */
  public readonly serviceHost: string;

  /**
   * @param scope the tenant (or a construct of yours inside it)
   * @param id the construct id, also the object's name unless `props.name` is given
   * @param props the qdrant chart's values
   */
  public constructor(scope: Construct, id: string, props: QdrantProps = {}) {
    super(scope, id, 'Qdrant', props);
    this.apiKeySecretName = this._secretName('apikey');
    this.serviceHost = this._serviceHost('qdrant');
  }
}
