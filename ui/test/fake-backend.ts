// A scripted stand-in for the Rust side: records every call, answers from
// handlers, and lets a test fire the events the backend would send.
import type { Backend, DropEvent, Overview } from "../src/api";

type Handler = (args: Record<string, unknown>) => unknown;

export class FakeBackend implements Backend {
  calls: { cmd: string; args: Record<string, unknown> }[] = [];
  handlers: Record<string, Handler> = {};
  listeners = new Map<string, Set<(p: unknown) => void>>();
  dropHandlers = new Set<(ev: DropEvent) => void>();
  nextPick: string[] | null = null;
  nextSave: string | null = null;

  constructor(handlers: Record<string, Handler> = {}) {
    this.handlers = { ...defaultHandlers(), ...handlers };
  }

  async invoke<T>(cmd: string, args: Record<string, unknown> = {}): Promise<T> {
    this.calls.push({ cmd, args });
    const handler = this.handlers[cmd];
    if (!handler) throw { code: "internal", message: `the fake backend has no command ${cmd}` };
    return (await handler(args)) as T;
  }

  async listen<T>(event: string, cb: (payload: T) => void): Promise<() => void> {
    const set = this.listeners.get(event) ?? new Set();
    set.add(cb as (p: unknown) => void);
    this.listeners.set(event, set);
    return () => set.delete(cb as (p: unknown) => void);
  }

  emit(event: string, payload: unknown): void {
    this.listeners.get(event)?.forEach((cb) => cb(payload));
  }

  async pickPaths(): Promise<string[] | null> {
    return this.nextPick;
  }

  async pickSavePath(): Promise<string | null> {
    return this.nextSave;
  }

  async onDrop(cb: (ev: DropEvent) => void): Promise<() => void> {
    this.dropHandlers.add(cb);
    return () => this.dropHandlers.delete(cb);
  }

  drop(ev: DropEvent): void {
    this.dropHandlers.forEach((cb) => cb(ev));
  }

  called(cmd: string) {
    return this.calls.filter((c) => c.cmd === cmd);
  }
}

export const EMPTY: Overview = { imports: 0, events: 0, campaigns: 0, recipients: 0, by_class: [] };

function defaultHandlers(): Record<string, Handler> {
  const settings = new Map<string, string>();
  return {
    overview: () => EMPTY,
    data_location: () => ({ db_path: "/home/ana/.local/share/app.rebound.desktop/rebound.sqlite", folder: "/home/ana/.local/share/app.rebound.desktop", size_bytes: null, app_version: "0.1.0" }),
    list_imports: () => [],
    import_problems: () => [],
    get_settings: (a) => Object.fromEntries((a.keys as string[]).map((k) => [k, settings.get(k) ?? null])),
    set_setting: (a) => {
      settings.set(a.key as string, a.value as string);
    },
    import_files: () => undefined,
    cancel_import: () => true,
    remove_import: () => true,
    backup_database: () => undefined,
  };
}

/** Lets pending promises and their DOM updates run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setTimeout(r, 0));
}

export const byTestId = (root: ParentNode, id: string) => root.querySelector<HTMLElement>(`[data-testid="${id}"]`);
