import type { ActiveFault, Fault } from '../../lib/testing/index.js';

/** Where the dashboard asks which fault is in force: `GET /_demo/faults/:provider`. */
export const DEMO_FAULTS_PATH = '/_demo/faults';

/** The fault switches offered per fake provider, in the fake kit's own terms. */
export const FAULT_SWITCHES: readonly (readonly [string, Fault | null])[] = [
  ['Healthy', null],
  ['503 outage', { kind: 'status', status: 503 }],
  ['429 rate limit (30 s)', { kind: 'status', status: 429, retryAfter: 30 }],
  ['Fail half', { kind: 'status', status: 500, probability: 0.5 }],
  ['Hang', { kind: 'hang' }],
  ['Reset connections', { kind: 'reset' }],
  ['Slow (1.5 s)', { kind: 'slow', delayMs: 1_500 }],
];

/**
 * What a fault panel shows: the label of the switch in force (`active`, the button the panel
 * marks) and a line that says it, such as "In force: 503 outage". A fault set some other way
 * (the control route, a spec) is named by its kind.
 */
export function faultStatus(active: ActiveFault | null | undefined): {
  readonly active: string | null;
  readonly message: string;
} {
  if (active === null || active === undefined) {
    return { active: 'Healthy', message: 'In force: nothing (healthy)' };
  }
  const shown = JSON.stringify(active.fault);
  const known = FAULT_SWITCHES.find(
    ([, fault]) => fault !== null && JSON.stringify(fault) === shown,
  );
  const name = known?.[0] ?? `${active.fault.kind} (set elsewhere)`;
  const left = active.left === null ? '' : `, ${active.left} more`;
  return { active: known?.[0] ?? null, message: `In force: ${name}${left}` };
}
