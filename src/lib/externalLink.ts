/**
 * Props of a link that opens another site (a meeting, Discord, a recording) in a new tab: the tab
 * cannot reach back into this app (`noopener noreferrer`), and its spoken name says it opens a new
 * tab, so screen-reader users are not surprised by the context change.
 * @param label the link's spoken name, starting with its visible text (e.g. "Join Career kick-off").
 * @example <Button component="a" href={url} {...newTabLinkProps(`Join ${title}`)}>Join</Button>
 */
export function newTabLinkProps(label: string): { target: "_blank"; rel: string; "aria-label": string } {
  return { target: "_blank", rel: "noopener noreferrer", "aria-label": `${label} (opens in a new tab)` };
}
