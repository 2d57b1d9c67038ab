import { randomUUID } from "node:crypto";

export const newId = (): string => randomUUID();

export type NodeType = "Video" | "ExtractionJob" | "User";

/** Relay global ids: opaque to clients, typed for us. */
export const toGlobalId = (type: NodeType, id: string): string =>
  Buffer.from(`${type}:${id}`, "utf8").toString("base64url");

export function fromGlobalId(globalId: string): { type: NodeType; id: string } | null {
  const decoded = Buffer.from(globalId, "base64url").toString("utf8");
  const sep = decoded.indexOf(":");
  if (sep < 0) return null;
  const type = decoded.slice(0, sep);
  const id = decoded.slice(sep + 1);
  if ((type !== "Video" && type !== "ExtractionJob" && type !== "User") || id.length === 0) return null;
  return { type, id };
}
