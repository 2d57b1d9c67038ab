import { messageSchema, type Message, type MessageOf, type MessageType } from "@vp/domain";

export type Decoded<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/**
 * An SQS body as a queue subscribed to a topic receives it: an SNS notification whose `Message`
 * is our envelope (raw message delivery off), or the envelope itself (raw delivery on, or sent
 * straight to the queue).
 */
export function unwrapSqsBody(body: string): unknown {
  const outer: unknown = JSON.parse(body);
  if (
    typeof outer === "object" &&
    outer !== null &&
    (outer as { Type?: unknown }).Type === "Notification" &&
    typeof (outer as { Message?: unknown }).Message === "string"
  )
    return JSON.parse((outer as { Message: string }).Message);
  return outer;
}

/** Parses and validates a raw body into our envelope; never throws. */
export function decodeEnvelope(body: string): Decoded<Message> {
  let unwrapped: unknown;
  try {
    unwrapped = unwrapSqsBody(body);
  } catch {
    return { ok: false, reason: "the body is not JSON" };
  }
  const parsed = messageSchema.safeParse(unwrapped);
  if (!parsed.success)
    return {
      ok: false,
      reason: parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
        .join("; "),
    };
  return { ok: true, value: parsed.data };
}

/** A decoder for queues that carry one message type and hand consumers its payload. */
export function payloadDecoder<K extends MessageType>(type: K): (body: string) => Decoded<MessageOf<K>["payload"]> {
  return (body: string): Decoded<MessageOf<K>["payload"]> => {
    const decoded = decodeEnvelope(body);
    if (!decoded.ok) return decoded;
    if (decoded.value.type !== type)
      return { ok: false, reason: `expected a ${type} message, got ${decoded.value.type}` };
    return { ok: true, value: decoded.value.payload as MessageOf<K>["payload"] };
  };
}

/** `sender`, `target` and `type` as SNS/SQS message attributes, for subscription filter policies. */
export function envelopeAttributes(message: Message): Record<string, { DataType: "String"; StringValue: string }> {
  return {
    sender: { DataType: "String", StringValue: message.sender },
    target: { DataType: "String", StringValue: message.target },
    type: { DataType: "String", StringValue: message.type },
  };
}
