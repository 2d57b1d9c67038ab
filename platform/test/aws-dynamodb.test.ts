import { afterAll, beforeAll, expect, it } from "vitest";
import { repositoriesContract } from "../src/testing/contracts/index.js";
import { createTable } from "../src/aws/dynamo-table.js";
import { DynamoJobRepository, DynamoVideoRepository } from "../src/aws/index.js";
import { randomName, startDynalite, testClients, type RunningServer } from "../src/testing/aws/servers.js";
import type { AwsClients } from "../src/aws/clients.js";

let server: RunningServer;
let clients: AwsClients;
beforeAll(async () => {
  server = await startDynalite();
  clients = testClients({ dynamodb: server.endpoint });
});
afterAll(async () => {
  clients?.destroy();
  await server?.close();
});

/** A fresh, randomly named table per test, as the DynamoDB adapter's contract fixture. */
async function freshTable(): Promise<string> {
  const tableName = randomName("vp-test");
  await createTable(clients.dynamodb(), tableName);
  return tableName;
}

repositoriesContract("DynamoDB (dynalite)", async () => {
  const tableName = await freshTable();
  const make = () => {
    // A second client set is "another process": its own sockets, same table.
    const own = testClients({ dynamodb: server.endpoint });
    return {
      own,
      repos: {
        videos: new DynamoVideoRepository({ doc: own.documents, tableName }),
        jobs: new DynamoJobRepository({ doc: own.documents, tableName }),
      },
    };
  };
  const first = make();
  const others = [first.own];
  return {
    ...first.repos,
    async openAnother() {
      const another = make();
      others.push(another.own);
      return another.repos;
    },
    async cleanup() {
      for (const c of others) c.destroy();
    },
  };
});

it("pages ties in createdAt by id without duplicates (frozen clock)", async () => {
  const tableName = await freshTable();
  const videos = new DynamoVideoRepository({ doc: clients.documents, tableName, clock: () => 1_700_000_000_123 });
  const ids: string[] = [];
  for (let i = 0; i < 12; i++) {
    const id = `v-${String(i).padStart(2, "0")}`;
    ids.push(id);
    await videos.create({
      id,
      ownerId: "o",
      filename: "f",
      contentType: "video/mp4",
      sizeBytes: 1,
      blobKey: id,
      extraction: {
        mode: "INTERVAL",
        intervalSeconds: 1,
        format: "JPEG",
        quality: 85,
        fit: "CONTAIN",
        allowUpscale: false,
      },
    });
  }
  const seen: string[] = [];
  let after: string | null = null;
  for (;;) {
    const page: Awaited<ReturnType<DynamoVideoRepository["listForOwner"]>> = await videos.listForOwner("o", {
      first: 5,
      after,
    });
    seen.push(...page.items.map((v) => v.id));
    if (!page.hasNextPage) break;
    after = page.endCursor;
  }
  expect(seen).toEqual([...ids].reverse());
  // A cursor of one owner's listing is refused for another owner's.
  const page = await videos.listForOwner("o", { first: 2 });
  await expect(videos.listForOwner("p", { first: 2, after: page.endCursor })).rejects.toMatchObject({
    code: "VALIDATION",
  });
});
