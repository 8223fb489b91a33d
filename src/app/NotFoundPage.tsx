import { Button, Text } from "@mantine/core";
import { Link } from "react-router";
import { PageHeader } from "../lib/components/PageHeader";

/**
 * Unknown URLs and pages the user's roles do not open (the same answer for both, so the navbar
 * never hints at pages someone cannot use).
 */
export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" />
      <Text mb="md">This page does not exist, or your account cannot open it.</Text>
      <Button component={Link} to="/" variant="light">
        Go to the start page
      </Button>
    </>
  );
}
