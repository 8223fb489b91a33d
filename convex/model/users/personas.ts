import type { Role } from "./roles";

/**
 * Demo people for the zero-account local start. The seed (`seed:init`) creates one user per persona,
 * and the Vite dev-server middleware mints a short-lived token whose `sub` is the persona's `subject`.
 * Convex then derives `tokenIdentifier = "<DEV_AUTH_ISSUER>|<subject>"`, which is what the seed stores.
 * Nothing here grants anything in production: without the `DEV_AUTH_JWKS` deployment variable no
 * token from this issuer is accepted.
 */
export type Persona = {
  subject: string;
  name: string;
  email: string;
  roles: Role[];
  timeZone: string;
  /** One line shown in the persona picker. */
  description: string;
};

/** The `iss` claim of dev tokens and the issuer of the custom JWT provider in auth.config.ts. */
export const DEV_AUTH_ISSUER = "https://dev-auth.sessions-hub.localhost";
/** The `aud` claim of dev tokens and the provider's application id. */
export const DEV_AUTH_APPLICATION_ID = "sessions-hub-local";

export const PERSONAS: readonly Persona[] = [
  { subject: "persona-superadmin", name: "Sofia Superadmin", email: "sofia.superadmin@example.com", roles: ["superadmin"], timeZone: "Europe/Berlin", description: "Grants and revokes roles; sees everything" },
  { subject: "persona-admin", name: "Adam Admin", email: "adam.admin@example.com", roles: ["admin"], timeZone: "America/New_York", description: "Manages courses, products, sessions and Discord" },
  { subject: "persona-enrollment-manager", name: "Elena Enrollments", email: "elena.enrollments@example.com", roles: ["enrollment_manager"], timeZone: "Europe/London", description: "Enrolls students into courses, batches and products" },
  { subject: "persona-mentor", name: "Maya Mentor", email: "maya.mentor@example.com", roles: ["mentor"], timeZone: "Asia/Kolkata", description: "Hosts success sessions and marks attendance" },
  { subject: "persona-coach-john", name: "John Coach", email: "john.coach@example.com", roles: ["coach", "mentor"], timeZone: "America/New_York", description: "1:1 coach who also mentors" },
  { subject: "persona-coach-sarah", name: "Sarah Coach", email: "sarah.coach@example.com", roles: ["coach"], timeZone: "Europe/London", description: "1:1 coach" },
  { subject: "persona-lecturer", name: "Leo Lecturer", email: "leo.lecturer@example.com", roles: ["lecturer"], timeZone: "Europe/Berlin", description: "Runs join-by-code classes" },
  { subject: "persona-student-amira", name: "Amira Student", email: "amira.student@example.com", roles: ["student"], timeZone: "Asia/Dubai", description: "Web Development, Batch 1; job-readiness and coaching products" },
  { subject: "persona-student-ben", name: "Ben Student", email: "ben.student@example.com", roles: ["student"], timeZone: "America/Chicago", description: "Web Development, unbatched" },
  { subject: "persona-student-chloe", name: "Chloe Student", email: "chloe.student@example.com", roles: ["student"], timeZone: "Europe/Paris", description: "Data Science, Batch 2; coaching product" },
  { subject: "persona-student-dev", name: "Dev Student", email: "dev.student@example.com", roles: ["student"], timeZone: "Asia/Kolkata", description: "Paused enrollment in Web Development" },
  { subject: "persona-student-eva", name: "Eva Student", email: "eva.student@example.com", roles: ["student"], timeZone: "Australia/Sydney", description: "Cancelled enrollment in UX Design" },
];

/** The tokenIdentifier Convex derives for a persona's dev token. */
export function personaTokenIdentifier(subject: string): string {
  return `${DEV_AUTH_ISSUER}|${subject}`;
}
