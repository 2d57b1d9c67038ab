import { RemovalPolicy } from "aws-cdk-lib";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as iam from "aws-cdk-lib/aws-iam";
import { Construct } from "constructs";
import type { Naming } from "../stage.js";

export interface RecordsTableProps {
  readonly naming: Naming;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The adapter's indexes (platform/src/aws/dynamo-table.ts): owner newest first, by status, and the
 * sparse index of QUEUED jobs the reconciler scans (gsi3).
 */
export const INDEXES = ["gsi1", "gsi2", "gsi3"] as const;

/** Item actions the services use; never table-level actions (no DeleteTable, UpdateTable, ...). */
export const ITEM_ACTIONS = [
  "dynamodb:GetItem",
  "dynamodb:BatchGetItem",
  "dynamodb:Query",
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:BatchWriteItem",
  "dynamodb:ConditionCheckItem",
  "dynamodb:TransactWriteItems",
  "dynamodb:TransactGetItems",
  "dynamodb:DescribeTable",
] as const;

/**
 * One table, owner-partitioned keys (pk/sk) and three GSIs (`gsiNpk`/`gsiNsk`): a user's videos and
 * jobs newest first (gsi1), the same by status (gsi2), and QUEUED jobs of every owner oldest write
 * first (gsi3, sparse); the shape platform/src/aws expects. On demand, PITR, encrypted with a KMS key AWS owns.
 */
export class RecordsTable extends Construct {
  readonly table: dynamodb.TableV2;

  constructor(scope: Construct, id: string, props: RecordsTableProps) {
    super(scope, id);
    this.table = new dynamodb.TableV2(this, "Table", {
      tableName: props.naming.name("records"),
      partitionKey: { name: "pk", type: dynamodb.AttributeType.STRING },
      sortKey: { name: "sk", type: dynamodb.AttributeType.STRING },
      billing: dynamodb.Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
      deletionProtection: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      // Items that expire on their own (signed-out sessions: platform/src/aws/dynamo-session-revocations.ts).
      timeToLiveAttribute: "expiresAt",
      globalSecondaryIndexes: INDEXES.map((indexName) => ({
        indexName,
        partitionKey: { name: `${indexName}pk`, type: dynamodb.AttributeType.STRING },
        sortKey: { name: `${indexName}sk`, type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType.ALL,
      })),
    });
  }

  /** The accounts Lambda: record and read signed-out sessions (`pk SESSION#...`) and nothing else. */
  grantSessionRevocations(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({
      grantee,
      actions: ["dynamodb:GetItem", "dynamodb:PutItem"],
      resourceArns: [this.table.tableArn],
      conditions: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["SESSION#*"] } },
    });
  }

  /** Read and write items (API and worker alike); explicitly nothing that changes the table. */
  grantItems(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({
      grantee,
      actions: [...ITEM_ACTIONS],
      resourceArns: [this.table.tableArn, `${this.table.tableArn}/index/*`],
    });
  }
}
