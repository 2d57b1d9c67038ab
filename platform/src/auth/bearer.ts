/** The token of an `Authorization: Bearer <token>` header, or null when the header is absent or another scheme. */
export function extractBearer(header: string | undefined): string | null {
  if (header === undefined) return null;
  const match = /^\s*Bearer\s+([^\s]+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}
