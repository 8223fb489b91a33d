import { Button, type ButtonProps } from "@mantine/core";
import type { ReactNode } from "react";
import { useAuthControls } from "./authControls";

export type SignOutButtonProps = Omit<ButtonProps, "children"> & {
  /** Overrides the default label ("Sign out" with Clerk, "Switch persona" with the demo sign-in). */
  children?: ReactNode;
};

/**
 * A button that signs the user out with Clerk, or returns to the persona picker with the local demo
 * sign-in. Renders nothing outside {@link AppProviders}.
 */
export function SignOutButton({ children, ...buttonProps }: SignOutButtonProps) {
  const controls = useAuthControls();
  if (controls === null) return null;
  return (
    <Button variant="default" {...buttonProps} onClick={() => void controls.signOut()}>
      {children ?? controls.signOutLabel}
    </Button>
  );
}
