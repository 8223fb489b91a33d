import { DateInput, type DateInputProps } from "@mantine/dates";

/** How a picked day reads: "Fri, Dec 4, 2026", like the dates in the rest of the app. */
const DAY_INPUT_FORMAT = "ddd, MMM D, YYYY";

/**
 * A calendar day field: shows the day as "Fri, Dec 4, 2026" (not the browser's `12/04/2026`) and
 * opens a month calendar; typing a day as "2026-12-04" works too. The value is the calendar day
 * "YYYY-MM-DD", or "" when empty; turn it into an instant with `startOfDayInZone` (src/lib/time.ts).
 *
 * @param value "YYYY-MM-DD", or "" (or undefined) when empty.
 * @param onChange receives "YYYY-MM-DD", or "" when cleared.
 * @param min / max the first / last day that may be picked ("YYYY-MM-DD").
 * Other props are Mantine `DateInput`'s (label, description, error, clearable, …).
 */
export function DayInput({
  value,
  onChange,
  min,
  max,
  ...props
}: Omit<DateInputProps, "value" | "onChange" | "valueFormat" | "minDate" | "maxDate" | "defaultValue"> & {
  value?: string;
  onChange: (day: string) => void;
  min?: string;
  max?: string;
}) {
  // Mantine's clear button is an unnamed "×": name it after the field ("Clear To").
  const clearLabel = typeof props.label === "string" ? `Clear ${props.label}` : "Clear date";
  return (
    <DateInput
      {...props}
      clearButtonProps={{ "aria-label": clearLabel, ...props.clearButtonProps }}
      value={value === undefined || value === "" ? null : value}
      onChange={(day) => onChange(day ?? "")}
      valueFormat={DAY_INPUT_FORMAT}
      minDate={min || undefined}
      maxDate={max || undefined}
      fixOnBlur
    />
  );
}
