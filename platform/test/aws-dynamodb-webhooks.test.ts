import { afterAll, beforeAll } from "vitest";
import { webhookStoreContract } from "../src/testing/contracts/index.js";
import { createTable } from "../src/aws/dynamo-table.js";
import { createDynamoWebhookStore } from "../src/aws/dynamo-webhook-store.js";
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

webhookStoreContract("DynamoDB (dynalite)", async () => {
  const tableName = randomName("vp-webhooks");
  await createTable(clients.dynamodb(), tableName);
  const others: AwsClients[] = [];
  return {
    ...createDynamoWebhookStore({ doc: clients.documents, tableName }),
    async openAnother() {
      const own = testClients({ dynamodb: server.endpoint });
      others.push(own);
      return createDynamoWebhookStore({ doc: own.documents, tableName });
    },
    async cleanup() {
      for (const c of others) c.destroy();
    },
  };
});
