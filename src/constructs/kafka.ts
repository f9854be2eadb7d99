import { Construct } from 'constructs';
import { KafkaValues } from '../generated';
import { ChartAppBase, CozystackAppProps } from './cozystack-app';

/**
 * Properties of a {@link Kafka}: every value of Cozystack's `kafka` chart, and its name.
 */
export interface KafkaProps extends KafkaValues, CozystackAppProps {}

/**
 * A managed Kafka (`apps.cozystack.io/v1alpha1` `Kafka`, Strimzi) in a tenant. Its listeners have no authentication; TLS clients trust the cluster CA.
 *
 * ```ts
 * new Kafka(tenant, 'events', { topics: [{ name: 'orders', partitions: 3, replicas: 3, config: { 'retention.ms': 604800000 } }] });
 * ```
 */
export class Kafka extends ChartAppBase {
  /** In-cluster host of the bootstrap servers (9092 plain, 9093 TLS). */
  public readonly bootstrapHost: string;
  /** The Secret (in the tenant namespace) with the brokers' CA certificate (key `ca.crt`). */
  public readonly clusterCaSecretName: string;
  /** The Secret (in the tenant namespace) with the clients' CA certificate (key `ca.crt`). */
  public readonly clientsCaSecretName: string;

  /**
   * @param scope the tenant (or a construct of yours inside it)
   * @param id the construct id, also the object's name unless `props.name` is given
   * @param props the kafka chart's values
   */
  public constructor(scope: Construct, id: string, props: KafkaProps = {}) {
    super(scope, id, 'Kafka', props);
    this.bootstrapHost = this._serviceHost('bootstrap');
    this.clusterCaSecretName = this._secretName('cluster-ca');
    this.clientsCaSecretName = this._secretName('clients-ca');
  }
}
