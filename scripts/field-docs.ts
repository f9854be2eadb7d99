/**
 * Field notes the chart schemas cannot tell by their structure: formats (cron flavour,
 * durations, retention syntax), units, and deprecations. `scripts/gen-types.ts` merges
 * them into the doc comments of `src/generated/` and writes `DEPRECATED_FIELDS` into
 * `src/generated/deprecations.ts`.
 *
 * Every sentence here is ours. The facts were read in Cozystack's chart templates and
 * the operators' CRDs (cozystack/cozystack v1.6.2, and v0.41.11 where a note says so);
 * the source of each non-obvious fact is named in a comment beside it. Upstream
 * description texts are never copied: they stay out of `charts/` and out of this file.
 *
 * Keys are `<chart>:<path>`: property names joined by `.`, `.*` for a map's values and
 * `[]` for a list's items (e.g. `kubernetes:nodeGroups.*.nodeStartupTimeout`,
 * `monitoring:metricsStorages[].retentionPeriod`). The generator fails on a key that
 * names no field, so a refreshed chart cannot leave a note behind silently.
 */

export interface FieldNote {
  /**
   * Replaces the structural first sentence ("a string"): what the value means and how
   * to write it. No trailing period.
   */
  readonly summary?: string;
  /** Appended to the structural notes. Full sentences. */
  readonly note?: string;
}

/** A field a chart still accepts but Cozystack marks deprecated. */
export interface DeprecatedFieldSource {
  readonly chart: string;
  /** Same syntax as the keys of FIELD_NOTES, without the chart. */
  readonly path: string;
  /** The first Cozystack release whose chart marks the field deprecated. */
  readonly since: string;
  /** What to use instead, in our words. */
  readonly replacement: string;
  /** When the replacement is another field of the same chart. */
  readonly replacementField?: string;
}

// ---------------------------------------------------------------- formats people get wrong

// CNPG parses with robfig/cron v1 `Parse` (seconds first, day of week optional): its webhook only warns on 5 fields.
const CRON6 = 'a 6-field cron expression whose first field is seconds (\'0 0 2 * * *\' runs at 02:00 every day); '
  + 'a 5-field one is read seconds-first too, so \'0 2 * * *\' would run at minute 2 of every hour';
const CRON5 = 'a standard 5-field cron expression (minute hour day-of-month month day-of-week; \'0 2 * * *\' runs at 02:00 every day)';

const GO_DURATION = 'a duration in Go syntax such as \'10m\', \'90s\' or \'1h30m\'';
const MAX_UNHEALTHY = 'how many nodes may be unhealthy before remediation stops: a whole number (\'1\') or a whole percentage (\'50%\'); '
  + 'any other form fails the chart render';
const EVICTION = 'an amount of node memory (\'200Mi\') or a percentage of it (\'7%\')';
const VM_RETENTION = 'a whole number with an optional unit h, d, w or y (\'3d\', \'2w\', \'1y\'); a bare number counts months';

