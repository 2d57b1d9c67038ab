/** Which services this process runs. `all` is the single-machine default of `npm start`. */
export type Role = "all" | "api" | "worker";

export interface Roles {
  readonly api: boolean;
  readonly worker: boolean;
  /** Sends job emails; runs beside the worker (on AWS it is the notify Lambda). */
  readonly notifier: boolean;
}

export function rolesFor(role: Role): Roles {
  switch (role) {
    case "all":
      return { api: true, worker: true, notifier: true };
    case "api":
      return { api: true, worker: false, notifier: false };
    case "worker":
      return { api: false, worker: true, notifier: true };
  }
}

export function parseRole(argv: readonly string[]): Role {
  const i = argv.indexOf("--role");
  const value = i >= 0 ? argv[i + 1] : "all";
  if (value === "all" || value === "api" || value === "worker") return value;
  throw new Error(`--role must be one of all, api, worker (got ${JSON.stringify(value)})`);
}
