/* eslint-disable */
/**
 * Generated `api` utility.
 *
 * THIS CODE IS AUTOMATICALLY GENERATED.
 *
 * To regenerate, run `npx convex dev`.
 * @module
 */

import type {
  ApiFromModules,
  FilterApi,
  FunctionReference,
} from "convex/server";
import type * as attendance from "../attendance.js";
import type * as calendar from "../calendar.js";
import type * as catalog from "../catalog.js";
import type * as coaching from "../coaching.js";
import type * as coachingAvailability from "../coachingAvailability.js";
import type * as codedSessions from "../codedSessions.js";
import type * as crons from "../crons.js";
import type * as discordAdmin from "../discordAdmin.js";
import type * as discordLinking from "../discordLinking.js";
import type * as discordProvisioning from "../discordProvisioning.js";
import type * as emailPreferences from "../emailPreferences.js";
import type * as enrollments from "../enrollments.js";
import type * as expertSessionStorage from "../expertSessionStorage.js";
import type * as expertSessions from "../expertSessions.js";
import type * as http from "../http.js";
import type * as migrations from "../migrations.js";
import type * as model_access from "../model/access.js";
import type * as model_authProviders from "../model/authProviders.js";
import type * as model_catalog_editing from "../model/catalog/editing.js";
import type * as model_catalog_enrollmentLists from "../model/catalog/enrollmentLists.js";
import type * as model_catalog_enrollments from "../model/catalog/enrollments.js";
import type * as model_catalog_lookups from "../model/catalog/lookups.js";
import type * as model_catalog_views from "../model/catalog/views.js";
import type * as model_coaching_allowances from "../model/coaching/allowances.js";
import type * as model_coaching_availability from "../model/coaching/availability.js";
import type * as model_coaching_coaches from "../model/coaching/coaches.js";
import type * as model_coaching_discordSpace from "../model/coaching/discordSpace.js";
import type * as model_coaching_overrides from "../model/coaching/overrides.js";
import type * as model_coaching_policy from "../model/coaching/policy.js";
import type * as model_coaching_products from "../model/coaching/products.js";
import type * as model_coaching_sessions from "../model/coaching/sessions.js";
import type * as model_coaching_time from "../model/coaching/time.js";
import type * as model_coaching_timeNames from "../model/coaching/timeNames.js";
import type * as model_codedSessions_joinCodes from "../model/codedSessions/joinCodes.js";
import type * as model_codedSessions_joining from "../model/codedSessions/joining.js";
import type * as model_codedSessions_lifecycle from "../model/codedSessions/lifecycle.js";
import type * as model_codedSessions_views from "../model/codedSessions/views.js";
import type * as model_discord_admin from "../model/discord/admin.js";
import type * as model_discord_capacity from "../model/discord/capacity.js";
import type * as model_discord_cleanup from "../model/discord/cleanup.js";
import type * as model_discord_cleanupRun from "../model/discord/cleanupRun.js";
import type * as model_discord_client from "../model/discord/client.js";
import type * as model_discord_config from "../model/discord/config.js";
import type * as model_discord_errors from "../model/discord/errors.js";
import type * as model_discord_grants from "../model/discord/grants.js";
import type * as model_discord_lease from "../model/discord/lease.js";
import type * as model_discord_ledger from "../model/discord/ledger.js";
import type * as model_discord_linking from "../model/discord/linking.js";
import type * as model_discord_maintenance from "../model/discord/maintenance.js";
import type * as model_discord_move from "../model/discord/move.js";
import type * as model_discord_names from "../model/discord/names.js";
import type * as model_discord_oauthEndpoints from "../model/discord/oauthEndpoints.js";
import type * as model_discord_oauthState from "../model/discord/oauthState.js";
import type * as model_discord_permissions from "../model/discord/permissions.js";
import type * as model_discord_provisioning from "../model/discord/provisioning.js";
import type * as model_discord_provisioningRun from "../model/discord/provisioningRun.js";
import type * as model_discord_rateLimits from "../model/discord/rateLimits.js";
import type * as model_discord_reconciliation from "../model/discord/reconciliation.js";
import type * as model_discord_requestPacer from "../model/discord/requestPacer.js";
import type * as model_discord_spaceMigration from "../model/discord/spaceMigration.js";
import type * as model_discord_spaces from "../model/discord/spaces.js";
import type * as model_documents from "../model/documents.js";
import type * as model_errors from "../model/errors.js";
import type * as model_expertSessions_captions from "../model/expertSessions/captions.js";
import type * as model_expertSessions_files from "../model/expertSessions/files.js";
import type * as model_expertSessions_limits from "../model/expertSessions/limits.js";
import type * as model_expertSessions_productLinks from "../model/expertSessions/productLinks.js";
import type * as model_expertSessions_staffEditing from "../model/expertSessions/staffEditing.js";
import type * as model_expertSessions_staffViews from "../model/expertSessions/staffViews.js";
import type * as model_expertSessions_storage from "../model/expertSessions/storage.js";
import type * as model_expertSessions_studentViews from "../model/expertSessions/studentViews.js";
import type * as model_expertSessions_watchProgress from "../model/expertSessions/watchProgress.js";
import type * as model_functions from "../model/functions.js";
import type * as model_notifications_attendanceSummary from "../model/notifications/attendanceSummary.js";
import type * as model_notifications_audienceRemoval from "../model/notifications/audienceRemoval.js";
import type * as model_notifications_calendarFeeds from "../model/notifications/calendarFeeds.js";
import type * as model_notifications_calendarSources from "../model/notifications/calendarSources.js";
import type * as model_notifications_config from "../model/notifications/config.js";
import type * as model_notifications_feedTokens from "../model/notifications/feedTokens.js";
import type * as model_notifications_httpHandlers from "../model/notifications/httpHandlers.js";
import type * as model_notifications_ics from "../model/notifications/ics.js";
import type * as model_notifications_outbox from "../model/notifications/outbox.js";
import type * as model_notifications_outboxAdmin from "../model/notifications/outboxAdmin.js";
import type * as model_notifications_reminders from "../model/notifications/reminders.js";
import type * as model_notifications_resend from "../model/notifications/resend.js";
import type * as model_notifications_sessionKinds from "../model/notifications/sessionKinds.js";
import type * as model_notifications_sessionNotices from "../model/notifications/sessionNotices.js";
import type * as model_notifications_templates from "../model/notifications/templates.js";
import type * as model_schedule_items from "../model/schedule/items.js";
import type * as model_schedule_staffOverview from "../model/schedule/staffOverview.js";
import type * as model_seed_catalog from "../model/seed/catalog.js";
import type * as model_seed_coaching from "../model/seed/coaching.js";
import type * as model_seed_codedAndExpert from "../model/seed/codedAndExpert.js";
import type * as model_seed_successSessions from "../model/seed/successSessions.js";
import type * as model_successSessions_attendance from "../model/successSessions/attendance.js";
import type * as model_successSessions_queries from "../model/successSessions/queries.js";
import type * as model_successSessions_recurrence from "../model/successSessions/recurrence.js";
import type * as model_successSessions_schedule from "../model/successSessions/schedule.js";
import type * as model_successSessions_series from "../model/successSessions/series.js";
import type * as model_successSessions_views from "../model/successSessions/views.js";
import type * as model_time_localDates from "../model/time/localDates.js";
import type * as model_time_units from "../model/time/units.js";
import type * as model_time_zones from "../model/time/zones.js";
import type * as model_triggers from "../model/triggers.js";
import type * as model_users_accounts from "../model/users/accounts.js";
import type * as model_users_administration from "../model/users/administration.js";
import type * as model_users_clerkEvents from "../model/users/clerkEvents.js";
import type * as model_users_directory from "../model/users/directory.js";
import type * as model_users_personas from "../model/users/personas.js";
import type * as model_users_roles from "../model/users/roles.js";
import type * as model_validation from "../model/validation.js";
import type * as model_webhooks from "../model/webhooks.js";
import type * as notifications from "../notifications.js";
import type * as schedule from "../schedule.js";
import type * as seed from "../seed.js";
import type * as staffOverview from "../staffOverview.js";
import type * as successSessions from "../successSessions.js";
import type * as tables_catalog from "../tables/catalog.js";
import type * as tables_coaching from "../tables/coaching.js";
import type * as tables_codedSessions from "../tables/codedSessions.js";
import type * as tables_expertSessions from "../tables/expertSessions.js";
import type * as tables_notifications from "../tables/notifications.js";
import type * as tables_successSessions from "../tables/successSessions.js";
import type * as tables_users from "../tables/users.js";
import type * as tables_webhooks from "../tables/webhooks.js";
import type * as users from "../users.js";

