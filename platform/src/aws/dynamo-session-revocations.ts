import { PutCommand } from "@aws-sdk/lib-dynamodb";
import type { SessionRevocations } from "../ports/session-revocations.js";
import { getItem, type TableRef } from "./dynamo-support.js";

export interface DynamoSessionRevocationsOptions extends TableRef {
  /** Milliseconds since the epoch. @default Date.now */
  readonly clock?: () => number;
}

/** `pk SESSION#<id>`, `sk REVOKED`: outside every owner partition and index. */
export const revokedSessionKey = (sessionId: string) => ({ pk: `SESSION#${sessionId}`, sk: "REVOKED" });
/** The table's TTL attribute (epoch seconds): DynamoDB deletes the item some time after it. */
export const TTL_ATTRIBUTE = "expiresAt";

const MAX_ID_LENGTH = 256;
const isConditionFailure = (e: unknown): boolean =>
  (e as { name?: unknown } | null)?.name === "ConditionalCheckFailedException";

/**
 * Signed-out sessions as items of the records table, with a TTL. TTL deletion lags (up to days),
 * so reads compare `expiresAt` themselves.
 */
export class DynamoSessionRevocations implements SessionRevocations {
  private readonly clock: () => number;

  constructor(private readonly options: DynamoSessionRevocationsOptions) {
    this.clock = options.clock ?? Date.now;
  }

  async revoke(sessionId: string, until: Date): Promise<void> {
    if (typeof sessionId !== "string" || sessionId.length === 0 || sessionId.length > MAX_ID_LENGTH)
      throw new RangeError(`session id must be 1..${MAX_ID_LENGTH} characters`);
    const expiresAt = Math.ceil(until.getTime() / 1000);
    try {
      // Keep the later of two revocations: never shorten one.
      await this.options.doc().send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: { ...revokedSessionKey(sessionId), [TTL_ATTRIBUTE]: expiresAt, revokedAt: this.clock() },
          ConditionExpression: "attribute_not_exists(pk) OR #ttl < :ttl",
          ExpressionAttributeNames: { "#ttl": TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ":ttl": expiresAt },
        }),
      );
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
    }
  }

  async isRevoked(sessionId: string): Promise<boolean> {
    if (sessionId.length === 0 || sessionId.length > MAX_ID_LENGTH) return false;
    const item = await getItem(this.options, revokedSessionKey(sessionId));
    const expiresAt = item?.[TTL_ATTRIBUTE];
    return typeof expiresAt === "number" && expiresAt * 1000 > this.clock();
  }
}
