import { Badge } from "@mantine/core";
import { useMutation, useQuery } from "convex/react";
import { api } from "../../../convex/_generated/api";
import type { Doc } from "../../../convex/_generated/dataModel";
import { PRODUCT_KIND_OPTIONS, ProductFormModal } from "./CatalogForms";
import { DataTable } from "../../lib/components/DataTable";
import { TitleCell } from "../../lib/components/TitleCell";
import { ArchivableListHeader, archivableColumns, useCatalogList } from "./catalogList";

/** Label of a product kind ("job_readiness" → "Job readiness"). */
export function productKindLabel(kind: Doc<"products">["kind"]): string {
  return PRODUCT_KIND_OPTIONS.find((option) => option.value === kind)?.label ?? kind;
}

/**
 * Staff "Products": what students can be given access to (job-readiness programmes, coaching,
 * other). Each links to its access list. Admins create, edit, archive and restore products.
 */
export function ProductsPage() {
  const list = useCatalogList<Doc<"products">>();
  const { canManage, creating, closeCreate, editing, setEditing } = list;
  const products = useQuery(api.catalog.listProducts, { includeArchived: list.showArchived });
  const updateProduct = useMutation(api.catalog.updateProduct);

  return (
    <>
      <ArchivableListHeader title="Products" description="Programmes and services students get access to." newLabel="New product" rows="products" list={list} />
      <DataTable
        rows={products}
        label="Products"
        columns={[
          {
            header: "Title",
            cell: (product) => (
              <TitleCell title={product.title} to={`/manage/products/${product._id}`} detail={product.description} detailLines={1} />
            ),
          },
          { header: "Kind", cell: (product) => <Badge variant="outline">{productKindLabel(product.kind)}</Badge> },
          ...archivableColumns<Doc<"products">>({
            canManage,
            name: (product) => product.title,
            noun: "Product",
            archiveMessage: "Archived products cannot be granted any more. Existing access stays until revoked.",
            onEdit: setEditing,
            setStatus: (product, status) => updateProduct({ productId: product._id, status }),
          }),
        ]}
        minWidth={560}
        highlightOnHover
        loadingLabel="Loading products…"
        empty={{ title: "No products yet", action: list.newButton("New product") }}
      />
      <ProductFormModal opened={creating} onClose={closeCreate} />
      <ProductFormModal opened={editing !== null} onClose={() => setEditing(null)} product={editing ?? undefined} />
    </>
  );
}
