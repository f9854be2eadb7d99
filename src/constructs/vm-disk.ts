import { Construct } from 'constructs';
import { APP_MESSAGES } from '../domain/app-rules';
import { VMDiskValues } from '../generated';
import { ChartAppBase, CozystackAppProps } from './cozystack-app';
import { referenceProblems } from './private/references';

/**
 * Properties of a {@link VMDisk}: every value of Cozystack's `vm-disk` chart, the disk it is
 * cloned from, and its name.
 */
export interface VMDiskProps extends VMDiskValues, CozystackAppProps {
  /**
   * Clone this disk from another {@link VMDisk} of the same tenant. The library writes its name
   * into `source.disk.name` (the chart clones the PVC of that VMDisk in its own namespace,
   * dv.yaml:32-35); leave `source.disk` unset.
   *
   * @default - the disk is filled from `source` (an image, a URL, an upload) or left empty
   */
  readonly cloneOf?: VMDisk;
}

/**
 * A virtual machine disk (`apps.cozystack.io/v1alpha1` `VMDisk`) in a tenant: empty, or filled from an image, a URL or another disk. Attach it to a {@link VMInstance}.
 *
 * ```ts
 * const disk = new VMDisk(tenant, 'system', { source: { image: { name: 'ubuntu' } }, storage: '20Gi' });
 * const copy = new VMDisk(tenant, 'system-copy', { cloneOf: disk, storage: '20Gi' });
 * ```
 */
export class VMDisk extends ChartAppBase {
  /** The disk this one is cloned from. */
  public readonly cloneOf?: VMDisk;

  /**
   * @param scope the tenant (or a construct of yours inside it)
   * @param id the construct id, also the object's name unless `props.name` is given
   * @param props the vm-disk chart's values
   */
  public constructor(scope: Construct, id: string, props: VMDiskProps = {}) {
    super(scope, id, 'VMDisk', props, ['cloneOf']);
    this.cloneOf = props.cloneOf;
  }

  protected completeSpec(spec: { [key: string]: any }): void {
    const name = (this.cloneOf as unknown as { name?: unknown } | undefined)?.name;
    if (this.cloneOf === undefined || spec.source?.disk !== undefined) return;
    spec.source = { ...spec.source, disk: { name } };
  }

  protected specProblems(spec: { [key: string]: any }, skip: string[]): string[] {
    if (this.cloneOf === undefined) {
      if (spec.source?.disk?.name === undefined) return [];
      skip.push('spec.source.disk');
      return [APP_MESSAGES.referenceAsString('source.disk.name', 'cloneOf', 'VMDisk')];
    }
    const errors = referenceProblems(this, 'cloneOf', this.cloneOf, 'VMDisk', 'VMDisk');
    if (errors.length === 0 && spec.source?.disk?.name !== this.cloneOf.name) {
      errors.push(APP_MESSAGES.referenceAsString('source.disk.name', 'cloneOf', 'VMDisk'));
    }
    if (errors.length === 0 && this.cloneOf === this) errors.push(APP_MESSAGES.referenceSelf('cloneOf', 'VMDisk'));
    if (errors.length > 0) skip.push('spec.source.disk');
    return errors;
  }
}
