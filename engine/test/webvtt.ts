import * as mediaCaptions from "media-captions";

/**
 * media-captions' parser, the one players use (Vidstack). Its type declarations re-export files
 * without extensions, which NodeNext resolution cannot follow, so the one function used is typed here.
 */
export interface ParsedVtt {
  readonly cues: readonly { readonly startTime: number; readonly endTime: number; readonly text: string }[];
  readonly errors: readonly { readonly message: string }[];
}

export const parseVtt = (text: string): Promise<ParsedVtt> =>
  (mediaCaptions as unknown as { parseText(t: string, o: { strict: boolean }): Promise<ParsedVtt> }).parseText(text, {
    strict: true,
  });
