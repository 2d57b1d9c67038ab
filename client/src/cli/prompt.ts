import { UsageError } from "./io.js";

type TtyIn = NodeJS.ReadStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };

/**
 * Asks one question on the terminal; with `hidden` nothing is echoed (passwords).
 * Ctrl-C or Ctrl-D abandons with a UsageError.
 */
export function ask(
  question: string,
  options: { hidden?: boolean; input?: TtyIn; output?: NodeJS.WritableStream } = {},
): Promise<string> {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stderr;
  return new Promise((resolve, reject) => {
    let answer = "";
    const wasRaw = input.isRaw ?? false;
    // Raw mode first: keys typed as soon as the question shows must not be echoed by the terminal.
    input.setRawMode?.(true);
    output.write(question);
    input.setEncoding("utf8");
    input.resume();
    const finish = (err: Error | null, rest = ""): void => {
      input.off("data", onData);
      // Pasted input may hold the next answer too: leave it for the next question.
      if (rest) input.unshift(rest, "utf8");
      input.setRawMode?.(wasRaw);
      input.pause();
      output.write("\n");
      if (err) reject(err);
      else resolve(answer);
    };
    const onData = (chunk: string): void => {
      const chars = [...chunk];
      for (const [i, ch] of chars.entries()) {
        if (ch === "\r" || ch === "\n")
          return finish(
            null,
            chars
              .slice(i + 1)
              .join("")
              .replace(/^\n/, ""),
          );
        if (ch === "\u0003" || ch === "\u0004") return finish(new UsageError("cancelled"));
        if (ch === "\u007f" || ch === "\b") {
          if (answer.length > 0) {
            answer = answer.slice(0, -1);
            if (!options.hidden) output.write("\b \b");
          }
          continue;
        }
        if (ch < " ") continue;
        answer += ch;
        if (!options.hidden) output.write(ch);
      }
    };
    input.on("data", onData);
  });
}

/** True when we may prompt: stdin and stderr are both terminals. */
export const canPrompt = (): boolean => Boolean(process.stdin.isTTY && process.stderr.isTTY);
