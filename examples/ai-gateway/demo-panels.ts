import type { DashboardPanel } from '../../adapters/http/index.js';
import { CONTROL_PATH } from './demo-controls.js';
import { DEMO_ASK_PATH } from './demo-traffic.js';
import { DEMO_FAULTS_PATH, FAULT_SWITCHES } from './demo-faults.js';
import type { GatewayConfig } from './gateway-config.js';

/**
 * Demo mode's dashboard panels (the admin router's `panels` option): a traffic panel (ask 1 or
 * 10 questions through the chain) and, for each provider a fake stands in for, its fault
 * switches, with the switch in force marked. Every button calls the gateway's demo routes with
 * the admin token the viewer unlocked the dashboard with.
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
      status: `${DEMO_FAULTS_PATH}/${provider}`,
      buttons: FAULT_SWITCHES.map(([label, fault]) =>
        fault === null
          ? { label, method: 'DELETE' as const, url }
          : { label, method: 'PUT' as const, url, body: fault },
      ),
    });
  }
  return panels;
}
