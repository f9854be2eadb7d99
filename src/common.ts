/**
 * Value types shared by several charts.
 */

/** Explicit CPU and memory, as Kubernetes quantities (`"500m"`, `"2"`, `"1Gi"`). */
export interface ResourceQuantities {
  /**
   * CPU, e.g. `"500m"` or `"2"`.
   * @default - the chart's preset decides.
   */
  readonly cpu?: string;
  /**
   * Memory, e.g. `"512Mi"` or `"4Gi"`.
   * @default - the chart's preset decides.
   */
  readonly memory?: string;
}
