import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { Settings } from "../settings/settings.js";
import { errorMessage } from "../ui/error-message.js";
import type { OptionsPorts } from "./ports.js";

export type SaveStatus =
  | { kind: "idle" }
  | { kind: "saving" }
  | { kind: "saved" }
  | { kind: "failed"; message: string };

/**
 * Applies a change to the latest settings and saves them; resolves to whether the save worked.
 * A function of the settings, not a value: a change that waited on a permission prompt must not
 * undo one made meanwhile.
 */
export type UpdateSettings = (change: (settings: Settings) => Settings) => Promise<boolean>;

export interface SettingsModel {
  settings: Settings | undefined;
  loadError: string | undefined;
  status: SaveStatus;
  update: UpdateSettings;
}

/** The settings as loaded, each change shown at once and saved in order. */
export function useSettings(ports: OptionsPorts): SettingsModel {
  const [settings, setSettings] = useState<Settings | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | undefined>(undefined);
  const [status, setStatus] = useState<SaveStatus>({ kind: "idle" });
  const current = useRef<Settings | undefined>(undefined);
  const stored = useRef<Settings | undefined>(undefined);
  const queue = useRef<Promise<void>>(Promise.resolve());
  const latest = useRef(0);

  useEffect(() => {
    let live = true;
    ports.load().then(
      (loaded) => {
        if (!live) return;
        current.current = loaded;
        stored.current = loaded;
        setSettings(loaded);
      },
      (error: unknown) => {
        if (live) setLoadError(errorMessage(error));
      },
    );
    return () => {
      live = false;
    };
  }, [ports]);

  const update = useCallback<UpdateSettings>(
    (change) => {
      const base = current.current;
      if (base === undefined) return Promise.resolve(false);
      const next = change(base);
      current.current = next;
      setSettings(next);
      setStatus({ kind: "saving" });
      const id = ++latest.current;
      // One save after another: storage ends with the last change whatever each save takes.
      const run = queue.current.then(() => ports.save(next));
      queue.current = run.then(
        () => undefined,
        () => undefined,
      );
      return run.then(
        () => {
          stored.current = next;
          if (id === latest.current) setStatus({ kind: "saved" });
          return true;
        },
        (error: unknown) => {
          // What is shown goes back to what is stored, unless a later change is on its way.
          if (id === latest.current) {
            current.current = stored.current;
            setSettings(stored.current);
          }
          setStatus({ kind: "failed", message: errorMessage(error) });
          return false;
        },
      );
    },
    [ports],
  );

  return { settings, loadError, status, update };
}
