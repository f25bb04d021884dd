import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import { randomBytes } from 'node:crypto';
import OpenAI from 'openai';
import { BreakerRegistry, bindRegistry, type BreakerOptions, type Clock } from '../../lib/index.js';
import { startFakeProvider, type FakeProvider } from '../../lib/testing/index.js';
import type { DashboardPanel } from '../../adapters/http/index.js';
import { AnswerCache } from './answer-cache.js';
import { AnthropicChat } from './anthropic-chat.js';
import { ChatEndpoint } from './chat-endpoint.js';
import { ChatService } from './chat-service.js';
import { ChatStreams } from './chat-streams.js';
import { DemoControls } from './demo-controls.js';
import { demoPanels } from './demo-panels.js';
import type { GatewayConfig } from './gateway-config.js';
import { GoogleChat } from './google-chat.js';
import { OpenAiChat } from './openai-chat.js';
import { redactSecrets } from './redact-secrets.js';

/** How much longer than the breaker's `timeout` an SDK request may run before the SDK ends it. */
export const SDK_TIMEOUT_GRACE_MS = 1_000;

/** What the gateway is made with besides its configuration. */
export interface GatewayOptions {
  /** The clock of every breaker: inject one to drive reset timeouts in tests. Default: the system's. */
  readonly clock?: Clock;
  /** Where the gateway writes its log lines. Default `console.log`. */
  readonly log?: (line: string) => void;
}

/**
 * Everything the gateway is made of except its web framework: the breaker registry, the
 * decorated {@link ChatService} over the official `openai` and `@anthropic-ai/sdk` clients, the
 * cache tier, the chat endpoint, and, in demo mode, the in-process fake providers and their
 * control route. The Express and Koa examples put their routes on top of this.
 */
export class GatewayServices {
  /** Whether a fake provider stands in for a real one (no key or base URL given). */
  readonly demo: boolean;

  private constructor(
    readonly config: GatewayConfig,
    readonly registry: BreakerRegistry,
    readonly chat: ChatService,
    readonly endpoint: ChatEndpoint,
    readonly cache: AnswerCache,
    /** The in-process fake providers, in demo mode. */
    readonly fake: FakeProvider | null,
    /** Demo mode's routes: the fake providers' control route and the dashboard's ask button. */
    readonly demoControls: DemoControls | null,
    /** The admin router's token: `ADMIN_TOKEN`, or one made up in demo mode. */
    readonly adminToken: string | undefined,
    readonly log: (line: string) => void,
  ) {
    this.demo = fake !== null;
  }

  /**
   * Makes the services: starts the fake providers first when a provider has no key or base
   * URL, points the SDK clients at them (or at the real providers), and makes the `openai` and
   * `anthropic` breakers from the configuration so that they show on the dashboard at once.
   *
   * @example
   * const services = await GatewayServices.start(readGatewayConfig(process.env));
   */
  static async start(
    config: GatewayConfig,
    options: GatewayOptions = {},
  ): Promise<GatewayServices> {
    const needsFake = config.openai.fake || config.anthropic.fake || config.google.fake;
    const adminToken =
      config.adminToken ?? (needsFake ? randomBytes(18).toString('base64url') : undefined);
    // Keys and the operator's token never reach the log, whatever an error message quotes.
    const log = redactSecrets(options.log ?? ((line: string) => console.log(line)), [
      config.openai.apiKey,
      config.anthropic.apiKey,
      config.google.apiKey,
      config.adminToken,
    ]);
    // The fake's own control port asks for the same token as the gateway's /_control route:
    // anyone who can reach that port could otherwise switch faults.
    const fake = needsFake
      ? await startFakeProvider({
          port: config.fakePort,
          ...(adminToken === undefined ? {} : { controlToken: adminToken }),
        })
      : null;
    const sdkTimeout = config.timeoutMs + SDK_TIMEOUT_GRACE_MS;
    const openai = new OpenAI({
      apiKey: config.openai.fake ? 'fake-key' : (config.openai.apiKey ?? 'none'),
      baseURL: config.openai.fake ? fake!.openaiBaseURL : (config.openai.baseURL ?? null),
      maxRetries: 0,
      timeout: sdkTimeout,
    });
    const anthropic = new Anthropic({
      apiKey: config.anthropic.fake ? 'fake-key' : (config.anthropic.apiKey ?? 'none'),
      baseURL: config.anthropic.fake ? fake!.anthropicBaseURL : (config.anthropic.baseURL ?? null),
      maxRetries: 0,
      timeout: sdkTimeout,
    });
    const google = new GoogleGenAI({
      apiKey: config.google.fake ? 'fake-key' : (config.google.apiKey ?? 'none'),
      ...(config.google.fake || config.google.baseURL !== undefined
        ? {
            httpOptions: {
              baseUrl: config.google.fake ? fake!.googleBaseURL : config.google.baseURL!,
            },
          }
        : {}),
    });
    const defaults: BreakerOptions = {
      failureThreshold: config.failureThreshold,
      resetTimeout: config.resetTimeoutMs,
      timeout: config.timeoutMs,
      ...(config.maxResetTimeoutMs === undefined
        ? {}
        : { maxResetTimeout: config.maxResetTimeoutMs }),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
    };
    const registry = new BreakerRegistry({ defaults, shutdownTimeout: config.shutdownTimeoutMs });
    registry.get('openai', { group: 'llm' });
    registry.get('anthropic', { group: 'llm' });
    registry.get('google', { group: 'llm' });
    const cache = new AnswerCache(config.cacheMaxEntries);
    const openaiChat = new OpenAiChat(openai, config.openai.model, sdkTimeout);
    const anthropicChat = new AnthropicChat(
      anthropic,
      config.anthropic.model,
      config.anthropic.maxTokens,
      sdkTimeout,
    );
    const chat = bindRegistry(
      new ChatService(openaiChat, anthropicChat, cache, config.degradedMessage),
      registry,
    );
    const streams = new ChatStreams({
      openai: openaiChat,
      anthropic: anthropicChat,
      google: new GoogleChat(google, config.google.model),
      cache,
      degradedMessage: config.degradedMessage,
      registry,
      resume: config.streamResume,
    });
    const controlURL = fake?.controlURL;
    const demoControls =
      controlURL === undefined ? null : new DemoControls(controlURL, chat, adminToken);
    return new GatewayServices(
      config,
      registry,
      chat,
      new ChatEndpoint(chat, log, { chain: streams, cache }),
      cache,
      fake,
      demoControls,
      adminToken,
      log,
    );
  }

  /**
   * Lets in-flight provider calls finish for up to `timeoutMs` (then aborts them), and closes
   * the fake providers. Idempotent.
   */
  async close(timeoutMs = this.config.shutdownTimeoutMs): Promise<void> {
    await this.registry.close(timeoutMs);
    await this.fake?.close();
  }
}

/**
 * The admin router's options, the same under Express and Koa: the admin token, and in demo
 * mode the dashboard panels that make traffic and switch the fake providers' faults.
 */
export function adminOptions(services: GatewayServices): {
  token?: string;
  panels?: DashboardPanel[];
} {
  return {
    ...(services.adminToken === undefined ? {} : { token: services.adminToken }),
    ...(services.demoControls === null ? {} : { panels: demoPanels(services.config) }),
  };
}
