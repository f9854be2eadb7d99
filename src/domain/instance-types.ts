/**
 * The VirtualMachineClusterInstancetype objects Cozystack installs on every platform
 * (packages/system/kubevirt-instancetypes, v1.6.2: KubeVirt's common instance types and the
 * gn1 GPU series): guest CPUs and memory by name. Charts look instance types up on the
 * cluster; for these names the library knows the answer before apply. An admin may add
 * others (or change these): for a name not listed only the cluster knows.
 */
import { closest } from './rules/common';

/** Guest CPUs and memory of an instance type. @internal */
export interface InstanceTypeSize {
  readonly cpu: number;
  readonly memory: string;
}

const SIZES: { readonly [name: string]: readonly [number, string] } = {
  'cx1.2xlarge': [8, '16Gi'],
  'cx1.2xlarge1gi': [8, '16Gi'],
  'cx1.4xlarge': [16, '32Gi'],
  'cx1.4xlarge1gi': [16, '32Gi'],
  'cx1.8xlarge': [32, '64Gi'],
  'cx1.8xlarge1gi': [32, '64Gi'],
  'cx1.large': [2, '4Gi'],
  'cx1.large1gi': [2, '4Gi'],
  'cx1.medium': [1, '2Gi'],
  'cx1.medium1gi': [1, '2Gi'],
  'cx1.xlarge': [4, '8Gi'],
  'cx1.xlarge1gi': [4, '8Gi'],
  'd1.2xlarge': [8, '32Gi'],
  'd1.2xmedium': [2, '4Gi'],
  'd1.4xlarge': [16, '64Gi'],
  'd1.8xlarge': [32, '128Gi'],
  'd1.large': [2, '8Gi'],
  'd1.medium': [1, '4Gi'],
  'd1.micro': [1, '1Gi'],
  'd1.nano': [1, '512Mi'],
  'd1.small': [1, '2Gi'],
  'd1.xlarge': [4, '16Gi'],
  'gn1.2xlarge': [8, '32Gi'],
  'gn1.4xlarge': [16, '64Gi'],
  'gn1.8xlarge': [32, '128Gi'],
  'gn1.xlarge': [4, '16Gi'],
  'm1.2xlarge': [8, '64Gi'],
  'm1.2xlarge1gi': [8, '64Gi'],
  'm1.4xlarge': [16, '128Gi'],
  'm1.4xlarge1gi': [16, '128Gi'],
  'm1.8xlarge': [32, '256Gi'],
  'm1.8xlarge1gi': [32, '256Gi'],
  'm1.large': [2, '16Gi'],
  'm1.large1gi': [2, '16Gi'],
  'm1.xlarge': [4, '32Gi'],
  'm1.xlarge1gi': [4, '32Gi'],
  'n1.2xlarge': [16, '32Gi'],
  'n1.4xlarge': [32, '64Gi'],
  'n1.8xlarge': [64, '128Gi'],
  'n1.large': [4, '8Gi'],
  'n1.medium': [4, '4Gi'],
  'n1.xlarge': [8, '16Gi'],
  'o1.2xlarge': [8, '32Gi'],
  'o1.4xlarge': [16, '64Gi'],
  'o1.8xlarge': [32, '128Gi'],
  'o1.large': [2, '8Gi'],
  'o1.medium': [1, '4Gi'],
  'o1.micro': [1, '1Gi'],
  'o1.nano': [1, '512Mi'],
  'o1.small': [1, '2Gi'],
  'o1.xlarge': [4, '16Gi'],
  'rt1.2xlarge': [8, '32Gi'],
  'rt1.4xlarge': [16, '64Gi'],
  'rt1.8xlarge': [32, '128Gi'],
  'rt1.large': [2, '8Gi'],
  'rt1.medium': [1, '4Gi'],
  'rt1.micro': [1, '1Gi'],
  'rt1.small': [1, '2Gi'],
  'rt1.xlarge': [4, '16Gi'],
  'u1.2xlarge': [8, '32Gi'],
  'u1.2xmedium': [2, '4Gi'],
  'u1.4xlarge': [16, '64Gi'],
  'u1.8xlarge': [32, '128Gi'],
  'u1.large': [2, '8Gi'],
  'u1.medium': [1, '4Gi'],
  'u1.micro': [1, '1Gi'],
  'u1.nano': [1, '512Mi'],
  'u1.small': [1, '2Gi'],
  'u1.xlarge': [4, '16Gi'],
};

/** The size of an instance type Cozystack installs, or undefined for any other name. @internal */
export function instanceTypeSize(name: unknown): InstanceTypeSize | undefined {
  if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(SIZES, name)) return undefined;
  const [cpu, memory] = SIZES[name];
  return { cpu, memory };
}

/**
 * For a name in one of Cozystack's instance type series (`u1.`, `cx1.`, ...) that is not one
 * of its sizes, the installed name closest to it (`u1.mediun` → `u1.medium`, `U1.Medium` →
 * `u1.medium`); undefined otherwise. Names of other series may be the platform's own.
 * @internal
 */
export function closestInstanceType(name: unknown): string | undefined {
  if (typeof name !== 'string' || instanceTypeSize(name) !== undefined) return undefined;
  const series = name.split('.')[0].toLowerCase();
  const names = Object.keys(SIZES);
  if (!names.some(n => n.startsWith(`${series}.`))) return undefined;
  return closest(name, names, true);
}
