import { z } from "zod";

/** Reusable zod pieces for settings read from the environment (strings in, typed values out). */
export const envBool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");
export const envInt = (min: number, max: number) =>
  z.coerce
    .number({ error: "must be a number" })
    .int({ error: "must be a whole number" })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });

export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/**
 * Parses the environment with `schema`; unset and empty variables take their defaults.
 * Throws ConfigError listing every bad setting, one line each, naming the variable.
 */
export function parseEnv<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.output<S> {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = schema.safeParse(present);
  if (!parsed.success)
    throw new ConfigError(
      parsed.error.issues.map((i) =>
        i.path.length === 0
          ? i.message
          : `${i.path.join(".")}=${JSON.stringify(present[String(i.path[0])] ?? "")}: ${i.message}`,
      ),
    );
  return parsed.data;
}
