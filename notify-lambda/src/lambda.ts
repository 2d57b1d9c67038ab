import { CognitoIdentityProvider, createAwsClients, SesMailer } from "@vp/platform";
import { createJobNotifier } from "./job-notifier.js";
import { createSqsHandler } from "./sqs.js";

/**
 * AWS Lambda entry: SQS event source (reportBatchItemFailures) -> createSqsHandler -> notifier,
 * with the SES mailer and the Cognito user lookup. Settings come from the environment the CDK
 * app sets (infra/src/constructs/notify-function.ts); AWS_REGION is the Lambda runtime's.
 */
function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`notify-lambda: ${name} is required`);
  return value;
}

/** JSON lines; the function's JSON log format keeps them structured. */
const line = (level: string, obj: object, msg?: string) =>
  JSON.stringify({ level, msg, ...obj }, (_k, v: unknown) =>
    v instanceof Error ? { name: v.name, message: v.message } : v,
  );
const logger = {
  info: (obj: object, msg?: string) => console.log(line("info", obj, msg)),
  warn: (obj: object, msg?: string) => console.warn(line("warn", obj, msg)),
  error: (obj: object, msg?: string) => console.error(line("error", obj, msg)),
};

const clients = createAwsClients({ region: required("AWS_REGION") });
const identity = new CognitoIdentityProvider({
  cognito: clients.cognito,
  userPoolId: required("VP_COGNITO_USER_POOL_ID"),
  clientId: required("VP_COGNITO_CLIENT_ID"),
  autoConfirm: false,
});
const mailer = new SesMailer({ ses: clients.ses, from: required("VP_MAIL_FROM") });

export const handler = createSqsHandler(
  createJobNotifier({ identity, mailer, publicUrl: required("VP_PUBLIC_URL"), logger }),
  logger,
);
