/**
 * Shared page building blocks. Every page uses them so loading, empty and error states, dates and
 * confirmations look and behave the same everywhere.
 */
export { ConfirmButton } from "./ConfirmButton";
export { DateTime, DateTimeRange, type DateTimeFormat } from "./DateTime";
export { FormError } from "./FormError";
export { PageHeader } from "./PageHeader";
export { humanize, StatusBadge } from "./StatusBadge";
export { EmptyState, ErrorState, LoadingState, QueryBoundary } from "./states";
