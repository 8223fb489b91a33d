import type { TableColumn } from "../../lib/components/DataTable";
import { TitleCell } from "../../lib/components/TitleCell";

/** A row of a course's enrollments or a product's access list: its student, null once deleted. */
type StudentRow = { student: { name: string; email: string } | null };

/** The row's student's name, or "(deleted user)" when the account is gone. */
export function studentName(row: StudentRow): string {
  return row.student?.name ?? "(deleted user)";
}

/** The "Student" column of the enrollment and access tables: the student's name, the email under it. */
export function studentColumn<Row extends StudentRow>(): TableColumn<Row> {
  return { header: "Student", cell: (row) => <TitleCell title={studentName(row)} size="sm" detail={row.student?.email} /> };
}
