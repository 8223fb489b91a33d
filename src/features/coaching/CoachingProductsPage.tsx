import { Anchor, Badge, Button, Group, MultiSelect, NumberInput, Select, Stack, Switch, Text, Textarea, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useMutation, useQuery } from "convex/react";
import { useState } from "react";
import { Link } from "react-router";
import { z } from "zod";
import { api } from "../../../convex/_generated/api";
import type { Id } from "../../../convex/_generated/dataModel";
import { FormFooter } from "../../lib/components/FormFooter";
import { PageHeader } from "../../lib/components/PageHeader";
import { DataTable } from "../../lib/components/DataTable";
import { LoadingState } from "../../lib/components/states";
import { submitWith, zodValidate } from "../../lib/forms";
import { formatPrice, type CoachingProductView } from "./coachingText";
import { policySummary } from "./policyText";
import { ProductPolicyForm } from "./ProductPolicyForm";
import { TitleCell } from "../../lib/components/TitleCell";
import { FormModal } from "../../lib/components/FormModal";

/**
 * Admin "Coaching products" (`/manage/coaching-products`, permission `coaching.manage`, SPEC §6):
 * the bookable offers on top of catalog products of kind "coaching": title, duration, price, the
 * coaches who give them, active flag. Create and edit in a dialog validated like the server
 * (`coaching.createProduct` / `updateProduct`); students with access to the linked catalog product
 * can book an active one.
 */

const schema = z
  .object({
    productId: z.string().min(1, "Choose the catalog product."),
    title: z.string().trim().min(1, "Title is required.").max(120, "Title must be at most 120 characters."),
    description: z.string().trim().max(2000, "Description must be at most 2000 characters."),
    durationMinutes: z
      .number({ message: "Enter a duration." })
      .int("Use whole minutes.")
      .min(15, "At least 15 minutes.")
      .max(240, "At most 240 minutes.")
      .refine((minutes) => minutes % 5 === 0, "Use steps of 5 minutes."),
    price: z.number({ message: "Enter a price (0 for free)." }).min(0, "The price cannot be negative.").max(100_000, "At most 100,000."),
    coachIds: z.array(z.string()),
    active: z.boolean(),
  })
  .refine((values) => !values.active || values.coachIds.length > 0, {
    message: "An active coaching product needs at least one coach.",
    path: ["coachIds"],
  });

type FormValues = {
  productId: string;
  title: string;
  description: string;
  durationMinutes: number | string;
  price: number | string;
  coachIds: string[];
  active: boolean;
};

const SERVER_FIELDS = {
  productId: "productId",
  Title: "title",
  Description: "description",
  durationMinutes: "durationMinutes",
  priceCents: "price",
  coachIds: "coachIds",
};

export function CoachingProductsPage() {
  const products = useQuery(api.coaching.listProducts, {});
  const catalogProducts = useQuery(api.catalog.listProducts, { includeArchived: true });
  const [editing, setEditing] = useState<CoachingProductView | "new" | null>(null);
  const [editingPolicy, setEditingPolicy] = useState<CoachingProductView | null>(null);
  const catalogTitle = (productId: Id<"products">) => catalogProducts?.find((product) => product._id === productId)?.title ?? "Catalog product";

  return (
    <>
      <PageHeader
        title="Coaching products"
        description="1:1 coaching offers. Students with access to the linked catalog product can book an active one with its coaches."
        actions={<Button onClick={() => setEditing("new")}>New coaching product</Button>}
      />
      <DataTable
        rows={products}
        label="Coaching products"
        columns={[
          {
            header: "Title",
            cell: (product) => <TitleCell title={product.title} size="sm" detail={product.description} detailLines={2} />,
          },
          {
            header: "Catalog product",
            cell: (product) => (
              <Anchor component={Link} to={`/manage/products/${product.productId}`} size="sm">
                {catalogTitle(product.productId)}
              </Anchor>
            ),
          },
          {
            header: "Session",
            cell: (product) => (
              <>
                <Text size="sm">
                  {product.durationMinutes} min · {formatPrice(product.priceCents)}
                </Text>
                <Text size="xs" c="dimmed">
                  {policySummary(product.policy)}
                </Text>
              </>
            ),
          },
          {
            header: "Coaches",
            cell: (product) => (
              <Text size="sm">{product.coaches.length === 0 ? "None" : product.coaches.map((coach) => coach.name).join(", ")}</Text>
            ),
          },
          {
            header: "Status",
            cell: (product) => (
              <Badge variant="light" color={product.active ? "green" : "gray"}>
                {product.active ? "Active" : "Inactive"}
              </Badge>
            ),
          },
          {
            header: "Actions",
            actions: true,
            cell: (product) => (
              <Group gap="xs" wrap="nowrap">
                <Button size="xs" variant="default" onClick={() => setEditing(product)} aria-label={`Edit ${product.title}`}>
                  Edit
                </Button>
                <Button size="xs" variant="default" onClick={() => setEditingPolicy(product)} aria-label={`Booking policy of ${product.title}`}>
                  Policy
                </Button>
              </Group>
            ),
          },
        ]}
        minWidth={760}
        loadingLabel="Loading coaching products…"
        empty={{
          title: "No coaching products yet",
          description: "Create a catalog product of kind “Coaching” first, then a coaching product on top of it.",
          action: <Button onClick={() => setEditing("new")}>New coaching product</Button>,
        }}
      />
      <FormModal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === "new" ? "New coaching product" : "Edit coaching product"}
        size="lg"
      >
        <CoachingProductForm product={editing === "new" || editing === null ? undefined : editing} onDone={() => setEditing(null)} />
      </FormModal>
      <FormModal opened={editingPolicy !== null} onClose={() => setEditingPolicy(null)} title="Booking policy" size="lg">
        {editingPolicy !== null ? <ProductPolicyForm product={editingPolicy} onDone={() => setEditingPolicy(null)} /> : null}
      </FormModal>
    </>
  );
}

