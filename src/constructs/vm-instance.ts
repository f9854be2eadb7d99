import { Construct } from 'constructs';
import { APP_MESSAGES } from '../domain/app-rules';
import { VMInstanceValues } from '../generated';
import { ChartAppBase, CozystackAppProps } from './cozystack-app';
import { referenceProblems } from './private/references';
import { VMDisk } from './vm-disk';

/** A disk a {@link VMInstance} boots from or mounts, in boot order. */
export interface VMDiskAttachment {
  /** The disk: a {@link VMDisk} of the same tenant. */
  readonly disk: VMDisk;
  /**
   * The bus the VM sees the disk on (`virtio`, `sata`, `scsi`).
   *
   * @default - KubeVirt's default bus
   */
  readonly bus?: string;
}

/**
 * Properties of a {@link VMInstance}: every value of Cozystack's `vm-instance` chart, the
 * disks it attaches, and its name.
 */
export interface VMInstanceProps extends VMInstanceValues, CozystackAppProps {
  /**
   * The disks to attach, in boot order: {@link VMDisk}s of the same tenant. The library writes
   * their names into `disks` (the chart looks each up as the DataVolume of that VMDisk in its
   * own namespace and fails when it is missing); leave `disks` unset.
   *
   * @default - no disks
   */
  readonly attachedDisks?: VMDiskAttachment[];
}

/**
 * A virtual machine (`apps.cozystack.io/v1alpha1` `VMInstance`, KubeVirt) in a tenant,
 * booting from {@link VMDisk}s declared in the same tenant.
 *
 * ```ts
 * const disk = new VMDisk(tenant, 'system', { source: { image: { name: 'ubuntu' } }, storage: '20Gi' });
 * new VMInstance(tenant, 'vm1', { instanceType: 'u1.medium', attachedDisks: [{ disk }] });
 * ```
 */
export class VMInstance extends ChartAppBase {
  /** The disks attached, in boot order. */
  public readonly attachedDisks: VMDiskAttachment[];
  /** In-cluster host of the VM's Service (a LoadBalancer with `external: true`). */
  public readonly serviceHost: string;

  /**
   * @param scope the tenant (or a construct of yours inside it)
   * @param id the construct id, also the object's name unless `props.name` is given
   * @param props the vm-instance chart's values and the disks to attach
   */
  public constructor(scope: Construct, id: string, props: VMInstanceProps = {}) {
    super(scope, id, 'VMInstance', props, ['attachedDisks']);
    this.attachedDisks = [...(props.attachedDisks ?? [])];
    this.serviceHost = this._serviceHost('vm');
  }

  protected completeSpec(spec: { [key: string]: any }): void {
    if (this.attachedDisks.length === 0 || spec.disks !== undefined) return;
    spec.disks = this.attachedDisks.map(a => {
      const name = (a?.disk as unknown as { name?: unknown })?.name;
      return a?.bus === undefined ? { name } : { bus: a.bus, name };
    });
  }

  protected specProblems(spec: { [key: string]: any }, skip: string[]): string[] {
    const errors: string[] = [];
    if (spec.disks !== undefined && this.attachedDisks.length === 0 && (spec.disks as unknown[]).length > 0) {
      errors.push(APP_MESSAGES.referenceAsString('disks', 'attachedDisks', 'VMDisk'));
    } else if (spec.disks !== undefined && this.attachedDisks.some((a, i) => spec.disks[i]?.name !== (a?.disk as any)?.name)) {
      errors.push(APP_MESSAGES.referenceAsString('disks', 'attachedDisks', 'VMDisk'));
    }
    this.attachedDisks.forEach((a, i) => errors.push(...referenceProblems(this, `attachedDisks[${i}].disk`, a?.disk, 'VMDisk', 'VMDisk')));
    if (errors.length > 0) skip.push('spec.disks');
    return errors;
  }
}
