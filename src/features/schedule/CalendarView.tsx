import FullCalendar from "@fullcalendar/react";
import dayGridPlugin from "@fullcalendar/react/daygrid";
import classicThemePlugin from "@fullcalendar/react/themes/classic";
import timeGridPlugin from "@fullcalendar/react/timegrid";
import "@fullcalendar/react/skeleton.css";
import "@fullcalendar/react/themes/classic/theme.css";
import "@fullcalendar/react/themes/classic/palette.css";
import { Box } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { isCancelled, keyOf, pathOf, timesOf, titleOf, type ScheduleItem } from "./scheduleModel";

/** The hour on the wall clock of `timeZone` (0–23) of `at`. */
function hourIn(at: number, timeZone: string): number {
  return Number(new Intl.DateTimeFormat("en-GB", { hour: "2-digit", hourCycle: "h23", timeZone }).format(at));
}

/**
 * The hours the week's time grid shows: 8:00 to 18:00, widened to every item's start and end, so a
 * page shows the sessions without scrolling through empty nights.
 */
export function visibleHours(items: readonly ScheduleItem[], timeZone: string): { first: number; last: number } {
  let first = 8;
  let last = 18;
  for (const item of items) {
    const { start, end } = timesOf(item);
    first = Math.min(first, hourIn(start, timeZone));
    const endHour = hourIn(end - 1, timeZone) + 1;
    last = Math.max(last, endHour < hourIn(start, timeZone) ? 24 : endHour);
  }
  return { first, last };
}

/** Event colours per kind (the same hues as the kind badges). */
const KIND_COLORS = { success: "#1c7ed6", coaching: "#9c36b5", coded: "#0c8599" } as const;

/**
 * The week and month views of My schedule, drawn by FullCalendar (see DEVELOPERS.md for why this
 * component): every occurrence of a series is its own event. Times are in the viewer's zone
 * (`timeZone`); the page owns the toolbar (range, previous/next, view switch), so the calendar is
 * re-created for each range. Events are links to their page; activating one opens its details
 * with the actions (`onOpen`) instead of leaving the schedule.
 */
export function CalendarView({
  view,
  anchorDay,
  timeZone,
  items,
  onOpen,
}: {
  view: "week" | "month";
  anchorDay: string;
  timeZone: string;
  items: readonly ScheduleItem[];
  onOpen: (item: ScheduleItem) => void;
}) {
  // On phones the week is a column of days (a time grid of 7 columns does not fit 390 px).
  const phone = useMediaQuery("(max-width: 36em)") ?? false;
  const byKey = new Map(items.map((item) => [keyOf(item), item]));
  const hours = visibleHours(items, timeZone);
  return (
    <Box data-testid={`calendar-${view}`}>
      <FullCalendar
        key={`${view}-${anchorDay}-${phone ? "phone" : "wide"}`}
        plugins={[dayGridPlugin, timeGridPlugin, classicThemePlugin]}
        initialView={view === "month" ? "dayGridMonth" : phone ? "dayGridWeek" : "timeGridWeek"}
        initialDate={anchorDay}
        timeZone={timeZone}
        firstDay={1}
        headerToolbar={false}
        height="auto"
        nowIndicator
        slotMinTime={`${String(hours.first).padStart(2, "0")}:00:00`}
        slotMaxTime={`${String(hours.last).padStart(2, "0")}:00:00`}
        dayMaxEvents={view === "month" ? 3 : false}
        eventTimeFormat={{ hour: "numeric", minute: "2-digit", meridiem: "short" }}
        events={items.map((item) => {
          const { start, end } = timesOf(item);
          return {
            id: keyOf(item),
            title: isCancelled(item) ? `Cancelled: ${titleOf(item)}` : titleOf(item),
            start,
            end,
            url: pathOf(item),
            color: isCancelled(item) ? "#868e96" : KIND_COLORS[item.kind],
          };
        })}
        eventClick={(info) => {
          info.jsEvent.preventDefault();
          const item = byKey.get(info.event.id);
          if (item !== undefined) onOpen(item);
        }}
      />
    </Box>
  );
}
