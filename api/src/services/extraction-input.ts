import { parseExtractionOptions, type ExtractionOptions, type FieldProblem } from "@vp/domain";

/** The preview outputs: asked for alone (no mode named), they are the job's whole archive. */
const PREVIEW_FIELDS = ["storyboard", "contactSheet", "animated"] as const;

/** GraphQL sends explicit nulls for omitted nullable fields (nested inputs too); the domain means "absent" by undefined. */
function present(input: Readonly<Record<string, unknown>> | null | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input ?? {})) {
    if (value === null || value === undefined) continue;
    out[key] = typeof value === "object" && !Array.isArray(value) ? present(value as Record<string, unknown>) : value;
  }
  return out;
}

/**
 * Defaults: one JPEG frame every second; when previews are asked for and no mode is named, the
 * previews only (`includeFrames: false`), unless includeFrames says otherwise.
 */
export function parseExtractionInput(
  input: Readonly<Record<string, unknown>> | null | undefined,
  maxFrames: number,
): { ok: true; value: ExtractionOptions } | { ok: false; problems: FieldProblem[] } {
  const o = present(input);
  if (o["mode"] === undefined && PREVIEW_FIELDS.some((f) => o[f] !== undefined) && o["includeFrames"] !== true) {
    o["mode"] = "KEYFRAMES";
    o["includeFrames"] = false;
  }
  const mode = o["mode"] ?? "INTERVAL";
  if (mode === "INTERVAL" && o["intervalSeconds"] === undefined) o["intervalSeconds"] = 1;
  return parseExtractionOptions(o, { maxFrames });
}
