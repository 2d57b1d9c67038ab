import {
  CreateTableCommand,
  waitUntilTableExists,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";

/**
 * One table for videos and jobs. Records live in their owner's partition; a video's jobs sit
 * next to it (same sort-key prefix) so "a video with its jobs" is one Query. An id pointer item
 * answers "which owner holds id X" with a strongly consistent GetItem (a GSI would lag, and the
 * worker reads a job by id moments after the API wrote it).
 *
 *   video    pk OWNER#<owner>  sk VIDEO#<video>
 *   job      pk OWNER#<owner>  sk VIDEO#<video>#JOB#<createdAt>#<job>
 *   pointer  pk VIDEO#<id> | JOB#<id>   sk ID   (ownerId, sk of the record)
 *   GSI1 (owner's newest first):        gsi1pk OWNER#<owner>#VIDEO | #JOB        gsi1sk <createdAt>#<id>
 *   GSI2 (owner's newest first by status): gsi2pk OWNER#<owner>#VIDEO#<status> | #JOB#<status>  gsi2sk <createdAt>#<id>
 *   GSI3 (QUEUED jobs of every owner, oldest write first; sparse): gsi3pk QUEUED  gsi3sk <updatedAt>#<id>
 *        gsi3pk exists only while the job is QUEUED (set and removed in the same UpdateItem as the
 *        status); gsi3sk may linger on other jobs, which without gsi3pk are not in the index.
 */
export const GSI_OWNER = "gsi1";
export const GSI_OWNER_STATUS = "gsi2";
export const GSI_QUEUED = "gsi3";
export const QUEUED_INDEX_PK = "QUEUED";

export const ownerPk = (ownerId: string): string => `OWNER#${ownerId}`;
export const videoSk = (videoId: string): string => `VIDEO#${videoId}`;
export const jobsOfVideoPrefix = (videoId: string): string => `VIDEO#${videoId}#JOB#`;
/** Fixed width so string order is time order (ms since the epoch fit in 15 digits until year 33658). */
export const timeKey = (createdAtMs: number, id: string): string => `${String(createdAtMs).padStart(15, "0")}#${id}`;
export const jobSk = (videoId: string, createdAtMs: number, jobId: string): string =>
  `${jobsOfVideoPrefix(videoId)}${timeKey(createdAtMs, jobId)}`;
export const pointerKey = (kind: "VIDEO" | "JOB", id: string) => ({ pk: `${kind}#${id}`, sk: "ID" });
export const ownerIndexPk = (ownerId: string, kind: "VIDEO" | "JOB"): string => `OWNER#${ownerId}#${kind}`;
export const ownerStatusIndexPk = (ownerId: string, kind: "VIDEO" | "JOB", status: string): string =>
  `OWNER#${ownerId}#${kind}#${status}`;

/** The table as the CDK app (infra/) declares it; tests and LocalStack set-ups create it from here. */
export function tableDefinition(tableName: string): CreateTableCommandInput {
  const gsi = (name: string) => ({
    IndexName: name,
    KeySchema: [
      { AttributeName: `${name}pk`, KeyType: "HASH" as const },
      { AttributeName: `${name}sk`, KeyType: "RANGE" as const },
    ],
    Projection: { ProjectionType: "ALL" as const },
  });
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: ["pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk", "gsi3pk", "gsi3sk"].map((name) => ({
      AttributeName: name,
      AttributeType: "S" as const,
    })),
    KeySchema: [
      { AttributeName: "pk", KeyType: "HASH" },
      { AttributeName: "sk", KeyType: "RANGE" },
    ],
    GlobalSecondaryIndexes: [gsi(GSI_OWNER), gsi(GSI_OWNER_STATUS), gsi(GSI_QUEUED)],
  };
}

export async function createTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(new CreateTableCommand(tableDefinition(tableName)));
  await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1, maxDelay: 2 }, { TableName: tableName });
}
