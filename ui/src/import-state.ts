// The one import that may run, shared by every screen: the dashboard starts it,
// the import screen shows it, and it keeps running while the user looks elsewhere.
import * as api from "./api";
import type { ApiError, ImportFinished, Progress } from "./api";

export interface ImportState {
  running: boolean;
  cancelling: boolean;
  progress: Progress | null;
  /** events per second over the current file, from the library's own clock */
  rate: number | null;
  last: ImportFinished | null;
  error: ApiError | null;
}

type Listener = (s: ImportState) => void;

export class ImportController {
  state: ImportState = { running: false, cancelling: false, progress: null, rate: null, last: null, error: null };
  private listeners = new Set<Listener>();
  private unlisten: (() => void)[] = [];

  /** Subscribes to the backend's events; call once at start-up. */
  async attach(): Promise<void> {
    this.reset();
    this.unlisten.push(await api.onImportProgress((p) => this.onProgress(p)));
    this.unlisten.push(await api.onImportFinished((f) => this.onFinished(f)));
  }

  /** Forgets listeners and state (a new window, or the next test). */
  reset(): void {
    this.unlisten.forEach((u) => u());
    this.unlisten = [];
    this.listeners.clear();
    this.state = { running: false, cancelling: false, progress: null, rate: null, last: null, error: null };
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  async start(paths: string[]): Promise<void> {
    if (paths.length === 0 || this.state.running) return;
    this.set({ running: true, cancelling: false, progress: null, rate: null, error: null });
    try {
      await api.importFiles(paths);
    } catch (e) {
      this.set({ running: false, error: e as ApiError });
    }
  }

  async cancel(): Promise<void> {
    if (!this.state.running) return;
    this.set({ cancelling: true });
    try {
      await api.cancelImport();
    } catch (e) {
      this.set({ error: e as ApiError });
    }
  }

  private onProgress(p: Progress): void {
    const rate = p.elapsed_ms > 0 ? (p.events * 1000) / p.elapsed_ms : null;
    this.set({ running: true, progress: p, rate });
  }

  private onFinished(f: ImportFinished): void {
    this.set({ running: false, cancelling: false, last: f, error: f.error });
  }

  private set(patch: Partial<ImportState>): void {
    this.state = { ...this.state, ...patch };
    this.listeners.forEach((l) => l(this.state));
  }
}

export const imports = new ImportController();
