import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

export interface OutboxMail {
  readonly file: string;
  readonly messageId: string | null;
  readonly from: string | null;
  readonly to: string | null;
  readonly subject: string | null;
  readonly date: Date | null;
  readonly text: string | null;
  readonly html: string | null;
}

/** Reads the outbox back, oldest first. A small MIME reader: enough for what MailComposer writes. */
export async function readOutbox(dir: string): Promise<OutboxMail[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith(".eml") && !n.startsWith(".")).sort();
  } catch (e) {
    if (typeof e === "object" && e !== null && "code" in e && e.code === "ENOENT") return [];
    throw e;
  }
  const mails: OutboxMail[] = [];
  for (const name of names) mails.push(parseMail(name, await readFile(join(dir, name), "utf8")));
  return mails;
}

interface Part {
  readonly headers: Map<string, string>;
  readonly body: string;
}

function splitPart(raw: string): Part {
  const text = raw.replace(/\r\n/g, "\n");
  const end = text.indexOf("\n\n");
  const head = end < 0 ? text : text.slice(0, end);
  const body = end < 0 ? "" : text.slice(end + 2);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\n[ \t]+/g, " ").split("\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body };
}

/** RFC 2047 encoded words (=?UTF-8?Q?...?= / =?UTF-8?B?...?=), as MailComposer writes non-ASCII headers. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_m, _charset: string, enc: string, data: string) =>
      enc.toUpperCase() === "B"
        ? Buffer.from(data, "base64").toString("utf8")
        : decodeQuotedPrintableBytes(data.replace(/_/g, " ")).toString("utf8"),
    );
}

function decodeQuotedPrintableBytes(s: string): Buffer {
  const bytes: number[] = [];
  const clean = s.replace(/=\n/g, "");
  for (let i = 0; i < clean.length; i++) {
    const c = clean[i]!;
    if (c === "=" && /^[0-9A-Fa-f]{2}$/.test(clean.slice(i + 1, i + 3))) {
      bytes.push(parseInt(clean.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(c, "utf8"));
  }
  return Buffer.from(bytes);
}

function decodeBody(part: Part): string {
  const cte = (part.headers.get("content-transfer-encoding") ?? "7bit").toLowerCase();
  if (cte === "base64") return Buffer.from(part.body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (cte === "quoted-printable") return decodeQuotedPrintableBytes(part.body).toString("utf8");
  return part.body;
}

function leaves(part: Part, out: Part[]): void {
  const type = part.headers.get("content-type") ?? "text/plain";
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (!/^multipart\//i.test(type) || boundary === undefined) {
    out.push(part);
    return;
  }
  const chunks = part.body.split(`--${boundary}`);
  for (const chunk of chunks.slice(1)) {
    if (chunk.startsWith("--")) break;
    leaves(splitPart(chunk.replace(/^\n/, "")), out);
  }
}

function parseMail(file: string, raw: string): OutboxMail {
  const root = splitPart(raw);
  const parts: Part[] = [];
  leaves(root, parts);
  const bodyOf = (type: string) => {
    const p = parts.find((x) => (x.headers.get("content-type") ?? "text/plain").toLowerCase().startsWith(type));
    return p === undefined ? null : decodeBody(p).replace(/\n$/, "");
  };
  const header = (name: string) => {
    const v = root.headers.get(name);
    return v === undefined ? null : decodeWords(v);
  };
  const date = header("date");
  return {
    file,
    messageId: header("message-id"),
    from: header("from"),
    to: header("to"),
    subject: header("subject"),
    date: date === null ? null : new Date(date),
    text: bodyOf("text/plain"),
    html: bodyOf("text/html"),
  };
}
