import { parseExtractionOptions, type ExtractionOptions, type FieldProblem } from "@vp/domain";

/**
 * GraphQL sends explicit nulls for omitted nullable fields; the domain schema means
 * "absent" by undefined. Defaults: one JPEG frame every second.
 */
export function parseExtractionInput(
  input: Readonly<Record<string, unknown>> | null | undefined,
  maxFrames: number,
): { ok: true; value: ExtractionOptions } | { ok: false; problems: FieldProblem[] } {
  const present: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input ?? {}))
    if (value !== null && value !== undefined) present[key] = value;
  const mode = present["mode"] ?? "INTERVAL";
  if (mode === "INTERVAL" && present["intervalSeconds"] === undefined) present["intervalSeconds"] = 1;
  return parseExtractionOptions(present, { maxFrames });
}
