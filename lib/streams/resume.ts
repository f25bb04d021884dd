import { show } from '../core/show.js';
import { textOfChunks } from './chunk-text.js';
import type { Resume } from './resume-types.js';

/** Options of {@link resumeOpenAiChat} and {@link resumeAnthropicMessages}. */
export interface ResumeOptions {
  /**
   * Continue with the partial answer as an assistant prefill (the last turn), which the model
   * extends. Only where the target supports it: newer Claude models answer a prefill with a 400,
   * and OpenAI's chat API has none (some compatible APIs do). Default `false`: the partial answer
   * as an assistant turn followed by a user turn asking to continue, which every model takes.
   */
  readonly prefill?: boolean | undefined;
  /** The user turn that asks to continue. Default {@link CONTINUE_INSTRUCTION}. */
  readonly instruction?: string | undefined;
  /** Cut what the next provider repeats of the partial answer's end. Default `true`. */
  readonly removeOverlap?: boolean | undefined;
  /** Which of the chain's arguments is the request body. Default 0. */
  readonly argument?: number | undefined;
}

/**
 * What {@link resumeOpenAiChat} and {@link resumeAnthropicMessages} return: a `resume` that fits
 * any level whose arguments carry the request body, whatever its chunks. (Their type parameters,
 * the level's arguments and chunks, may be given; they are inferred from nothing and needed by
 * nothing.)
 */
export interface ResumeHelper {
  <A extends readonly unknown[]>(args: A, delivered: readonly unknown[]): A | undefined;
  /** Whether the chain cuts what the next level repeats of the partial answer. */
  readonly removeOverlap: boolean;
}

/** The default user turn of a resumed request. */
export const CONTINUE_INSTRUCTION =
  'Your previous reply was cut off. Continue it from exactly where it stopped, without repeating anything already written and without any preamble.';

/** A request body with `messages`, as both shapes have. */
interface MessagesBody {
  readonly messages: readonly unknown[];
}

/** The body a continuation was made from, so a second cut continues the original request. */
const originals = new WeakMap<object, MessagesBody>();

/**
 * A `resume` for levels whose chain arguments carry an OpenAI chat completions request
 * (`{ model, messages, ... }`): the next level gets the same request with the partial answer
 * appended, as an assistant turn and a user turn asking to continue (or, with `prefill`, as a
 * last assistant turn). Gives up (`undefined`) when nothing textual was delivered (a tool call).
 *
 * @example
 * const chat = failoverStream([
 *   { name: 'openai', call: (body: ChatBody, signal: AbortSignal) => openai.chat.completions.create({ ...body, stream: true }, { signal }), resume: resumeOpenAiChat() },
 *   { name: 'backup', call: (body: ChatBody, signal: AbortSignal) => backup.chat.completions.create({ ...body, stream: true }, { signal }) },
 * ]);
 */
export function resumeOpenAiChat<A extends readonly unknown[] = readonly unknown[], C = unknown>(
  options: ResumeOptions = {},
): ResumeHelper & Resume<A, C> {
  return makeResume('resumeOpenAiChat', options, (text) => text);
}

/**
 * A `resume` for levels whose chain arguments carry an Anthropic messages request
 * (`{ model, max_tokens, messages, system?, ... }`), as {@link resumeOpenAiChat} does for
 * OpenAI's. A prefill has its trailing whitespace removed, which the API requires.
 */
export function resumeAnthropicMessages<
  A extends readonly unknown[] = readonly unknown[],
  C = unknown,
>(options: ResumeOptions = {}): ResumeHelper & Resume<A, C> {
  return makeResume('resumeAnthropicMessages', options, (text) => text.trimEnd());
}

const OPTION_NAMES = ['prefill', 'instruction', 'removeOverlap', 'argument'];

function makeResume(
  name: string,
  options: ResumeOptions,
  prefillText: (text: string) => string,
): ResumeHelper {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${name} options must be an object, got ${show(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_NAMES.includes(key)) {
      throw new TypeError(
        `${name}: unknown option "${key}"; known options: ${OPTION_NAMES.join(', ')}`,
      );
    }
  }
  const prefill = options.prefill ?? false;
  const instruction = options.instruction ?? CONTINUE_INSTRUCTION;
  const argument = options.argument ?? 0;
  const removeOverlap = options.removeOverlap ?? true;
  if (typeof prefill !== 'boolean')
    throw new TypeError(`${name}: prefill must be a boolean, got ${show(prefill)}`);
  if (typeof removeOverlap !== 'boolean')
    throw new TypeError(`${name}: removeOverlap must be a boolean, got ${show(removeOverlap)}`);
  if (typeof instruction !== 'string' || instruction.trim() === '')
    throw new TypeError(
      `${name}: instruction must be a non-empty string, got ${show(instruction)}`,
    );
  if (!Number.isInteger(argument) || argument < 0)
    throw new RangeError(`${name}: argument must be a non-negative integer, got ${show(argument)}`);

  const resume = <A extends readonly unknown[]>(
    args: A,
    delivered: readonly unknown[],
  ): A | undefined => {
    const body = args[argument] as MessagesBody | undefined;
    if (typeof body !== 'object' || body === null || !Array.isArray(body.messages)) {
      throw new TypeError(
        `${name}: argument ${argument} must be a request body with messages, got ${show(body)}`,
      );
    }
    const partial = textOfChunks(delivered);
    if (partial.trim() === '') return undefined;
    const original = originals.get(body) ?? body;
    const messages = prefill
      ? [...original.messages, { role: 'assistant', content: prefillText(partial) }]
      : [
          ...original.messages,
          { role: 'assistant', content: partial },
          { role: 'user', content: instruction },
        ];
    const next = { ...original, messages };
    originals.set(next, original);
    const copy = [...args];
    copy[argument] = next;
    return copy as unknown as A;
  };
  return Object.assign(resume, { removeOverlap });
}
