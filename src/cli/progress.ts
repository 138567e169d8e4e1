/**
 * A progress bar on stderr for a long read: only on a terminal, and only once the read has taken
 * a second (a small file prints nothing). Redrawn at most ten times a second; erased at the end.
 */
export class Progress {
  readonly #stream: NodeJS.WriteStream;
  readonly #total: number | undefined;
  readonly #begin = Date.now();
  #drawn = 0;
  #shown = false;

  constructor(stream: NodeJS.WriteStream, total: number | undefined) {
    this.#stream = stream;
    this.#total = total !== undefined && total > 0 ? total : undefined;
  }

  update(bytes: number): void {
    if (this.#stream.isTTY !== true) return;
    const now = Date.now();
    if (now - this.#begin < 1000 || now - this.#drawn < 100) return;
    this.#drawn = now;
    this.#shown = true;
    const mb = (n: number) => (n / 1024 / 1024).toFixed(0);
    const width = Math.max(10, Math.min(40, (this.#stream.columns ?? 80) - 40));
    let line: string;
    if (this.#total === undefined) {
      line = `ratelens: read ${mb(bytes)} MB`;
    } else {
      const share = Math.min(1, bytes / this.#total);
      const filled = Math.round(share * width);
      line = `ratelens: [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${Math.floor(share * 100)}% ${mb(bytes)}/${mb(this.#total)} MB`;
    }
    this.#stream.write(`\r${line}\u001b[K`);
  }

  done(): void {
    if (this.#shown) this.#stream.write("\r\u001b[K");
    this.#shown = false;
  }
}
