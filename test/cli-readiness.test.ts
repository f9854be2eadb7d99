/**
 * When `apply` counts a Tenant or a Kubernetes cluster as Ready: the Ready condition is
 * True and describes the object's current generation.
 */
import { notReadyLines, readinessOf } from '../src/cli/readiness';

const ready = (extra: Record<string, unknown> = {}) => ({ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', ...extra });

test('Ready=True for the current generation, on the condition or in status', () => {
  const fresh = { ready: true, unverified: false };
  expect(readinessOf({ metadata: { generation: 3 }, status: { conditions: [ready({ observedGeneration: 3 })] } })).toMatchObject(fresh);
  expect(readinessOf({ metadata: { generation: 3 }, status: { observedGeneration: 3, conditions: [ready()] } })).toMatchObject(fresh);
  // The condition's own generation wins over status.observedGeneration.
  const stale = { metadata: { generation: 3 }, status: { observedGeneration: 3, conditions: [ready({ observedGeneration: 2 })] } };
  expect(readinessOf(stale).ready).toBe(false);
});

test('Ready=True for an older generation is not Ready, and says why', () => {
  const s = readinessOf({ metadata: { generation: 2 }, status: { conditions: [ready({ observedGeneration: 1, message: 'ok' })] } });
  expect(s).toMatchObject({ found: true, ready: false, generation: 2, observedGeneration: 1 });
  expect(notReadyLines('Tenant tenant-root/foo', s)).toEqual([
    '  Tenant tenant-root/foo: not Ready for its current spec (generation 2; the conditions describe generation 1, '
      + 'so its controllers have not acted on the last change yet); conditions:',
    '    Ready=True (ReconciliationSucceeded): ok',
  ]);
});

test('a server that reports no generation: Ready=True is taken, flagged unverified', () => {
  expect(readinessOf({ metadata: {}, status: { conditions: [ready()] } })).toMatchObject({ ready: true, unverified: true });
  expect(readinessOf({ metadata: { generation: 4 }, status: { conditions: [ready()] } })).toMatchObject({ ready: true, unverified: true });
});

test('not found, no conditions, Ready=False', () => {
  expect(notReadyLines('Kubernetes tenant-foo/c1', readinessOf(undefined))).toEqual(['  Kubernetes tenant-foo/c1: not found on the cluster']);
  expect(notReadyLines('Kubernetes tenant-foo/c1', readinessOf({ metadata: { generation: 1 } }))).toEqual(['  Kubernetes tenant-foo/c1: no status conditions reported yet']);
  const failed = readinessOf({ metadata: { generation: 1 }, status: { conditions: [{ type: 'Ready', status: 'False', reason: 'InstallFailed', message: 'boom', observedGeneration: 1 }] } });
  expect(failed.ready).toBe(false);
  expect(notReadyLines('Tenant x', failed)).toEqual(['  Tenant x: not Ready; conditions:', '    Ready=False (InstallFailed): boom']);
});
