import {
  CognitoIdentityProvider,
  cognitoIssuer,
  createAwsClients,
  DynamoSessionRevocations,
  SesMailer,
} from "@vp/platform";
import { createAccountsHandler } from "./accounts-handler.js";
import { TokenBucketRateLimiter } from "./rate-limiter.js";

/**
 * AWS Lambda entry behind the HTTP API route `/api/v1/accounts/{proxy+}`: the same handler the
 * single-machine server mounts, over the Cognito IdentityProvider. Cognito mails the
 * confirmation code (autoConfirm off), so this function needs no IAM permission on the pool.
 * It writes signed-out sessions to the records table (the API pods' verifiers read them) and
 * mails "you already have an account" through SES, which Cognito cannot do.
 * The rate limiter counts per Lambda instance; API Gateway's stage throttling bounds the total.
 */
function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`auth-lambda: ${name} is required`);
  return value;
}

const line = (level: string, obj: object, msg?: string) =>
  JSON.stringify({ level, msg, ...obj }, (_k, v: unknown) =>
    v instanceof Error ? { name: v.name, message: v.message } : v,
  );
const logger = {
  info: (obj: object, msg?: string) => console.log(line("info", obj, msg)),
  warn: (obj: object, msg?: string) => console.warn(line("warn", obj, msg)),
  error: (obj: object, msg?: string) => console.error(line("error", obj, msg)),
};

const perMinute = Number(process.env.VP_ACCOUNTS_RATE_LIMIT_PER_MINUTE ?? 30);
const region = required("AWS_REGION");
const clients = createAwsClients({ region });
const userPoolId = required("VP_COGNITO_USER_POOL_ID");

export const handler = createAccountsHandler({
  identity: new CognitoIdentityProvider({
    cognito: clients.cognito,
    userPoolId,
    clientId: required("VP_COGNITO_CLIENT_ID"),
    autoConfirm: false,
    mailer: new SesMailer({ ses: clients.ses, from: required("VP_MAIL_FROM") }),
    sessions: {
      revocations: new DynamoSessionRevocations({ doc: clients.documents, tableName: required("VP_DYNAMODB_TABLE") }),
      issuer: cognitoIssuer(region, userPoolId),
    },
  }),
  rateLimiter: new TokenBucketRateLimiter({ capacity: perMinute, refillPerSecond: perMinute / 60 }),
  logger,
});
