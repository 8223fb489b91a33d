import { Select, type SelectProps } from "@mantine/core";

/** The value of a filter's "All …" choice: the filter is off. */
export const ALL = "all";

/**
 * A list filter: a select whose first choice, "All …" (`allLabel`, value {@link ALL}), turns the
 * filter off. It is never empty: choosing "All …" is how a filter is cleared. Other props (label,
 * searchable, width…) go to Mantine's `Select`.
 *
 * @param options the other choices, labelled.
 * @param value the chosen value, {@link ALL} while the filter is off.
 */
export function FilterSelect({
  allLabel,
  options,
  value,
  onChange,
  ...select
}: Omit<SelectProps, "data" | "value" | "onChange" | "allowDeselect"> & {
  allLabel: string;
  options: readonly { value: string; label: string }[];
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <Select
      {...select}
      data={[{ value: ALL, label: allLabel }, ...options]}
      value={value}
      onChange={(next) => onChange(next ?? ALL)}
      allowDeselect={false}
    />
  );
}
