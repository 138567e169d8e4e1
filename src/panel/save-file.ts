/** Offers text as a download from the panel page: a Blob behind a temporary link. */
export function saveFile(filename: string, mimeType: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.style.display = "none";
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own reference by now; give it a moment before letting go.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
