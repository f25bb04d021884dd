import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeProviderCounters } from './counters.js';
import type { Fault } from './faults.js';
import { parseJson, readBody, sendJson } from './http-body.js';
import { PROVIDERS, type ProviderName } from './wire/provider-wire.js';

/** A fault in force and how many more times it strikes (`null`: until cleared). */
export interface ActiveFault {
  readonly fault: Fault;
  readonly left: number | null;
}

/** What the control route steers: implemented by {@link FakeProvider}. */
export interface FaultControl {
  setFault(provider: ProviderName, fault: Fault): void;
  clearFaults(provider?: ProviderName): void;
  faults(): Record<ProviderName, ActiveFault | null>;
  counters(): FakeProviderCounters;
  resetCounters(): void;
}

/**
 * The fake server's HTTP control route, under its prefix (default `/_control`):
 *
 * | route | does |
 * |---|---|
 * | `GET /` | `{ faults, counters }` |
 * | `PUT` or `POST /faults/:provider` | sets the fault given as the JSON body |
 * | `DELETE /faults/:provider`, `DELETE /faults` | clears one provider's fault, or all |
 * | `GET /counters` | the counters |
 * | `POST /reset` | clears every fault and zeroes the counters |
 *
 * Bad input answers 400 (`{ error }`), an unknown provider 404, a wrong method 405.
 */
export async function handleControl(
  control: FaultControl,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  const method = req.method ?? 'GET';
  const state = () => ({ faults: control.faults(), counters: control.counters() });
  const parts = path.split('/').filter((part) => part !== '');
  const route = parts[0] ?? '';
  if (route === '' && parts.length === 0) {
    return method === 'GET' ? sendJson(res, 200, state()) : notAllowed(res, 'GET');
  }
  if (route === 'counters' && parts.length === 1) {
    return method === 'GET'
      ? sendJson(res, 200, { counters: control.counters() })
      : notAllowed(res, 'GET');
  }
  if (route === 'reset' && parts.length === 1) {
    if (method !== 'POST') return notAllowed(res, 'POST');
    control.clearFaults();
    control.resetCounters();
    return sendJson(res, 200, state());
  }
  if (route === 'faults' && parts.length <= 2) {
    const provider = parts[1];
    if (provider === undefined) {
      if (method !== 'DELETE') return notAllowed(res, 'DELETE');
      control.clearFaults();
      return sendJson(res, 200, state());
    }
    if (!(PROVIDERS as readonly string[]).includes(provider)) {
      return sendJson(res, 404, {
        error: `unknown provider "${provider}"; known: ${PROVIDERS.join(', ')}`,
      });
    }
    const name = provider as ProviderName;
    if (method === 'DELETE') {
      control.clearFaults(name);
      return sendJson(res, 200, state());
    }
    if (method !== 'PUT' && method !== 'POST') return notAllowed(res, 'PUT, POST, DELETE');
    const text = await readBody(req, 64 * 1024);
    if (text === undefined) return sendJson(res, 413, { error: 'body larger than 64 KiB' });
    const fault = parseJson(text);
    if (fault === undefined)
      return sendJson(res, 400, {
        error: 'body must be JSON such as {"kind":"status","status":503}',
      });
    try {
      control.setFault(name, fault as Fault);
    } catch (error) {
      return sendJson(res, 400, { error: (error as Error).message });
    }
    return sendJson(res, 200, state());
  }
  return sendJson(res, 404, { error: `no control route ${method} ${path}` });
}

function notAllowed(res: ServerResponse, allow: string): void {
  sendJson(res, 405, { error: `method not allowed; use ${allow}` }, { allow });
}
