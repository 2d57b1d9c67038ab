/** Which roles this process runs. `all` is the single-machine default of `npm start`. */
export type Role = "all" | "api" | "worker";

export interface Roles {
  readonly api: boolean;
  /** The extraction worker and, when job news stays on this host, the email notifier. */
  readonly worker: boolean;
}

export function rolesFor(role: Role): Roles {
  return { api: role !== "worker", worker: role !== "api" };
}
