import { Button, MantineProvider } from "@mantine/core";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { ReactNode } from "react";
import { describe, expect, test, vi } from "vitest";
import { theme } from "../../app/theme";
import { staticMediaQueryList } from "../../test/mediaQuery";
import { DataTable } from "./DataTable";
import { FilterBar } from "./FilterBar";

type Course = { id: string; title: string; status: string };
const COURSES: Course[] = [
  { id: "c1", title: "Web Development", status: "active" },
  { id: "c2", title: "Data Science", status: "archived" },
];

/** A browser window `width` px wide: `matchMedia` answers the width queries Mantine hooks ask. */
function windowWidth(width: number) {
  vi.spyOn(window, "matchMedia").mockImplementation((query: string) => {
    const max = /max-width:\s*([\d.]+)em/.exec(query);
    const min = /min-width:\s*([\d.]+)em/.exec(query);
    const matches = (max === null || width <= Number(max[1]) * 16) && (min === null || width >= Number(min[1]) * 16);
    return staticMediaQueryList(query, matches);
  });
}

function renderUi(ui: ReactNode) {
  return render(
    <MantineProvider theme={theme} env="test">
      {ui}
    </MantineProvider>,
  );
}

function CoursesTable({ onEdit = () => {} }: { onEdit?: (course: Course) => void }) {
  return (
    <DataTable
      rows={COURSES}
      label="Courses"
      rowKey={(course) => course.id}
      columns={[
        { header: "Title", cell: (course) => course.title },
        { header: "Status", cell: (course) => course.status },
        false,
        {
          header: "Actions",
          actions: true,
          cell: (course) => (
            <Button size="xs" onClick={() => onEdit(course)} aria-label={`Edit ${course.title}`}>
              Edit
            </Button>
          ),
        },
      ]}
      minWidth={560}
      loadingLabel="Loading courses…"
      empty={{ title: "No courses yet" }}
    />
  );
}

describe("DataTable", () => {
  test("on a wide screen: a table named by its label, one header per shown column", () => {
    windowWidth(1366);
    renderUi(<CoursesTable />);
    const table = screen.getByRole("table", { name: "Courses" });
    expect(within(table).getAllByRole("columnheader").map((header) => header.textContent)).toEqual(["Title", "Status", "Actions"]);
    expect(within(table).getAllByRole("row")).toHaveLength(3);
  });

  test("on a phone: each row is a card of labelled fields with its actions in view, no table", async () => {
    windowWidth(390);
    const onEdit = vi.fn();
    renderUi(<CoursesTable onEdit={onEdit} />);
    expect(screen.queryByRole("table")).not.toBeInTheDocument();
    const cards = within(screen.getByRole("list", { name: "Courses" })).getAllByRole("listitem");
    expect(cards).toHaveLength(2);
    const [first] = cards;
    expect(within(first).getByText("Title")).toBeInTheDocument();
    expect(within(first).getByText("Web Development")).toBeInTheDocument();
    expect(within(first).getByText("Status")).toBeInTheDocument();
    // The actions column is not a labelled field: its buttons sit under the fields.
    expect(within(first).queryByText("Actions")).not.toBeInTheDocument();
    await userEvent.click(within(first).getByRole("button", { name: "Edit Web Development" }));
    expect(onEdit).toHaveBeenCalledWith(COURSES[0]);
  });

  test("loading and empty states instead of a table", () => {
    const { rerender } = renderUi(
      <DataTable rows={undefined} label="Courses" rowKey={(course: Course) => course.id} columns={[]} minWidth={1} loadingLabel="Loading courses…" empty={{ title: "No courses yet" }} />,
    );
    expect(screen.getByRole("status")).toHaveTextContent("Loading courses…");
    rerender(
      <MantineProvider theme={theme} env="test">
        <DataTable rows={[]} label="Courses" rowKey={(course: Course) => course.id} columns={[]} minWidth={1} loadingLabel="Loading courses…" empty={{ title: "No courses yet" }} />
      </MantineProvider>,
    );
    expect(screen.getByText("No courses yet")).toBeInTheDocument();
    expect(screen.queryByRole("table")).not.toBeInTheDocument();
  });
});

describe("FilterBar", () => {
  const filters = (
    <FilterBar activeCount={2}>
      <label>
        Course <input />
      </label>
    </FilterBar>
  );

  test("on a wide screen the filters show as they are", () => {
    windowWidth(1366);
    renderUi(filters);
    expect(screen.getByRole("textbox", { name: "Course" })).toBeVisible();
    expect(screen.queryByRole("button", { name: /Filters/ })).not.toBeInTheDocument();
  });

  test("on a phone they fold behind a button that counts the active ones", async () => {
    windowWidth(390);
    renderUi(filters);
    const toggle = screen.getByRole("button", { name: "Filters (2)" });
    expect(toggle).toHaveAttribute("aria-expanded", "false");
    expect(screen.queryByRole("textbox", { name: "Course" })).not.toBeInTheDocument();
    await userEvent.click(toggle);
    expect(toggle).toHaveAttribute("aria-expanded", "true");
    expect(await screen.findByRole("textbox", { name: "Course" })).toBeInTheDocument();
  });
});
