import { Construct } from 'constructs';
import { ClusterServiceBase } from './cluster-service';
import { ClusterService } from './tenant';

/** A VictoriaMetrics storage of the monitoring stack. */
export interface MetricsStorage {
  /** The storage's name, e.g. `"shortterm"`. */
  readonly name: string;
  /** How long samples are kept, e.g. `"3d"`. */
  readonly retentionPeriod: string;
  /** Deduplication interval, e.g. `"15s"`. */
  readonly deduplicationInterval: string;
  /** Volume size, e.g. `"10Gi"`. */
  readonly storage: string;
  /**
   * StorageClass of the volume.
   * @default - the cluster's default StorageClass.
   */
  readonly storageClassName?: string;
}

/**
 * Tuning of a tenant's monitoring stack (Cozystack's `monitoring` chart).
 */
export interface MonitoringServiceProps {
  /**
   * Host of the tenant's Grafana and Alerta.
   * @default - derived from the tenant's host.
   */
  readonly host?: string;
  /**
   * Metrics storages (replace the chart's `shortterm` and `longterm` storages).
   * @default - the chart's two storages (3 days and 14 days).
   */
  readonly metricsStorages?: MetricsStorage[];
  /**
   * Further chart values, passed through verbatim (validated against the chart schema).
   * @default - none.
   */
  readonly values?: { [key: string]: any };
}

/**
 * Runs the monitoring stack in a tenant: it collects the metrics of the tenant's apps
 * and of every descendant without monitoring of its own.
 */
export class MonitoringService extends ClusterServiceBase {
  /**
   * @param tenant the tenant (or a construct of yours inside it)
   */
  public constructor(tenant: Construct, props: MonitoringServiceProps = {}) {
    super(tenant, ClusterService.MONITORING, 'Monitoring', {
      ...props.values,
      host: props.host,
      metricsStorages: props.metricsStorages,
    });
  }
}
