import { v, type Infer } from "convex/values";

/** Every role a user may hold (SPEC §1). A user holds one or more. */
export const ROLES = [
  "student",
  "mentor",
  "coach",
  "lecturer",
  "enrollment_manager",
  "admin",
  "superadmin",
] as const;

export const roleValidator = v.union(...ROLES.map((role) => v.literal(role)));
export type Role = Infer<typeof roleValidator>;

/** Staff = admin, superadmin, enrollment_manager (SPEC §1). */
export const STAFF_ROLES: readonly Role[] = ["enrollment_manager", "admin", "superadmin"];

/** Human labels for each role, used by the UI and emails. */
export const ROLE_LABELS: Record<Role, string> = {
  student: "Student",
  mentor: "Mentor",
  coach: "Coach",
  lecturer: "Lecturer",
  enrollment_manager: "Enrollment manager",
  admin: "Admin",
  superadmin: "Superadmin",
};
