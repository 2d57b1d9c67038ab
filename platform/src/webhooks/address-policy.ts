import { isIP } from "node:net";
import ipaddr from "ipaddr.js";

export interface WebhookTargetPolicy {
  /**
   * Development only (VP_WEBHOOK_ALLOW_LOCAL_TARGETS): plain http URLs and loopback addresses, so a
   * receiver on this machine can be tried. Private, link-local and metadata addresses stay refused.
   * @default false
   */
  readonly allowLocalTargets?: boolean;
}

/**
 * Why an address may not be connected to, or null when it may: only global unicast, never loopback,
 * private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16 with the cloud metadata
 * address, fe80::/10), CGNAT, multicast, reserved or unspecified. IPv4-mapped IPv6 is judged as the
 * IPv4 address it carries.
 */
export function refusedAddress(address: string, policy: WebhookTargetPolicy = {}): string | null {
  const bare = address.startsWith("[") && address.endsWith("]") ? address.slice(1, -1) : address;
  if (!ipaddr.isValid(bare)) return `${address} is not an IP address`;
  const parsed = ipaddr.process(bare);
  const range = parsed.range();
  if (range === "unicast") return null;
  if (range === "loopback" && policy.allowLocalTargets === true) return null;
  return `${parsed.toString()} is a ${range} address`;
}

/**
 * The URL checks made when an endpoint is saved (the address checks are made again at every
 * connection, on the resolved address). Returns why the URL is refused, or null.
 */
export function refusedWebhookUrl(raw: string, policy: WebhookTargetPolicy = {}): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "must be an absolute URL";
  }
  if (raw.length > 2000) return "must be at most 2000 characters";
  if (url.protocol !== "https:" && !(url.protocol === "http:" && policy.allowLocalTargets === true))
    return "must be an https URL";
  if (url.username !== "" || url.password !== "") return "must not carry a user name or password";
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) !== 0) {
    const refused = refusedAddress(host, policy);
    if (refused !== null) return `must not point at ${refused}`;
  } else if (/(^|\.)localhost$/i.test(host) && policy.allowLocalTargets !== true) {
    return "must not point at localhost";
  }
  return null;
}
