import {
  CreateWebhookEndpointDocument,
  DeleteWebhookEndpointDocument,
  SendTestWebhookDocument,
  WebhookEndpointDocument,
  WebhookEndpointsDocument,
  type WebhookEventType,
} from "../../generated/graphql.js";
import { UserErrorsError } from "../../sdk/index.js";
import { EXIT, UsageError, type Command } from "../io.js";
import { COMMON_HELP, serverCommand, str } from "../server-command.js";

const EVENTS: Readonly<Record<string, WebhookEventType>> = {
  "job.succeeded": "JOB_SUCCEEDED",
  "job.failed": "JOB_FAILED",
  "job.cancelled": "JOB_CANCELLED",
  "video.rejected": "VIDEO_REJECTED",
};
const wireName = (e: WebhookEventType): string => Object.keys(EVENTS).find((k) => EVENTS[k] === e) ?? e;

/** `--events job.succeeded,job.failed` (or `all`) as the schema's enum values; null means every event. */
function parseEvents(raw: string | undefined): WebhookEventType[] | null {
  if (raw === undefined || raw === "all") return null;
  return raw.split(",").map((name) => {
    const e = EVENTS[name.trim()];
    if (e === undefined)
      throw new UsageError(`--events takes ${Object.keys(EVENTS).join(", ")} or all (got "${name.trim()}")`);
    return e;
  });
}

const list = serverCommand({
  name: "webhooks list",
  summary: "your webhook endpoints",
  usage: `vproc webhooks list

Lists your webhook endpoints: id, enabled, events, URL.

${COMMON_HELP}`,
  positionals: [0, 0],
  async run({ session, print }) {
    const { webhookEndpoints } = await (
      await session.authenticated()
    ).request(WebhookEndpointsDocument, { first: 100 });
    const endpoints = webhookEndpoints.nodes;
    print(
      endpoints.length
        ? endpoints
            .map(
              (e) =>
                `${e.id}  ${e.enabled ? "enabled " : `disabled (${e.disabledReason ?? "?"})`}  ${e.events.map(wireName).join(",")}  ${e.url}`,
            )
            .join("\n")
        : "No webhook endpoints.",
      { ok: true, endpoints },
    );
    return EXIT.OK;
  },
});

const create = serverCommand({
  name: "webhooks create",
  summary: "register a URL to be told when jobs end",
  usage: `vproc webhooks create URL [--events LIST] [--description TEXT]

Registers an https URL. Prints the endpoint's id and its signing secret (whsec_...), shown this
once: store it where your receiver verifies deliveries (see the README, "Webhooks").

Options:
  --events LIST        comma-separated: job.succeeded, job.failed, job.cancelled, video.rejected,
                       or all (default)
  --description TEXT   up to 200 characters
${COMMON_HELP}

Example:
  vproc webhooks create https://ci.example.com/hooks/frames --events job.succeeded,job.failed`,
  options: { events: { type: "string" }, description: { type: "string" } },
  positionals: [1, 1, "URL"],
  async run({ values, positionals, session, print }) {
    const events = parseEvents(str(values, "events"));
    const { createWebhookEndpoint: r } = await (
      await session.authenticated()
    ).request(CreateWebhookEndpointDocument, {
      input: { url: positionals[0] as string, events, description: str(values, "description") ?? null },
    });
    if (r.userErrors.length || !r.endpoint || !r.secret)
      throw new UserErrorsError("createWebhookEndpoint", r.userErrors, r);
    print(`Endpoint ${r.endpoint.id}\nSecret   ${r.secret}   (shown once: store it now)`, {
      ok: true,
      endpoint: r.endpoint,
      secret: r.secret,
    });
    return EXIT.OK;
  },
});

const remove = serverCommand({
  name: "webhooks delete",
  summary: "remove a webhook endpoint",
  usage: `vproc webhooks delete ENDPOINT

Removes the endpoint; nothing more is sent to it.

${COMMON_HELP}`,
  positionals: [1, 1, "ENDPOINT"],
  async run({ positionals, session, print }) {
    const { deleteWebhookEndpoint: r } = await (
      await session.authenticated()
    ).request(DeleteWebhookEndpointDocument, { input: { endpointId: positionals[0] as string } });
    if (r.userErrors.length || !r.deletedEndpointId)
      throw new UserErrorsError("deleteWebhookEndpoint", r.userErrors, r);
    print(`Deleted endpoint ${r.deletedEndpointId}.`, { ok: true, deletedEndpointId: r.deletedEndpointId });
    return EXIT.OK;
  },
});

const test = serverCommand({
  name: "webhooks test",
  summary: "send a signed test delivery and wait for its answer",
  usage: `vproc webhooks test ENDPOINT [--timeout S]

Queues a signed webhook.test delivery and waits (default 30 s) for its first answer. Exit 0 when
the endpoint answered 2xx, 1 otherwise (the answer, or the error, is printed).

${COMMON_HELP}`,
  options: { timeout: { type: "string" } },
  positionals: [1, 1, "ENDPOINT"],
  async run({ values, positionals, session, print }) {
    const timeout = Number(str(values, "timeout") ?? 30);
    if (!Number.isFinite(timeout) || timeout <= 0) throw new UsageError("--timeout must be a number of seconds");
    const client = await session.authenticated();
    const endpointId = positionals[0] as string;
    const { sendTestWebhook: r } = await client.request(SendTestWebhookDocument, { input: { endpointId } });
    if (r.userErrors.length || !r.delivery) throw new UserErrorsError("sendTestWebhook", r.userErrors, r);
    const deadline = Date.now() + timeout * 1000;
    for (;;) {
      const { webhookEndpoint } = await client.request(WebhookEndpointDocument, { id: endpointId, deliveries: 20 });
      const d = webhookEndpoint?.deliveries.nodes.find((n) => n.id === r.delivery?.id);
      if (d && d.attempts > 0) {
        const ok = d.status === "SUCCEEDED";
        print(
          ok
            ? `Delivered ${d.webhookId}: HTTP ${d.responseStatus ?? "?"} in ${d.durationMs ?? "?"} ms.`
            : `Not delivered ${d.webhookId}: ${d.lastError ?? "no answer"}${d.status === "PENDING" ? " (it will be retried)" : ""}.`,
          { ok, delivery: d },
        );
        return ok ? EXIT.OK : EXIT.FAILED;
      }
      if (Date.now() > deadline) {
        print(`No attempt within ${timeout} s; follow it with vproc webhooks list.`, {
          ok: false,
          delivery: d ?? r.delivery,
        });
        return EXIT.FAILED;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  },
});

const SUBCOMMANDS: Readonly<Record<string, Command>> = { list, create, delete: remove, test };

const usage = `vproc webhooks list|create|delete|test

Signed webhooks (Standard Webhooks) tell your own systems when a job ends.
${Object.entries(SUBCOMMANDS)
  .map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`)
  .join("\n")}

vproc webhooks SUBCOMMAND --help shows each one's options.`;

export const webhooksCommand: Command = {
  summary: "manage webhook endpoints (list, create, delete, test)",
  usage,
  async run(argv, io) {
    const [name, ...rest] = argv;
    if (name === undefined || name === "--help" || name === "-h") {
      (name === undefined ? io.stderr : io.stdout).write(usage + "\n");
      return name === undefined ? EXIT.USAGE : EXIT.OK;
    }
    const sub = SUBCOMMANDS[name];
    if (!sub) {
      io.stderr.write(`vproc webhooks: unknown subcommand "${name}" (list, create, delete, test)\n`);
      return EXIT.USAGE;
    }
    return sub.run(rest, io);
  },
};
