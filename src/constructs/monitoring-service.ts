import { Construct } from 'constructs';
import { ClusterServiceBase } from './cluster-service';
import { MonitoringValues } from '../generated';
import { coreOf } from './private/core';
import { MESSAGES } from '../domain/rules';
import { ClusterService } from '../domain/services';
import { oidcCustomConfigProblems } from '../domain/validation';

/**
 * Tuning of a tenant's monitoring stack: every value of Cozystack's `monitoring` chart
 * (metrics and logs storages, Alerta, Grafana, vmagent, OIDC). Leave it empty to run
 * the stack with the chart's defaults.
 */
export interface MonitoringServiceProps extends MonitoringValues {}

/**
 * Runs the monitoring stack in a tenant: it collects the metrics of the tenant's apps
 * and of every descendant without monitoring of its own.
 */
export class MonitoringService extends ClusterServiceBase {
  /**
   * @param tenant the tenant (or a construct of yours inside it)
   * @param props the monitoring chart's values; empty runs it with the chart's defaults
   */
  public constructor(tenant: Construct, props: MonitoringServiceProps = {}) {
    super(tenant, ClusterService.MONITORING, 'Monitoring', props);
    this.node.addValidation({ validate: () => oidcCustomConfigProblems(props.oidc?.customConfig) });
    // The chart offers no Secret reference for alert channels: say that they are stored in plain text.
    coreOf(this.tenant).platform.addWarnings(this, () => {
      const alerts = props.alerta?.alerts;
      const inline = [alerts?.telegram?.token ? 'alerta.alerts.telegram.token' : '', alerts?.slack?.url ? 'alerta.alerts.slack.url' : ''].filter(x => x);
      return inline.map(f => MESSAGES.plaintextAlertSecret(f));
    });
  }
}
