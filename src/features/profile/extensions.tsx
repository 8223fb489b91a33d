import type { ComponentType } from "react";
import type { CurrentUser } from "../../lib/useViewer";
import { DiscordLinkActions } from "../discord/DiscordLinkActions";
import { CalendarFeedCard } from "../notifications/CalendarFeedCard";
import { EmailPreferencesCard } from "../notifications/EmailPreferencesCard";

/**
 * Extension points of the profile page for other features. Append a component; the profile page
 * renders each with the signed-in user. Keep this file to these arrays.
 */

/**
 * Rendered in the "Discord" row of "Linked accounts", after the link status.
 * SLOT FOR THE COACHING TEAM: append the "Link Discord" / "Unlink" button (Discord OAuth2) here.
 */
export const discordAccountActions: ComponentType<{ user: CurrentUser }>[] = [DiscordLinkActions];

/** Extra profile sections rendered after "Linked accounts" (e.g. the calendar feed URL). */
export const profileSections: ComponentType<{ user: CurrentUser }>[] = [CalendarFeedCard, EmailPreferencesCard];
