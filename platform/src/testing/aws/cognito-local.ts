import { mkdtemp, rm } from "node:fs/promises";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { createServer } from "cognito-local/lib/server/server.js";
import { Router } from "cognito-local/lib/server/Router.js";
import { DateClock, LambdaService, MessagesService, TriggersService } from "cognito-local/lib/services/index.js";
import { CognitoServiceFactoryImpl } from "cognito-local/lib/services/cognitoService.js";
import { CryptoService } from "cognito-local/lib/services/crypto.js";
import { StormDBDataStoreFactory } from "cognito-local/lib/services/dataStore/stormDb.js";
import { MessageDeliveryService } from "cognito-local/lib/services/messageDelivery/messageDelivery.js";
import { otp } from "cognito-local/lib/services/otp.js";
import { JwtTokenGenerator } from "cognito-local/lib/services/tokenGenerator.js";
import { UserPoolServiceFactoryImpl } from "cognito-local/lib/services/userPoolService.js";
import type { Config } from "cognito-local/lib/server/config.js";
import { freePort } from "./servers.js";

export interface CognitoLocal {
  readonly endpoint: string;
  /** Confirmation codes cognito-local "sent", by destination address, latest last. */
  codesFor(email: string): readonly string[];
  close(): Promise<void>;
}

/**
 * cognito-local, assembled as its createDefaultServer does but with its data in a temp dir
 * (the default writes ./.cognito under the cwd) and an explicit port (the default reads PORT at
 * import time). Codes it would print to the console are recorded instead, for the tests to read.
 */
export async function startCognitoLocal(): Promise<CognitoLocal> {
  const dir = await mkdtemp(join(tmpdir(), "vp-cognito-"));
  const port = await freePort();
  const hostname = "127.0.0.1";
  const logger = pino({ level: "silent" });
  const config: Config = {
    LambdaClient: { credentials: { accessKeyId: "local", secretAccessKey: "local" }, region: "local" },
    TriggerFunctions: {},
    UserPoolDefaults: { UsernameAttributes: ["email"] },
    TokenConfig: { IssuerDomain: `http://${hostname}:${port}` },
    KMSConfig: { credentials: { accessKeyId: "local", secretAccessKey: "local" }, region: "local" },
    ServerConfig: { port, hostname, development: false, https: false },
  };
  const codes = new Map<string, string[]>();
  const record = (destination: string, code: string | undefined) => {
    if (code === undefined) return Promise.resolve();
    codes.set(destination, [...(codes.get(destination) ?? []), code]);
    return Promise.resolve();
  };
  const clock = new DateClock();
  const dataStoreFactory = new StormDBDataStoreFactory(join(dir, "db"));
  const cognito = await new CognitoServiceFactoryImpl(
    join(dir, "db"),
    dataStoreFactory,
    new UserPoolServiceFactoryImpl(clock, dataStoreFactory),
  ).create({ logger }, config.UserPoolDefaults);
  // No triggers are configured, so the Lambda client is never called.
  const triggers = new TriggersService(
    clock,
    cognito,
    new LambdaService(config.TriggerFunctions, {} as ConstructorParameters<typeof LambdaService>[1]),
    new CryptoService(config.KMSConfig),
  );
  const sender = {
    sendEmail: (_ctx: unknown, _user: unknown, destination: string, message: { __code?: string }) =>
      record(destination, message.__code),
    sendSms: (_ctx: unknown, _user: unknown, destination: string, message: { __code?: string }) =>
      record(destination, message.__code),
  };
  const services = {
    clock,
    cognito,
    config,
    messages: new MessagesService(triggers, new MessageDeliveryService(sender)),
    otp,
    tokenGenerator: new JwtTokenGenerator(clock, triggers, config.TokenConfig),
    triggers,
  };
  const server: Server = await createServer(
    Router(services),
    logger as unknown as Parameters<typeof createServer>[1],
    config.ServerConfig,
    services,
  ).start();
  return {
    endpoint: `http://${hostname}:${port}`,
    codesFor: (email) => codes.get(email) ?? [],
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