export const FIELD_NOTES: Readonly<Record<string, FieldNote>> = {
  // CloudNativePG ScheduledBackup.spec.schedule (packages/apps/postgres/templates/backup.yaml:34 in v1.6.2, :8 in v0.41.11);
  // CNPG's CRD (packages/system/postgres-operator/charts/cloudnative-pg/templates/crds/crds.yaml:18497) says it has a
  // seconds field, unlike a CronJob's. The v0.41.11 chart default is '0 2 * * * *'.
  'postgres:backup.schedule': {
    summary: `when CloudNativePG takes the chart's scheduled backup: ${CRON6}`,
    note: 'Cozystack v1.6 only schedules when `backup.enabled` is true, this value is not empty and `backup.useSystemBucket` is false; '
      + 'v0.41 schedules whenever `backup.enabled` is true.',
  },
  // barman-cloud ObjectStore.spec.retentionPolicy (postgres templates/db.yaml:263); the plugin CRD's pattern is ^[1-9][0-9]*[dwm]$.
  'postgres:backup.retentionPolicy': {
    summary: 'how long backups are kept: a whole number followed by d, w or m for days, weeks or months (\'30d\')',
  },
  // Cluster.spec.bootstrap.recovery.recoveryTarget.targetTime (postgres templates/db.yaml:172).
  'postgres:bootstrap.recoveryTime': {
    summary: 'the point in time to restore to, as an RFC 3339 timestamp (\'2026-08-01T12:00:00Z\'); empty restores to the latest state',
  },
  // Kubernetes CronJob.spec.schedule (packages/apps/clickhouse/templates/backup-cronjob.yaml:27).
  'clickhouse:backup.schedule': {
    summary: `when the chart's own backup CronJob runs: ${CRON5}`,
    note: 'Empty means the chart creates no CronJob; it also creates none while `backup.enabled` is false or `backup.useSystemBucket` is true.',
  },
  // Passed to `restic forget` (clickhouse templates/backup-script.yaml:55).
  'clickhouse:backup.cleanupStrategy': {
    summary: 'which old snapshots the chart\'s CronJob keeps, written as `restic forget` flags (\'--keep-last=3 --keep-daily=3\')',
  },
  // ClickHouse table TTL `INTERVAL <logTTL> DAY` (clickhouse templates/clickhouse.yaml:72).
  'clickhouse:logTTL': {
    summary: 'how many days ClickHouse keeps rows of its query_log and query_thread_log tables (a whole number of days)',
  },
  // Kubernetes CronJob.spec.schedule (packages/apps/mariadb/templates/backup-cronjob.yaml:9).
  'mariadb:backup.schedule': {
    summary: `when the chart's own backup CronJob runs: ${CRON5}`,
  },
  'mariadb:backup.cleanupStrategy': {
    summary: 'which old snapshots the chart\'s CronJob keeps, written as `restic forget` flags (\'--keep-last=3 --keep-daily=3\')',
  },
  // Percona PerconaServerMongoDB.spec.backup.tasks[].schedule (packages/apps/mongodb/templates/mongodb.yaml:168), default '0 2 * * *'.
  'mongodb:backup.schedule': {
    summary: `when the Percona operator takes the daily backup task: ${CRON5}`,
  },
  // `keep: {{ retentionPolicy | trimSuffix "d" | int }}` (mongodb templates/mongodb.yaml:169).
  'mongodb:backup.retentionPolicy': {
    summary: 'how many backups to keep, written \'<n>d\' (\'30d\'): the chart drops the \'d\' and keeps the newest n backups, '
      + 'so the number counts backups, not days',
  },
  // PerconaServerMongoDBRestore.spec.pitr.date (mongodb templates/restore.yaml:27); the operator's CRD
  // (packages/system/mongodb-operator/charts/psmdb-operator/crds/crd.yaml:520) validates that form.
  'mongodb:bootstrap.recoveryTime': {
    summary: 'the point in time to restore to, in the Percona operator\'s \'YYYY-MM-DD hh:mm:ss\' form; empty restores the whole backup',
  },
  // No template of the v1.6.2 foundationdb chart reads it.
  'foundationdb:backup.retentionPolicy': {
    note: 'The v1.6.2 chart\'s templates do not read this value.',
  },
  // VMCluster.spec.retentionPeriod (packages/system/monitoring/templates/vm/vmcluster.yaml:14); operator CRD pattern ^[0-9]+(h|d|w|y)?$.
  'monitoring:metricsStorages[].retentionPeriod': {
    summary: `how long this storage keeps metrics: ${VM_RETENTION}`,
  },
  // VMCluster dedup.minScrapeInterval (packages/system/monitoring/templates/vm/vmcluster.yaml:28).
  'monitoring:metricsStorages[].deduplicationInterval': {
    summary: `the window within which VictoriaMetrics keeps one sample per series: ${GO_DURATION}`,
  },
  // VLogs.spec.retentionPeriod (packages/system/monitoring/templates/vlogs/vlogs.yaml:30); same syntax as metrics.
  'monitoring:logsStorages[].retentionPeriod': {
    summary: `how long this storage keeps logs: ${VM_RETENTION} (the default '1' is one month)`,
  },
  'monitoring:metricsStorages[].storage': { summary: 'the disk size of this metrics storage, as a Kubernetes quantity (\'10Gi\')' },
  'monitoring:logsStorages[].storage': { summary: 'the disk size of this logs storage, as a Kubernetes quantity (\'10Gi\')' },
  'monitoring:alerta.storage': { summary: 'the disk size of Alerta\'s database, as a Kubernetes quantity (\'10Gi\')' },
  'monitoring:grafana.db.size': { summary: 'the disk size of Grafana\'s database, as a Kubernetes quantity (\'10Gi\')' },
  // Cluster API MachineHealthCheck.spec.nodeStartupTimeout (kubernetes templates/cluster.yaml:839, kubernetes-nodes nodegroup.yaml:481).
  'kubernetes:nodeHealthCheck.nodeStartupTimeout': {
    summary: `how long a new worker may take to become Ready before Cluster API replaces it: ${GO_DURATION}`,
  },
  'kubernetes:nodeGroups.*.nodeStartupTimeout': {
    summary: `this group's own limit on how long a new worker may take to become Ready: ${GO_DURATION}`,
    note: 'Left out, `nodeHealthCheck.nodeStartupTimeout` applies.',
  },
  'kubernetes-nodes:nodeStartupTimeout': {
    summary: `how long a new worker may take to become Ready before Cluster API replaces it: ${GO_DURATION}`,
  },
  // kubernetes-nodes templates/nodegroup.yaml:469-479 (and the same rule in kubernetes templates/cluster.yaml).
  'kubernetes:nodeHealthCheck.maxUnhealthy': { summary: MAX_UNHEALTHY },
  'kubernetes:nodeGroups.*.maxUnhealthy': { summary: MAX_UNHEALTHY, note: 'Left out, `nodeHealthCheck.maxUnhealthy` applies.' },
  'kubernetes-nodes:maxUnhealthy': { summary: MAX_UNHEALTHY },
  'kubernetes:nodeGroups.*.kubelet.evictionHardMemory': { summary: `the kubelet's hard memory eviction threshold: ${EVICTION}` },
  'kubernetes:nodeGroups.*.kubelet.evictionSoftMemory': { summary: `the kubelet's soft memory eviction threshold: ${EVICTION}` },
  'kubernetes-nodes:kubelet.evictionHardMemory': { summary: `the kubelet's hard memory eviction threshold: ${EVICTION}` },
  'kubernetes-nodes:kubelet.evictionSoftMemory': { summary: `the kubelet's soft memory eviction threshold: ${EVICTION}` },
  'kubernetes:nodeGroups.*.kubelet.kubeReservedCpu': { summary: 'CPU set aside for the kubelet and container runtime (\'250m\'); empty lets the chart derive it from the instance type' },
  'kubernetes:nodeGroups.*.kubelet.systemReservedCpu': { summary: 'CPU set aside for the node\'s OS (\'250m\'); empty lets the chart derive it from the instance type' },
  'kubernetes:nodeGroups.*.kubelet.kubeReservedMemory': { summary: 'memory set aside for the kubelet and container runtime (\'512Mi\'); empty lets the chart derive it from the instance type' },
  'kubernetes:nodeGroups.*.kubelet.systemReservedMemory': { summary: 'memory set aside for the node\'s OS (\'512Mi\'); empty lets the chart derive it from the instance type' },
  'kubernetes-nodes:kubelet.kubeReservedCpu': { summary: 'CPU set aside for the kubelet and container runtime (\'250m\'); empty lets the chart derive it from the instance type' },
  'kubernetes-nodes:kubelet.systemReservedCpu': { summary: 'CPU set aside for the node\'s OS (\'250m\'); empty lets the chart derive it from the instance type' },
  'kubernetes-nodes:kubelet.kubeReservedMemory': { summary: 'memory set aside for the kubelet and container runtime (\'512Mi\'); empty lets the chart derive it from the instance type' },
  'kubernetes-nodes:kubelet.systemReservedMemory': { summary: 'memory set aside for the node\'s OS (\'512Mi\'); empty lets the chart derive it from the instance type' },
  'kubernetes-nodes:cluster': {
    summary: 'the name of the Kubernetes cluster (an apps.cozystack.io Kubernetes object in the same namespace) this pool of workers joins',
  },
  'http-cache:endpoints': { summary: 'the upstream servers whose responses are cached, each written \'<ip>:<port>\'' },
  // tenant templates/_helpers.tpl:88-94 (tenant.gatewayEffective) and namespace.yaml:56-59: only an explicit true
  // makes the tenant the gateway owner; otherwise it keeps its parent's `_namespace.gateway`.
  'tenant:gateway': {
    summary: 'whether the tenant runs a Gateway API Gateway of its own: true does; false or leaving it out attaches '
      + 'the tenant\'s routes to the Gateway of its nearest ancestor that has one',
  },
  // Tinkerbell Hardware.spec.interfaces[].dhcp.lease_time (bootbox templates/matchbox/machines.yaml:24), an int64 of seconds.
  'bootbox:machines[].leaseTime': { summary: 'how long the DHCP lease handed to this machine lasts, in seconds (86400 is one day)' },
  'bootbox:machines[].mac': { summary: 'the machine\'s MAC addresses, colon-separated hex (\'52:54:00:12:34:56\'); the chart lower-cases them' },
  // `$networks := .Values.networks | default .Values.subnets` (packages/apps/vm-instance/templates/vm.yaml:10).
  'vm-instance:subnets': { note: 'The chart reads it only while `networks` is empty.' },
  'vm-instance:resources.sockets': { summary: 'the number of virtual CPU sockets the VM sees, written as a string (\'1\')' },
};

