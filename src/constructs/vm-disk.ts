import { Construct } from 'constructs';
import { VMDiskValues } from '../generated';
import { ChartAppBase, CozystackAppProps } from './cozystack-app';

/**
 * Properties of a {@link VMDisk}: every value of Cozystack's `vm-disk` chart, and its name.
 */
export interface VMDiskProps extends VMDiskValues, CozystackAppProps {}

/**
 * A virtual machine disk (`apps.cozystack.io/v1alpha1` `VMDisk`) in a tenant: empty, or filled from an image, a URL or another disk. Attach it to a {@link VMInstance}.
 *
 * ```ts
 * const disk = new VMDisk(tenant, 'system', { source: { image: { name: 'ubuntu' } }, storage: '20Gi' });
 * ```
 */
export class VMDisk extends ChartAppBase {
  /**
   * @param scope the tenant (or a construct of yours inside it)
   * @param id the construct id, also the object's name unless `props.name` is given
   * @param props the vm-disk chart's values
   */
  public constructor(scope: Construct, id: string, props: VMDiskProps = {}) {
    super(scope, id, 'VMDisk', props);
  }
}
