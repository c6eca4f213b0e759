// A minimal W3C WebDriver client over fetch: enough to drive the app through
// tauri-driver without pulling a browser-automation framework into the repo.
import { setTimeout as sleep } from "node:timers/promises";

const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

export class WebDriver {
  constructor(base) {
    this.base = base;
    this.session = null;
  }

  async request(method, path, body) {
    const res = await fetch(this.base + path, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      throw new Error(`${method} ${path}: HTTP ${res.status}: ${text.slice(0, 300)}`);
    }
    if (!res.ok || (json.value && json.value.error)) {
      const v = json.value || {};
      const err = new Error(`${method} ${path}: ${v.error || res.status}: ${v.message || text.slice(0, 300)}`);
      err.webdriver = v.error;
      throw err;
    }
    return json.value;
  }

  /** Waits for the driver's HTTP port, then starts the app. */
  async start(application, { timeoutMs = 30_000 } = {}) {
    const until = Date.now() + timeoutMs;
    for (;;) {
      try {
        await fetch(this.base + "/status", { signal: AbortSignal.timeout(2000) });
        break;
      } catch (e) {
        if (Date.now() > until) throw new Error(`tauri-driver did not answer: ${e.message}`);
        await sleep(200);
      }
    }
    const value = await this.request("POST", "/session", {
      capabilities: { alwaysMatch: { browserName: "wry", "tauri:options": { application } } },
    });
    this.session = value.sessionId;
    return value;
  }

  s(path) {
    return `/session/${this.session}${path}`;
  }

  async find(css) {
    const v = await this.request("POST", this.s("/element"), { using: "css selector", value: css });
    return v[ELEMENT];
  }

  async findAll(css) {
    const v = await this.request("POST", this.s("/elements"), { using: "css selector", value: css });
    return v.map((e) => e[ELEMENT]);
  }

  /** Polls until `css` matches (the window loads its data asynchronously). */
  async waitFor(css, timeoutMs = 15_000) {
    const until = Date.now() + timeoutMs;
    for (;;) {
      try {
        return await this.find(css);
      } catch (e) {
        if (e.webdriver !== "no such element" || Date.now() > until) throw new Error(`waiting for ${css}: ${e.message}`);
        await sleep(150);
      }
    }
  }

  async text(el) {
    return this.request("GET", this.s(`/element/${el}/text`));
  }

  async click(el) {
    return this.request("POST", this.s(`/element/${el}/click`), {});
  }

  async execute(script, args = []) {
    return this.request("POST", this.s("/execute/sync"), { script, args });
  }

  async executeAsync(script, args = []) {
    return this.request("POST", this.s("/execute/async"), { script, args });
  }

  /** Presses keys as a person would (W3C actions): e.g. keys("\uE004") for Tab. */
  async keys(...keys) {
    const actions = keys.flatMap((value) => [{ type: "keyDown", value }, { type: "keyUp", value }]);
    await this.request("POST", this.s("/actions"), { actions: [{ type: "key", id: "keyboard", actions }] });
  }

  async quit() {
    if (!this.session) return;
    try {
      await this.request("DELETE", this.s(""));
    } finally {
      this.session = null;
    }
  }
}
