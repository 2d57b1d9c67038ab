import { fromGlobalId, type NodeType } from "@vp/domain";

/** The raw id inside a global id of the expected type; null for malformed ids and ids of another type. */
export function decodeGlobalId(globalId: string, expected: NodeType): string | null {
  const decoded = fromGlobalId(globalId);
  return decoded !== null && decoded.type === expected ? decoded.id : null;
}
