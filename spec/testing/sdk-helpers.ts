/** Small helpers the testing specs share: official clients pointed at a fake, and stream readers. */
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import type { FakeProvider } from '../../lib/testing/index.js';

/** An official openai client for `fake`, with retries off so every fault reaches the caller. */
export function openaiFor(
  fake: FakeProvider,
  options: { timeout?: number; apiKey?: string } = {},
): OpenAI {
  return new OpenAI({
    apiKey: options.apiKey ?? 'test-key',
    baseURL: fake.openaiBaseURL,
    maxRetries: 0,
    ...options,
  });
}

/** An official @anthropic-ai/sdk client for `fake`, with retries off. */
export function anthropicFor(
  fake: FakeProvider,
  options: { timeout?: number; apiKey?: string } = {},
): Anthropic {
  return new Anthropic({
    apiKey: options.apiKey ?? 'test-key',
    baseURL: fake.anthropicBaseURL,
    maxRetries: 0,
    ...options,
  });
}

/** An official @google/genai client for `fake` (the client does not retry unless told to). */
export function googleFor(
  fake: FakeProvider,
  options: { timeout?: number; apiKey?: string } = {},
): GoogleGenAI {
  return new GoogleGenAI({
    apiKey: options.apiKey ?? 'test-key',
    httpOptions: {
      baseUrl: fake.googleBaseURL,
      ...(options.timeout !== undefined && { timeout: options.timeout }),
    },
  });
}

/** A Google generateContent request for `prompt`. */
export function contentBody(prompt: string, signal?: AbortSignal) {
  return {
    model: 'gemini-test',
    contents: prompt,
    ...(signal !== undefined && { config: { abortSignal: signal } }),
  };
}

/** Reads a @google/genai stream to its end, keeping the text received before any error. */
export async function readGoogleStream(
  google: GoogleGenAI,
  prompt: string,
  signal?: AbortSignal,
): Promise<{ text: string; error?: unknown }> {
  let text = '';
  try {
    const stream = await google.models.generateContentStream(contentBody(prompt, signal));
    for await (const chunk of stream) text += chunk.text ?? '';
    return { text };
  } catch (error) {
    return { text, error };
  }
}

/** An OpenAI chat request for `prompt`. */
export function chatBody(prompt: string) {
  return { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: prompt }] };
}

/** An Anthropic messages request for `prompt`. */
export function messagesBody(prompt: string) {
  return {
    model: 'claude-test',
    max_tokens: 64,
    messages: [{ role: 'user' as const, content: prompt }],
  };
}

/** What a promise rejected with; fails if it resolved. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** Reads an openai stream to its end, keeping the text received before any error. */
export async function readOpenAIStream(
  openai: OpenAI,
  prompt: string,
  signal?: AbortSignal,
): Promise<{ text: string; error?: unknown }> {
  let text = '';
  try {
    const stream = await openai.chat.completions.create(
      { ...chatBody(prompt), stream: true },
      { signal },
    );
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    return { text };
  } catch (error) {
    return { text, error };
  }
}

/** Reads an Anthropic stream to its end: the text and the event types, and any error. */
export async function readAnthropicStream(
  anthropic: Anthropic,
  prompt: string,
): Promise<{ text: string; events: string[]; error?: unknown }> {
  let text = '';
  const events: string[] = [];
  try {
    const stream = await anthropic.messages.create({ ...messagesBody(prompt), stream: true });
    for await (const event of stream) {
      events.push(event.type);
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta')
        text += event.delta.text;
    }
    return { text, events };
  } catch (error) {
    return { text, events, error };
  }
}
