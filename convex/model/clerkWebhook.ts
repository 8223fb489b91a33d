import { Webhook } from "svix";

/**
 * Parsing and verification of Clerk's user webhooks (delivered through svix). Source: Clerk
 * "Sync Clerk data to your app with webhooks"; events `user.created`, `user.updated`, `user.deleted`.
 */

/** What the HTTP action should do for a verified event. */
export type ClerkUserChange =
  | { kind: "upsert"; externalId: string; name: string; email: string; imageUrl?: string }
  | { kind: "deactivate"; externalId: string }
  | { kind: "ignore"; type: string };

type ClerkEmailAddress = { id: string; email_address: string };
type ClerkUserPayload = {
  id: string;
  first_name?: string | null;
  last_name?: string | null;
  username?: string | null;
  image_url?: string | null;
  primary_email_address_id?: string | null;
  email_addresses?: ClerkEmailAddress[];
};

/**
 * Verifies the svix signature of a webhook request and returns its JSON payload.
 *
 * @param secret the endpoint's signing secret (`whsec_...`, env CLERK_WEBHOOK_SECRET).
 * @param body the raw request body, exactly as received.
 * @param headers the request headers (`svix-id`, `svix-timestamp`, `svix-signature`).
 * @returns the event, or null when the signature is missing, wrong or too old.
 */
export function verifyClerkWebhook(
  secret: string,
  body: string,
  headers: Headers,
): { type: string; data: unknown } | null {
  const svixHeaders = {
    "svix-id": headers.get("svix-id") ?? "",
    "svix-timestamp": headers.get("svix-timestamp") ?? "",
    "svix-signature": headers.get("svix-signature") ?? "",
  };
  try {
    return new Webhook(secret).verify(body, svixHeaders) as { type: string; data: unknown };
  } catch {
    return null;
  }
}

/** Maps a verified Clerk event to the change it asks of our users table. */
export function clerkUserChange(event: { type: string; data: unknown }): ClerkUserChange {
  const data = event.data as ClerkUserPayload;
  if (typeof data?.id !== "string") return { kind: "ignore", type: event.type };
  if (event.type === "user.deleted") return { kind: "deactivate", externalId: data.id };
  if (event.type !== "user.created" && event.type !== "user.updated") return { kind: "ignore", type: event.type };
  const addresses = data.email_addresses ?? [];
  const primary = addresses.find((address) => address.id === data.primary_email_address_id) ?? addresses[0];
  const email = primary?.email_address ?? "";
  const fullName = [data.first_name, data.last_name].filter(Boolean).join(" ").trim();
  const name = fullName || data.username || email.split("@")[0] || "New user";
  return {
    kind: "upsert",
    externalId: data.id,
    name,
    email,
    ...(data.image_url ? { imageUrl: data.image_url } : {}),
  };
}

/** `"<issuer>|<subject>"` as Convex derives it for a Clerk token (issuer without a trailing slash). */
export function clerkTokenIdentifier(issuerDomain: string, clerkUserId: string): string {
  return `${issuerDomain.replace(/\/+$/, "")}|${clerkUserId}`;
}
