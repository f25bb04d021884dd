/**
 * Which chunks of a provider's stream carry content: the commit point of a failover stream is
 * its first content chunk. Recognises the chunks the official clients yield (and the JSON of
 * the raw SSE events, which has the same shape):
 *
 * | stream | content | not content (held back as preamble) |
 * |---|---|---|
 * | OpenAI chat completions | a delta with `content`, `refusal`, `tool_calls`, `reasoning_content` | role-only deltas, empty deltas, the usage chunk, a bare `finish_reason` |
 * | OpenAI Responses API | `*.delta` events with a non-empty `delta` | `response.created`, `response.in_progress`, `*.added`, `*.done`, `response.completed` |
 * | Anthropic messages | `content_block_delta` with text, JSON or thinking | `message_start`, `content_block_start`, `content_block_stop`, `message_delta`, `message_stop`, `ping` |
 * | Google GenAI | a candidate part with `text`, `functionCall`, `inlineData`, `executableCode`, ... | chunks with no candidate parts (usage, prompt feedback) |
 *
 * Any other value is content, apart from an empty string or byte array: a stream of strings,
 * buffers or objects of your own commits at its first chunk.
 *
 * @example
 * isContentChunk({ type: 'message_start', message: {} }); // false
 * isContentChunk({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi' } }); // true
 */
export function isContentChunk(chunk: unknown): boolean {
  if (typeof chunk !== 'object' || chunk === null) {
    return typeof chunk === 'string' ? chunk !== '' : chunk !== undefined;
  }
  const c = chunk as Record<string, unknown>;
  const type = c['type'];
  if (typeof type === 'string') {
    const known = eventContent(type, c);
    if (known !== undefined) return known;
  }
  const choices = c['choices'];
  if (Array.isArray(choices) && (c['object'] === 'chat.completion.chunk' || hasDelta(choices))) {
    for (const choice of choices) if (deltaHasContent(choice)) return true;
    return false;
  }
  const candidates = c['candidates'];
  if (Array.isArray(candidates)) {
    for (const candidate of candidates) if (candidateHasContent(candidate)) return true;
    return false;
  }
  if (candidates === undefined && ('usageMetadata' in c || 'promptFeedback' in c)) return false;
  if (ArrayBuffer.isView(chunk)) return chunk.byteLength > 0;
  return true;
}

/** Anthropic and Responses API events by `type`; `undefined` for a type neither uses. */
function eventContent(type: string, c: Record<string, unknown>): boolean | undefined {
  switch (type) {
    case 'content_block_delta': {
      const delta = c['delta'] as Record<string, unknown> | undefined;
      if (typeof delta !== 'object' || delta === null) return false;
      return (
        nonEmpty(delta['text']) ||
        nonEmpty(delta['partial_json']) ||
        nonEmpty(delta['thinking']) ||
        nonEmpty(delta['citation'])
      );
    }
    case 'message_start':
    case 'content_block_start':
    case 'content_block_stop':
    case 'message_delta':
    case 'message_stop':
    case 'ping':
      return false;
  }
  if (type.startsWith('response.')) {
    if (type.endsWith('.delta')) return nonEmpty(c['delta']);
    return false;
  }
  return undefined;
}

function hasDelta(choices: unknown[]): boolean {
  const first = choices[0] as { delta?: unknown } | undefined;
  return typeof first === 'object' && first !== null && typeof first.delta === 'object';
}

function deltaHasContent(choice: unknown): boolean {
  const delta = (choice as { delta?: Record<string, unknown> } | null)?.delta;
  if (typeof delta !== 'object' || delta === null) return false;
  return (
    nonEmpty(delta['content']) ||
    nonEmpty(delta['refusal']) ||
    nonEmpty(delta['reasoning_content']) ||
    (Array.isArray(delta['tool_calls']) && delta['tool_calls'].length > 0) ||
    (typeof delta['function_call'] === 'object' && delta['function_call'] !== null)
  );
}

function candidateHasContent(candidate: unknown): boolean {
  const parts = (candidate as { content?: { parts?: unknown } } | null)?.content?.parts;
  if (!Array.isArray(parts)) return false;
  for (const part of parts) {
    if (typeof part !== 'object' || part === null) continue;
    for (const key in part) {
      const value = (part as Record<string, unknown>)[key];
      if (key === 'text' ? nonEmpty(value) : CONTENT_PARTS.has(key) && value != null) return true;
    }
  }
  return false;
}

/** Google GenAI part fields that carry content besides `text`. */
const CONTENT_PARTS: ReadonlySet<string> = new Set([
  'functionCall',
  'inlineData',
  'fileData',
  'executableCode',
  'codeExecutionResult',
]);

function nonEmpty(value: unknown): boolean {
  return typeof value === 'string' ? value !== '' : typeof value === 'object' && value !== null;
}
