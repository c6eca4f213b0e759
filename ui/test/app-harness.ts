// Starting the real App on a FakeBackend, shared by the screen tests: a clean document,
// the app started (optionally on one screen) and drawn, clicks by test id.
import * as api from "../src/api";
import { App } from "../src/app";
import { setLang } from "../src/i18n";
import { byTestId, type FakeBackend, settle } from "./fake-backend";

type ScreenName = Parameters<App["go"]>[0];

/** An empty document with one root element, in English, with the hostile-payload marker cleared. */
export function freshRoot(): HTMLElement {
  document.body.replaceChildren();
  const root = document.createElement("div");
  document.body.appendChild(root);
  setLang("en");
  (window as unknown as { __pwned?: number }).__pwned = undefined;
  return root;
}

/** Starts the app on `fake`, opens `screen` when given, and waits until it has drawn. */
export async function startOn(root: HTMLElement, fake: FakeBackend, screen?: ScreenName, rounds = 5): Promise<App> {
  api.setBackend(fake);
  const app = new App(root);
  await app.start();
  if (screen) app.go(screen);
  await app.screen?.ready;
  await settle(rounds);
  return app;
}

export async function show(app: App, screen: ScreenName): Promise<void> {
  app.go(screen);
  await app.screen?.ready;
  await settle();
}

/** Clicks the element with this test id anywhere in the document; throws when there is none. */
export async function clickTestId(id: string, rounds = 10): Promise<void> {
  const el = byTestId(document.body, id);
  if (!el) throw new Error(`no ${id}`);
  el.click();
  await settle(rounds);
}
