import { Badge, Button, SegmentedControl } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useMutation, usePaginatedQuery, useQuery } from "convex/react";
import { useState } from "react";
import { useParams } from "react-router";
import { api } from "../../../convex/_generated/api";
import type { Doc, Id } from "../../../convex/_generated/dataModel";
import { ConfirmButton } from "../../lib/components/ConfirmButton";
import { DateTime } from "../../lib/components/DateTime";
import { SessionAllowanceCell } from "../coaching/SessionAllowanceCell";
import { PageHeader } from "../../lib/components/PageHeader";
import { ErrorState, LoadingState } from "../../lib/components/states";
import { useViewer } from "../../lib/useViewer";
import { productKindLabel } from "./ProductsPage";
import { StudentActionForm } from "./StudentLookup";
import { PaginatedTable } from "../../lib/components/DataTable";
import { FormModal } from "../../lib/components/FormModal";
import { CatalogItemHeader, PRODUCTS_LIST } from "./catalogList";
import { studentColumn, studentName } from "./studentRows";

const PAGE_SIZE = 25;

/**
 * Staff product page (`/manage/products/:productId`): who has access to the product (active or
 * revoked, a page at a time). Holders of `enrollments.manage` grant access by student email and
 * revoke it. On a coaching product each row also shows the coaching sessions used of the access's
 * allowance, which they change there.
 */
export function ProductDetailPage() {
  const { productId } = useParams();
  const product = useQuery(api.catalog.getProduct, { productId: productId ?? "" });
  if (product === undefined) return <LoadingState label="Loading product…" />;
  if (product === null) {
    return (
      <>
        <PageHeader title="Product not found" breadcrumbs={[PRODUCTS_LIST]} />
        <ErrorState title="Not found" error={null} message="This product does not exist. It may have been removed." />
      </>
    );
  }
  return <ProductAccess product={product} />;
}

function ProductAccess({ product }: { product: Doc<"products"> }) {
  const viewer = useViewer();
  const canManage = viewer.can("enrollments.manage");
  const isCoaching = product.kind === "coaching";
  const [status, setStatus] = useState<"active" | "revoked">("active");
  const [granting, { open: openGrant, close: closeGrant }] = useDisclosure(false);
  const revoke = useMutation(api.enrollments.revokeProductAccess);
  const access = usePaginatedQuery(
    api.enrollments.listProductAccess,
    { productId: product._id, status },
    { initialNumItems: PAGE_SIZE },
  );

  return (
    <>
      <CatalogItemHeader
        item={product}
        list={PRODUCTS_LIST}
        badges={<Badge variant="outline">{productKindLabel(product.kind)}</Badge>}
        actions={
          canManage && product.status === "active" ? <Button onClick={openGrant}>Grant access</Button> : undefined
        }
      />
      <SegmentedControl
        aria-label="Access status"
        value={status}
        onChange={(value) => setStatus(value === "revoked" ? "revoked" : "active")}
        data={[
          { value: "active", label: "Active access" },
          { value: "revoked", label: "Revoked" },
        ]}
        mb="md"
      />
      <PaginatedTable
        rows={access}
        pageSize={PAGE_SIZE}
        label={`Access to ${product.title}`}
        columns={[
          studentColumn(),
          {
            header: status === "active" ? "Granted" : "Revoked",
            cell: (row) => (
              <DateTime value={status === "active" ? row.grantedAt : (row.revokedAt ?? row.grantedAt)} format="date" />
            ),
          },
          isCoaching && {
            header: "Coaching sessions",
            cell: (row) => (
              <SessionAllowanceCell
                accessId={row._id}
                studentName={studentName(row)}
                allowance={row.coachingSessionAllowance}
                used={row.coachingSessionsUsed}
                canManage={canManage && status === "active"}
              />
            ),
          },
          canManage &&
            status === "active" && {
              header: "Actions",
              actions: true,
              cell: (row) => {
                const name = studentName(row);
                return (
                  <ConfirmButton
                    size="xs"
                    variant="light"
                    color="red"
                    aria-label={`Revoke access of ${name}`}
                    title={`Revoke ${name}'s access?`}
                    message={`${name} will lose access to ${product.title} and everything it includes.`}
                    confirmLabel="Revoke"
                    successMessage="Access revoked."
                    onConfirm={() => revoke({ accessId: row._id })}
                  >
                    Revoke
                  </ConfirmButton>
                );
              },
            },
        ]}
        minWidth={560}
        loadingLabel="Loading access list…"
        empty={{
          title: status === "active" ? "No student has access yet" : "No revoked access",
          action: canManage && status === "active" && product.status === "active" ? <Button onClick={openGrant}>Grant access</Button> : undefined,
        }}
      />
      <FormModal opened={granting} onClose={closeGrant} title={`Grant access to ${product.title}`}>
        <GrantForm productId={product._id} productTitle={product.title} onDone={closeGrant} />
      </FormModal>
    </>
  );
}

function GrantForm({ productId, productTitle, onDone }: { productId: Id<"products">; productTitle: string; onDone: () => void }) {
  const grant = useMutation(api.enrollments.grantProductAccess);
  return (
    <StudentActionForm
      submitLabel="Grant access"
      onDone={onDone}
      onSubmit={async (student) => {
        await grant({ studentId: student._id, productId });
        return `${student.name} now has access to ${productTitle}.`;
      }}
    />
  );
}
