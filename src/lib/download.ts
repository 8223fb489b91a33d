/**
 * Saves `content` as a file named `fileName` through the browser's download flow: a hidden link to
 * an object URL of the text (a data URL where object URLs are missing), clicked once and removed.
 * The object URL is revoked 30 seconds later: revoking right after the click cancels the download
 * in some browsers.
 *
 * @param type the file's MIME type with its charset, e.g. "text/csv;charset=utf-8".
 */
export function saveTextFile(fileName: string, content: string, type: string): void {
  const link = document.createElement("a");
  link.download = fileName;
  link.rel = "noopener";
  link.style.display = "none";
  let objectUrl: string | null = null;
  if (typeof URL.createObjectURL === "function") {
    objectUrl = URL.createObjectURL(new Blob([content], { type }));
    link.href = objectUrl;
  } else {
    link.href = `data:${type},${encodeURIComponent(content)}`;
  }
  document.body.appendChild(link);
  link.click();
  link.remove();
  if (objectUrl !== null) {
    const url = objectUrl;
    setTimeout(() => {
      if (typeof URL.revokeObjectURL === "function") URL.revokeObjectURL(url);
    }, 30_000);
  }
}