function CoachingProductForm({ product, onDone }: { product?: CoachingProductView; onDone: () => void }) {
  const catalogProducts = useQuery(api.catalog.listProducts, { includeArchived: true });
  const coaches = useQuery(api.users.listByRole, { role: "coach" });
  const createProduct = useMutation(api.coaching.createProduct);
  const updateProduct = useMutation(api.coaching.updateProduct);
  const form = useForm<FormValues>({
    initialValues: {
      productId: product?.productId ?? "",
      title: product?.title ?? "",
      description: product?.description ?? "",
      durationMinutes: product?.durationMinutes ?? 45,
      price: product === undefined ? 0 : product.priceCents / 100,
      coachIds: product?.coaches.map((coach) => coach._id) ?? [],
      active: product?.active ?? true,
    },
    validate: zodValidate(schema),
  });

  const catalogOptions = (catalogProducts ?? [])
    .filter((candidate) => candidate.kind === "coaching" && (candidate.status === "active" || candidate._id === product?.productId))
    .map((candidate) => ({ value: candidate._id, label: candidate.status === "active" ? candidate.title : `${candidate.title} (archived)` }));
  const coachOptions = [
    ...(coaches ?? []).map((coach) => ({ value: coach._id, label: coach.name })),
    // Coaches no longer listed (role removed) stay visible so saving does not silently drop them.
    ...(product?.coaches ?? [])
      .filter((coach) => !(coaches ?? []).some((candidate) => candidate._id === coach._id))
      .map((coach) => ({ value: coach._id, label: coach.name })),
  ];

  const submit = form.onSubmit(async (values) => {
    const clean = schema.parse(values);
    const input = {
      productId: clean.productId as Id<"products">,
      title: clean.title,
      description: clean.description,
      durationMinutes: clean.durationMinutes,
      priceCents: Math.round(clean.price * 100),
      coachIds: clean.coachIds as Id<"users">[],
      active: clean.active,
    };
    const saved = await submitWith(form, () => (product ? updateProduct({ coachingProductId: product._id, ...input }) : createProduct(input)), {
      fields: SERVER_FIELDS,
      success: product ? "Coaching product saved." : `Coaching product "${clean.title}" created.`,
    });
    if (saved) onDone();
  });

  if (catalogProducts === undefined || coaches === undefined) return <LoadingState label="Loading products and coaches…" />;

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Select
          label="Catalog product"
          description="Students with access to this product can book."
          placeholder={catalogOptions.length === 0 ? "No catalog product of kind Coaching" : "Choose a product"}
          data={catalogOptions}
          withAsterisk
          {...form.getInputProps("productId")}
          onChange={(value) => {
            form.setFieldValue("productId", value ?? "");
            const chosen = catalogProducts.find((candidate) => candidate._id === value);
            if (chosen && form.getValues().title.trim() === "") form.setFieldValue("title", chosen.title);
          }}
        />
        {catalogOptions.length === 0 ? (
          <Text size="sm" c="dimmed">
            Create a product of kind “Coaching” under <Anchor component={Link} to="/manage/products">Products</Anchor> first.
          </Text>
        ) : null}
        <TextInput label="Title" withAsterisk {...form.getInputProps("title")} />
        <Textarea label="Description" autosize minRows={2} {...form.getInputProps("description")} />
        <Group grow align="flex-start">
          <NumberInput label="Session length (minutes)" min={15} max={240} step={5} allowDecimal={false} withAsterisk {...form.getInputProps("durationMinutes")} />
          <NumberInput label="Price per session (USD)" min={0} decimalScale={2} fixedDecimalScale prefix="$" withAsterisk {...form.getInputProps("price")} />
        </Group>
        <MultiSelect
          label="Coaches"
          description={coachOptions.length === 0 ? "No user has the coach role yet." : "Users with the coach role who give this product."}
          placeholder="Choose coaches"
          data={coachOptions}
          searchable
          {...form.getInputProps("coachIds")}
        />
        <Switch label="Active (students can book it)" {...form.getInputProps("active", { type: "checkbox" })} />
        <FormFooter form={form} submitLabel={product ? "Save" : "Create coaching product"} onCancel={onDone} />
      </Stack>
    </form>
  );
}
