/**
 * A level's way to go on after its stream was cut mid-answer: given the chain's arguments and
 * every chunk delivered so far, the arguments for the next level, or `undefined` to give up (the
 * stream then ends with `StreamInterruptedError`). `removeOverlap: true` on the function asks the
 * chain to cut what the next level repeats of the delivered text's end; the helpers
 * ({@link resumeOpenAiChat}, {@link resumeAnthropicMessages}) set it.
 */
export type Resume<A extends readonly unknown[], C> = ((
  args: A,
  delivered: readonly C[],
) => A | undefined) & { readonly removeOverlap?: boolean | undefined };