/**
 * Units by field name, for quantities the notes above do not cover. First match wins;
 * `kinds` limits a rule to fields of those schema kinds (see `Kind` in gen-types.ts).
 */
export const UNIT_RULES: ReadonlyArray<{ readonly match: RegExp; readonly kinds: readonly string[]; readonly summary: string }> = [
  {
    match: /(^|\.)cpu$/,
    kinds: ['quantity', 'intOrString'],
    summary: 'CPU in cores, as a Kubernetes quantity string: \'2\' is two cores, \'500m\' half a core',
  },
  {
    match: /(^|\.)memory$/,
    kinds: ['quantity', 'intOrString'],
    summary: 'memory in bytes, as a Kubernetes quantity string with a binary suffix (\'512Mi\', \'4Gi\')',
  },
  {
    match: /(^|\.)(size|storage|[a-z][A-Za-z]*Size)$/,
    kinds: ['quantity', 'intOrString'],
    summary: 'disk space, as a Kubernetes quantity string with a binary suffix (\'10Gi\', \'500Mi\')',
  },
];

// ---------------------------------------------------------------- deprecations

const PG_BACKUPS = 'the platform\'s backup framework (a BackupClass such as `cozy-default`, with backup plans and jobs) '
  + 'together with `backup.useSystemBucket: true`';
