import { ExtractionError } from "../types.js";

/**
 * Turns a failed ffmpeg/ffprobe exit into a stable code and a sentence a user understands.
 * Pure: the stderr patterns are ffmpeg's own wording (stable across 4.x-7.x).
 */
export function classifyFailure(exit: {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stderrTail: string;
}): ExtractionError {
  const s = exit.stderrTail;
  const has = (re: RegExp): boolean => re.test(s);
  if (has(/No space left on device|ENOSPC/i))
    return new ExtractionError("OUT_OF_DISK", "The worker ran out of disk space.", true, s);
  if (has(/Decoder \(codec [^)]*\) not found|Unsupported codec|no decoder found|codec not currently supported/i))
    return new ExtractionError("UNSUPPORTED_CODEC", "The video uses a codec this service cannot decode.", false, s);
  if (has(/Protocol '[^']*' not on whitelist|not on whitelist|Unsafe file name/i))
    return new ExtractionError(
      "UNSAFE_INPUT",
      "The file refers to other files or network addresses, which is not allowed.",
      false,
      s,
    );
  if (
    has(
      /moov atom not found|Invalid data found|invalid frame|error while decoding|corrupt|Truncat|partial file|Packet mismatch|missing picture|decode_slice|concealing|non-existing PPS|no frame!|Error while decoding|Invalid NAL/i,
    )
  )
    return new ExtractionError("INPUT_CORRUPT", "The video file is damaged or incomplete.", false, s);
  if (exit.signal === "SIGKILL" || exit.signal === "SIGSEGV" || exit.signal === "SIGABRT")
    return new ExtractionError("INTERNAL", `The video decoder stopped unexpectedly (${exit.signal}).`, true, s);
  return new ExtractionError(
    "INTERNAL",
    `The video decoder failed (exit code ${exit.exitCode ?? exit.signal}).`,
    true,
    s,
  );
}
