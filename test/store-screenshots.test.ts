import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The store listings' screenshots in docs/store, written by `npm run demo -- --headless` in each
 * browser: at the size both stores take, small enough to upload, and each one in the listing.
 */

const root = fileURLToPath(new URL("..", import.meta.url));
const dir = join(root, "docs/store");
const shots = readdirSync(dir)
  .filter((f) => f.endsWith(".png"))
  .sort();

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's IHDR chunk, which the format puts first, right after the signature. */
function pngSize(file: Buffer): { width: number; height: number } | undefined {
  if (!file.subarray(0, 8).equals(PNG_SIGNATURE)) return undefined;
  if (file.subarray(12, 16).toString("latin1") !== "IHDR") return undefined;
  return { width: file.readUInt32BE(16), height: file.readUInt32BE(20) };
}

describe("the store screenshots in docs/store", () => {
  it("are a few views for each store, named for the browser and the size", () => {
    const named = /^(chrome|firefox)-1280x800-\d-[a-z-]+\.png$/;
    expect(shots.filter((f) => !named.test(f))).toEqual([]);
    const chrome = shots.filter((f) => f.startsWith("chrome-"));
    const firefox = shots.filter((f) => f.startsWith("firefox-"));
    expect(chrome.length).toBeGreaterThanOrEqual(3);
    // The Chrome Web Store takes five at most.
    expect(chrome.length).toBeLessThanOrEqual(5);
    expect(firefox.map((f) => f.replace("firefox-", ""))).toEqual(
      chrome.map((f) => f.replace("chrome-", "")),
    );
  });

  it("are PNGs of 1280x800 pixels, each under 400 kB", () => {
    const wrong = shots.flatMap((name) => {
      const file = readFileSync(join(dir, name));
      const size = pngSize(file);
      if (size === undefined) return [`${name}: not a PNG`];
      if (size.width !== 1280 || size.height !== 800)
        return [`${name}: ${size.width}x${size.height}`];
      return file.length < 400 * 1024 ? [] : [`${name}: ${file.length} bytes`];
    });
    expect(wrong).toEqual([]);
  });

  it("are each shown in docs/store-listing.md", () => {
    const listing = readFileSync(join(root, "docs/store-listing.md"), "utf8");
    expect(shots.filter((name) => !listing.includes(`(store/${name})`))).toEqual([]);
  });

  it("reads the size from the IHDR, and refuses what is not a PNG", () => {
    const header = Buffer.alloc(24);
    PNG_SIGNATURE.copy(header);
    header.writeUInt32BE(13, 8);
    header.write("IHDR", 12, "latin1");
    header.writeUInt32BE(640, 16);
    header.writeUInt32BE(400, 20);
    expect(pngSize(header)).toEqual({ width: 640, height: 400 });
    expect(pngSize(Buffer.from("GIF89a not a png at all"))).toBeUndefined();
  });
});
