/**
 * The answer text a chunk carries, for the formats {@link isContentChunk} knows: an OpenAI chat
 * delta's `content`, a Responses API `response.output_text.delta`, an Anthropic `text_delta`, the
 * `text` parts of a Google GenAI candidate (thoughts left out), or a string chunk itself. Anything
 * else carries no text (`''`): tool calls, JSON deltas, thinking, events.
 *
 * @example
 * textOfChunk({ choices: [{ index: 0, delta: { content: 'Hel' } }] }); // 'Hel'
 */
export function textOfChunk(chunk: unknown): string {
  if (typeof chunk === 'string') return chunk;
  if (typeof chunk !== 'object' || chunk === null) return '';
  const c = chunk as Record<string, unknown>;
  const type = c['type'];
  if (type === 'content_block_delta') {
    const delta = c['delta'] as { type?: unknown; text?: unknown } | undefined;
    return delta?.type === 'text_delta' && typeof delta.text === 'string' ? delta.text : '';
  }
  if (type === 'response.output_text.delta') {
    return typeof c['delta'] === 'string' ? c['delta'] : '';
  }
  const choices = c['choices'];
  if (Array.isArray(choices)) {
    const content = (choices[0] as { delta?: { content?: unknown } } | undefined)?.delta?.content;
    return typeof content === 'string' ? content : '';
  }
  const candidates = c['candidates'];
  if (Array.isArray(candidates)) {
    const parts = (candidates[0] as { content?: { parts?: unknown } } | undefined)?.content?.parts;
    if (!Array.isArray(parts)) return '';
    let text = '';
    for (const part of parts) {
      const p = part as { text?: unknown; thought?: unknown } | null;
      if (typeof p?.text === 'string' && p.thought !== true) text += p.text;
    }
    return text;
  }
  return '';
}

/** Everything the chunks say, in order: the partial answer a stream had delivered when it was cut. */
export function textOfChunks(chunks: Iterable<unknown>): string {
  let text = '';
  for (const chunk of chunks) text += textOfChunk(chunk);
  return text;
}

/**
 * A copy of `chunk` whose text ({@link textOfChunk}) is `text` instead, for the same formats;
 * the chunk itself for one that carries no text. The copy is shallow but for the path to the text.
 */
export function withChunkText<C>(chunk: C, text: string): C {
  if (typeof chunk === 'string') return text as C;
  if (typeof chunk !== 'object' || chunk === null) return chunk;
  const c = chunk as Record<string, unknown>;
  if (c['type'] === 'content_block_delta') {
    return { ...c, delta: { ...(c['delta'] as object), text } } as C;
  }
  if (c['type'] === 'response.output_text.delta') return { ...c, delta: text } as C;
  const choices = c['choices'];
  if (Array.isArray(choices) && choices.length > 0) {
    const first = choices[0] as { delta?: object };
    return {
      ...c,
      choices: [{ ...first, delta: { ...first.delta, content: text } }, ...choices.slice(1)],
    } as C;
  }
  const candidates = c['candidates'];
  if (Array.isArray(candidates) && candidates.length > 0) {
    const first = candidates[0] as { content?: { parts?: unknown[] } };
    const parts = first.content?.parts ?? [];
    let placed = false;
    const next = parts.flatMap((part) => {
      const p = part as { text?: unknown; thought?: unknown };
      if (typeof p.text !== 'string' || p.thought === true) return [part];
      if (placed) return [];
      placed = true;
      return [{ ...p, text }];
    });
    return {
      ...c,
      candidates: [
        { ...first, content: { ...first.content, parts: next } },
        ...candidates.slice(1),
      ],
    } as C;
  }
  return chunk;
}
