// Light and dark themes: follow the OS unless the user forces one.
export type ThemePref = "system" | "light" | "dark";

export function isThemePref(x: unknown): x is ThemePref {
  return x === "system" || x === "light" || x === "dark";
}

export function applyTheme(pref: ThemePref): void {
  const root = document.documentElement;
  if (pref === "system") delete root.dataset.theme;
  else root.dataset.theme = pref;
}
