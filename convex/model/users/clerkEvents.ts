/**
 * Parsing and verification of Clerk's user webhooks (delivered through svix). Source: Clerk
 * "Sync Clerk data to your app with webhooks"; events `user.created`, `user.updated`, `user.deleted`.
 */

/**
 * What the HTTP action should do for a verified event. `eventAt` (epoch ms) is when the change
 * happened at Clerk, which orders events of one user however they arrive.
 */
type ClerkUserChange =
  | { kind: "upsert"; externalId: string; eventAt: number; name: string; email: string; emailVerified: boolean; imageUrl?: string }
  | { kind: "deactivate"; externalId: string; eventAt: number }
  | { kind: "ignore"; type: string };

type ClerkEmailAddress = { id: string; email_address: string; verification?: { status?: string } | null };
type ClerkUserPayload = {
  id: string;
  first_name?: string | null;
  last_name?: string | null;
  username?: string | null;
  image_url?: string | null;
  primary_email_address_id?: string | null;
  email_addresses?: ClerkEmailAddress[];
  updated_at?: number | null;
};

/** A Clerk webhook event: `timestamp` is when Clerk created the event (epoch ms). */
export type ClerkEvent = { type: string; data: unknown; timestamp?: unknown };

/**
 * Maps a verified Clerk event to the change it asks of our users table.
 *
 * @param signedAt epoch ms of the svix signature, the event's time only when the event carries
 *   neither Clerk's `timestamp` nor the user's `updated_at`.
 */
export function clerkUserChange(event: ClerkEvent, signedAt: number): ClerkUserChange {
  const data = event.data as ClerkUserPayload;
  if (typeof data?.id !== "string") return { kind: "ignore", type: event.type };
  const eventAt =
    typeof event.timestamp === "number" ? event.timestamp : typeof data.updated_at === "number" ? data.updated_at : signedAt;
  if (event.type === "user.deleted") return { kind: "deactivate", externalId: data.id, eventAt };
  if (event.type !== "user.created" && event.type !== "user.updated") return { kind: "ignore", type: event.type };
  const addresses = data.email_addresses ?? [];
  const primary = addresses.find((address) => address.id === data.primary_email_address_id) ?? addresses[0];
  const email = primary?.email_address ?? "";
  const fullName = [data.first_name, data.last_name].filter(Boolean).join(" ").trim();
  const name = fullName || data.username || email.split("@")[0] || "New user";
  return {
    kind: "upsert",
    externalId: data.id,
    eventAt,
    name,
    email,
    emailVerified: primary?.verification?.status === "verified",
    ...(data.image_url ? { imageUrl: data.image_url } : {}),
  };
}

/** `"<issuer>|<subject>"` as Convex derives it for a Clerk token (issuer without a trailing slash). */
export function clerkTokenIdentifier(issuerDomain: string, clerkUserId: string): string {
  return `${issuerDomain.replace(/\/+$/, "")}|${clerkUserId}`;
}
