import { useQuery } from "convex/react";
import { useMemo, useState } from "react";
import { api } from "../../../convex/_generated/api";
import type { Id } from "../../../convex/_generated/dataModel";
import { ALL, FilterSelect } from "../../lib/components/FilterSelect";
import { catalogChoiceLabel } from "../catalog/catalogList";
import { UNBATCHED_LABEL } from "./sessionText";

/** The batch filter's choice for the students of the course who are in no batch. */
export const UNBATCHED = "unbatched";

/** A labelled choice of a filter. */
export type FilterOption = { value: string; label: string };

/**
 * The state of the course-then-batch filter of the success-session lists: the chosen course and,
 * within it, the chosen batch or the unbatched students (`audience`: a batch id, {@link UNBATCHED}
 * or {@link ALL}). Choosing another course resets the batch to "All students".
 * `args` are the matching `courseId` / `batchId` arguments of the list queries (`batchId: null`:
 * the unbatched students); `activeCount` says how many of the two filters are set.
 */
export function useCourseBatchFilter() {
  const [courseId, setCourseId] = useState<string>(ALL);
  const [audience, setAudience] = useState<string>(ALL);
  const chooseCourse = (value: string) => {
    setCourseId(value);
    setAudience(ALL);
  };
  const args = {
    ...(courseId !== ALL ? { courseId: courseId as Id<"courses"> } : {}),
    ...(courseId !== ALL && audience !== ALL ? { batchId: audience === UNBATCHED ? null : (audience as Id<"batches">) } : {}),
  };
  const activeCount = [courseId !== ALL, audience !== ALL].filter(Boolean).length;
  return { courseId, audience, chooseCourse, setAudience, args, activeCount };
}

/** What {@link CourseBatchFilter} shows and changes. */
export type CourseBatchFilterState = ReturnType<typeof useCourseBatchFilter>;

/**
 * The choices of {@link CourseBatchFilter} from the catalog (staff): every course, and the batches of
 * the chosen course, archived ones marked "(archived)". Nothing is loaded while `enabled` is false.
 */
export function useCatalogCourseBatchOptions(courseId: string, enabled = true): { courseOptions: FilterOption[]; batchOptions: FilterOption[] } {
  const courses = useQuery(api.catalog.listCourses, enabled ? { includeArchived: true } : "skip");
  const batches = useQuery(
    api.catalog.listBatches,
    enabled && courseId !== ALL ? { courseId: courseId as Id<"courses">, includeArchived: true } : "skip",
  );
  const courseOptions = useMemo(
    () => (courses ?? []).map((course) => ({ value: course._id, label: catalogChoiceLabel(course.title, course.status) })),
    [courses],
  );
  const batchOptions = useMemo(
    () =>
      courseId === ALL
        ? []
        : (batches ?? [])
            .filter((batch) => batch.courseId === courseId)
            .map((batch) => ({ value: batch._id, label: catalogChoiceLabel(batch.name, batch.status) })),
    [batches, courseId],
  );
  return { courseOptions, batchOptions };
}

/**
 * The course filter, then the batch filter of the chosen course ("All students", its batches,
 * "Unbatched students"). The batch filter is off, with the hint "Pick a course first", until a
 * course is chosen.
 */
export function CourseBatchFilter({
  filter,
  courseOptions,
  batchOptions,
}: {
  filter: CourseBatchFilterState;
  courseOptions: readonly FilterOption[];
  batchOptions: readonly FilterOption[];
}) {
  const noCourse = filter.courseId === ALL;
  return (
    <>
      <FilterSelect
        label="Course"
        searchable
        nothingFoundMessage="No course matches"
        allLabel="All courses"
        options={courseOptions}
        value={filter.courseId}
        onChange={filter.chooseCourse}
      />
      <FilterSelect
        label="Batch"
        description={noCourse ? "Pick a course first" : undefined}
        // The hint goes under the field, so that the filter row's fields stay in line.
        inputWrapperOrder={["label", "input", "description", "error"]}
        disabled={noCourse}
        allLabel="All students"
        options={[...batchOptions, { value: UNBATCHED, label: UNBATCHED_LABEL }]}
        value={filter.audience}
        onChange={filter.setAudience}
      />
    </>
  );
}
