import { textOfChunk, textOfChunks, withChunkText } from './chunk-text.js';

/** How much of the delivered text's end a resumed answer is compared with, in characters. */
export const OVERLAP_WINDOW = 200;
/** The shortest repeat removed: shorter matches are as likely to be a coincidence. */
export const MIN_OVERLAP = 6;
/** Chunks held at most while deciding. */
const MAX_CHUNKS = 64;

/**
 * Removes what a resumed level repeats of the answer the consumer already has: models asked to
 * continue often start by restating the last words. The first content chunks of the resumed
 * level are held until their text is as long as the delivered text's tail (at most
 * {@link OVERLAP_WINDOW} characters), then the longest start of them that the tail ends with (at
 * least {@link MIN_OVERLAP} characters) is cut off. Chunks left without text are dropped; the
 * rest are delivered with their text shortened ({@link withChunkText}).
 * @internal
 */
export class OverlapTrim<C> {
  private readonly tail: string;
  private chunks: C[] = [];
  private text = '';

  constructor(delivered: readonly C[]) {
    this.tail = textOfChunks(delivered).slice(-OVERLAP_WINDOW);
  }

  /**
   * Takes the resumed level's next chunk; `true` when enough is held to decide. Chunks before
   * its first content chunk (its own preamble) are dropped.
   */
  add(chunk: C, isContent: boolean): boolean {
    if (this.chunks.length === 0 && !isContent) return false;
    this.chunks.push(chunk);
    const text = textOfChunk(chunk);
    this.text += text;
    return (
      this.tail.length === 0 ||
      this.text.length >= this.tail.length ||
      (isContent && text === '') ||
      this.chunks.length >= MAX_CHUNKS
    );
  }

  /** The held chunks with the overlap removed; the trim is then empty again. */
  finish(): C[] {
    const chunks = this.chunks;
    let cut = overlapLength(this.tail, this.text);
    this.reset();
    if (cut === 0) return chunks;
    const out: C[] = [];
    for (const chunk of chunks) {
      const text = cut > 0 ? textOfChunk(chunk) : '';
      if (text === '') {
        out.push(chunk);
      } else if (text.length <= cut) {
        cut -= text.length;
      } else {
        out.push(withChunkText(chunk, text.slice(cut)));
        cut = 0;
      }
    }
    return out;
  }

  reset(): void {
    this.chunks = [];
    this.text = '';
  }
}

/** The length of the longest start of `next` that `tail` ends with, 0 below {@link MIN_OVERLAP}. */
export function overlapLength(tail: string, next: string): number {
  for (let k = Math.min(tail.length, next.length); k >= MIN_OVERLAP; k--) {
    if (tail.endsWith(next.slice(0, k))) return k;
  }
  return 0;
}
