import type { DashboardPanel } from '../../adapters/http/index.js';
import type { Fault } from '../../lib/testing/index.js';
import { CONTROL_PATH } from './demo-controls.js';
import { DEMO_ASK_PATH } from './demo-traffic.js';
import type { GatewayConfig } from './gateway-config.js';

/** The fault switches offered per fake provider, in the fake kit's own terms. */
const SWITCHES: readonly (readonly [string, Fault | null])[] = [
  ['Healthy', null],
  ['503 outage', { kind: 'status', status: 503 }],
  ['429 rate limit (30 s)', { kind: 'status', status: 429, retryAfter: 30 }],
  ['Fail half', { kind: 'status', status: 500, probability: 0.5 }],
  ['Hang', { kind: 'hang' }],
  ['Reset connections', { kind: 'reset' }],
  ['Slow (1.5 s)', { kind: 'slow', delayMs: 1_500 }],
];

/**
 * Demo mode's dashboard panels (the admin router's `panels` option): a traffic panel (ask 1 or
 * 10 questions through the chain) and, for each provider a fake stands in for, its fault
 * switches. Every button calls the gateway's demo routes with the admin token the viewer
 * unlocked the dashboard with.
 */
export function demoPanels(config: GatewayConfig): DashboardPanel[] {
  const panels: DashboardPanel[] = [
    {
      title: 'Traffic',
      description:
        'Ask questions through the chain (OpenAI, Anthropic, cache, degraded) and see which tier answered.',
      buttons: [1, 10].map((count) => ({
        label: count === 1 ? 'Ask 1 question' : `Ask ${count} questions`,
        method: 'POST' as const,
        url: DEMO_ASK_PATH,
        body: { count },
      })),
    },
  ];
  for (const provider of ['openai', 'anthropic'] as const) {
    if (!config[provider].fake) continue;
    const url = `${CONTROL_PATH}/faults/${provider}`;
    panels.push({
      title: `Fake ${provider === 'openai' ? 'OpenAI' : 'Anthropic'}`,
      description: `What the in-process fake ${provider} provider does to the next requests.`,
      buttons: SWITCHES.map(([label, fault]) =>
        fault === null
          ? { label, method: 'DELETE' as const, url }
          : { label, method: 'PUT' as const, url, body: fault },
      ),
    });
  }
  return panels;
}