/**
 * A utility for referencing Convex functions in your app's API.
 *
 * Usage:
 * ```js
 * const myFunctionReference = api.myModule.myFunction;
 * ```
 */
declare const fullApi: ApiFromModules<{
  attendance: typeof attendance;
  calendar: typeof calendar;
  catalog: typeof catalog;
  coaching: typeof coaching;
  coachingAvailability: typeof coachingAvailability;
  codedSessions: typeof codedSessions;
  crons: typeof crons;
  discordAdmin: typeof discordAdmin;
  discordLinking: typeof discordLinking;
  discordProvisioning: typeof discordProvisioning;
  emailPreferences: typeof emailPreferences;
  enrollments: typeof enrollments;
  expertSessionStorage: typeof expertSessionStorage;
  expertSessions: typeof expertSessions;
  http: typeof http;
  migrations: typeof migrations;
  "model/access": typeof model_access;
  "model/authProviders": typeof model_authProviders;
  "model/catalog/editing": typeof model_catalog_editing;
  "model/catalog/enrollmentLists": typeof model_catalog_enrollmentLists;
  "model/catalog/enrollments": typeof model_catalog_enrollments;
  "model/catalog/lookups": typeof model_catalog_lookups;
  "model/catalog/views": typeof model_catalog_views;
  "model/coaching/allowances": typeof model_coaching_allowances;
  "model/coaching/availability": typeof model_coaching_availability;
  "model/coaching/coaches": typeof model_coaching_coaches;
  "model/coaching/discordSpace": typeof model_coaching_discordSpace;
  "model/coaching/overrides": typeof model_coaching_overrides;
  "model/coaching/policy": typeof model_coaching_policy;
  "model/coaching/products": typeof model_coaching_products;
  "model/coaching/sessions": typeof model_coaching_sessions;
  "model/coaching/time": typeof model_coaching_time;
  "model/coaching/timeNames": typeof model_coaching_timeNames;
  "model/codedSessions/joinCodes": typeof model_codedSessions_joinCodes;
  "model/codedSessions/joining": typeof model_codedSessions_joining;
  "model/codedSessions/lifecycle": typeof model_codedSessions_lifecycle;
  "model/codedSessions/views": typeof model_codedSessions_views;
  "model/discord/admin": typeof model_discord_admin;
  "model/discord/capacity": typeof model_discord_capacity;
  "model/discord/cleanup": typeof model_discord_cleanup;
  "model/discord/cleanupRun": typeof model_discord_cleanupRun;
  "model/discord/client": typeof model_discord_client;
  "model/discord/config": typeof model_discord_config;
  "model/discord/errors": typeof model_discord_errors;
  "model/discord/grants": typeof model_discord_grants;
  "model/discord/lease": typeof model_discord_lease;
  "model/discord/ledger": typeof model_discord_ledger;
  "model/discord/linking": typeof model_discord_linking;
  "model/discord/maintenance": typeof model_discord_maintenance;
  "model/discord/move": typeof model_discord_move;
  "model/discord/names": typeof model_discord_names;
  "model/discord/oauthEndpoints": typeof model_discord_oauthEndpoints;
  "model/discord/oauthState": typeof model_discord_oauthState;
  "model/discord/permissions": typeof model_discord_permissions;
  "model/discord/provisioning": typeof model_discord_provisioning;
  "model/discord/provisioningRun": typeof model_discord_provisioningRun;
  "model/discord/rateLimits": typeof model_discord_rateLimits;
  "model/discord/reconciliation": typeof model_discord_reconciliation;
  "model/discord/requestPacer": typeof model_discord_requestPacer;
  "model/discord/spaceMigration": typeof model_discord_spaceMigration;
  "model/discord/spaces": typeof model_discord_spaces;
  "model/documents": typeof model_documents;
  "model/errors": typeof model_errors;
  "model/expertSessions/captions": typeof model_expertSessions_captions;
  "model/expertSessions/files": typeof model_expertSessions_files;
  "model/expertSessions/limits": typeof model_expertSessions_limits;
  "model/expertSessions/productLinks": typeof model_expertSessions_productLinks;
  "model/expertSessions/staffEditing": typeof model_expertSessions_staffEditing;
  "model/expertSessions/staffViews": typeof model_expertSessions_staffViews;
  "model/expertSessions/storage": typeof model_expertSessions_storage;
  "model/expertSessions/studentViews": typeof model_expertSessions_studentViews;
  "model/expertSessions/watchProgress": typeof model_expertSessions_watchProgress;
  "model/functions": typeof model_functions;
  "model/notifications/attendanceSummary": typeof model_notifications_attendanceSummary;
  "model/notifications/audienceRemoval": typeof model_notifications_audienceRemoval;
  "model/notifications/calendarFeeds": typeof model_notifications_calendarFeeds;
  "model/notifications/calendarSources": typeof model_notifications_calendarSources;
  "model/notifications/config": typeof model_notifications_config;
  "model/notifications/feedTokens": typeof model_notifications_feedTokens;
  "model/notifications/httpHandlers": typeof model_notifications_httpHandlers;
  "model/notifications/ics": typeof model_notifications_ics;
  "model/notifications/outbox": typeof model_notifications_outbox;
  "model/notifications/outboxAdmin": typeof model_notifications_outboxAdmin;
  "model/notifications/reminders": typeof model_notifications_reminders;
  "model/notifications/resend": typeof model_notifications_resend;
  "model/notifications/sessionKinds": typeof model_notifications_sessionKinds;
  "model/notifications/sessionNotices": typeof model_notifications_sessionNotices;
  "model/notifications/templates": typeof model_notifications_templates;
  "model/schedule/items": typeof model_schedule_items;
  "model/schedule/staffOverview": typeof model_schedule_staffOverview;
  "model/seed/catalog": typeof model_seed_catalog;
  "model/seed/coaching": typeof model_seed_coaching;
  "model/seed/codedAndExpert": typeof model_seed_codedAndExpert;
  "model/seed/successSessions": typeof model_seed_successSessions;
  "model/successSessions/attendance": typeof model_successSessions_attendance;
  "model/successSessions/queries": typeof model_successSessions_queries;
  "model/successSessions/recurrence": typeof model_successSessions_recurrence;
  "model/successSessions/schedule": typeof model_successSessions_schedule;
  "model/successSessions/series": typeof model_successSessions_series;
  "model/successSessions/views": typeof model_successSessions_views;
  "model/time/localDates": typeof model_time_localDates;
  "model/time/units": typeof model_time_units;
  "model/time/zones": typeof model_time_zones;
  "model/triggers": typeof model_triggers;
  "model/users/accounts": typeof model_users_accounts;
  "model/users/administration": typeof model_users_administration;
  "model/users/clerkEvents": typeof model_users_clerkEvents;
  "model/users/directory": typeof model_users_directory;
  "model/users/personas": typeof model_users_personas;
  "model/users/roles": typeof model_users_roles;
  "model/validation": typeof model_validation;
  "model/webhooks": typeof model_webhooks;
  notifications: typeof notifications;
  schedule: typeof schedule;
  seed: typeof seed;
  staffOverview: typeof staffOverview;
  successSessions: typeof successSessions;
  "tables/catalog": typeof tables_catalog;
  "tables/coaching": typeof tables_coaching;
  "tables/codedSessions": typeof tables_codedSessions;
  "tables/expertSessions": typeof tables_expertSessions;
  "tables/notifications": typeof tables_notifications;
  "tables/successSessions": typeof tables_successSessions;
  "tables/users": typeof tables_users;
  "tables/webhooks": typeof tables_webhooks;
  users: typeof users;
}>;
export declare const api: FilterApi<
  typeof fullApi,
  FunctionReference<any, "public">
>;
export declare const internal: FilterApi<
  typeof fullApi,
  FunctionReference<any, "internal">
>;

export declare const components: {
  rateLimiter: import("@convex-dev/rate-limiter/_generated/component.js").ComponentApi<"rateLimiter">;
  migrations: import("@convex-dev/migrations/_generated/component.js").ComponentApi<"migrations">;
};