const CH_BACKUPS = PG_BACKUPS;
const MARIADB_BACKUPS = 'the platform\'s backup framework (a BackupClass with the MariaDB strategy, backup plans and restore jobs) '
  + 'rather than the chart\'s own dump-and-restic CronJob';
const FDB_BACKUPS = 'the platform\'s backup framework (a BackupClass with the FoundationDB strategy, backup and restore jobs) '
  + 'rather than the chart\'s own FoundationDBBackup';

/**
 * Every field a v1.6.2 chart schema marks deprecated (test/chart-data.test.ts checks this
 * list against ../shared), with the release that first marked it (read from the tags of
 * cozystack/cozystack: v1.3.0, v1.4.0 and v1.5.0 are the first whose schemas say so).
 */
export const DEPRECATED_SOURCES: readonly DeprecatedFieldSource[] = [
  ...['destinationPath', 'endpointURL', 's3AccessKey', 's3SecretKey', 's3CredentialsSecret', 'endpointCA']
    .map(f => ({ chart: 'postgres', path: `backup.${f}`, since: 'v1.5.0', replacement: PG_BACKUPS })),
  ...['endpoint', 's3AccessKey', 's3SecretKey', 's3Bucket', 's3Region', 's3PathOverride', 's3CredentialsSecret']
    .map(f => ({ chart: 'clickhouse', path: `backup.${f}`, since: 'v1.5.0', replacement: CH_BACKUPS })),
  ...['', '.enabled', '.schedule', '.cleanupStrategy', '.resticPassword', '.s3AccessKey', '.s3SecretKey', '.s3Bucket', '.s3Region']
    .map(f => ({ chart: 'mariadb', path: `backup${f}`, since: 'v1.4.0', replacement: MARIADB_BACKUPS })),
  ...['', '.enabled', '.retentionPolicy', '.s3', '.s3.bucket', '.s3.endpoint', '.s3.region', '.s3.credentials',
    '.s3.credentials.accessKeyId', '.s3.credentials.secretAccessKey']
    .map(f => ({ chart: 'foundationdb', path: `backup${f}`, since: 'v1.4.0', replacement: FDB_BACKUPS })),
  { chart: 'vm-instance', path: 'subnets', since: 'v1.3.0', replacement: 'the `networks` list, which takes the same entries', replacementField: 'networks' },
];
