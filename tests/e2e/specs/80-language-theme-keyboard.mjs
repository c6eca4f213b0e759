// Languages, the forced dark theme and keyboard use, on whatever data the earlier specs left.
export default async function ({ wd, $, check, assert, shot, waitForText, go, chooseLanguage }) {
  await check("Spanish and Vietnamese labels", async () => {
    await chooseLanguage("es");
    await waitForText($("nav-dashboard"), "Panel");
    await waitForText($("nav-settings"), "Ajustes");
    await shot("04-settings-es");
    await chooseLanguage("vi");
    await waitForText($("nav-dashboard"), "Tổng quan");
    await go("dashboard");
    await shot("05-dashboard-vi");
    await chooseLanguage("en");
    await waitForText($("nav-dashboard"), "Dashboard");
  });

  await check("dark theme can be forced", async () => {
    await go("settings");
    await wd.click(await wd.waitFor($("settings-theme-dark")));
    const theme = await wd.execute("return document.documentElement.dataset.theme");
    assert(theme === "dark", `data-theme is ${theme}`);
    const bg = await wd.execute("return getComputedStyle(document.body).backgroundColor");
    const rgb = (bg.match(/\d+/g) || []).slice(0, 3).map(Number);
    assert(rgb.length === 3 && rgb.every((c) => c < 60), `background is not dark: ${bg}`);
    await go("dashboard");
    await shot("06-dashboard-dark");
    await go("help");
    await shot("07-help-dark");
    await go("settings");
    await wd.click(await wd.waitFor($("settings-theme-system")));
  });

  await check("keyboard: Tab moves a visible focus, Enter opens a screen", async () => {
    await go("dashboard");
    await wd.execute("document.activeElement && document.activeElement.blur()");
    const TAB = "\uE004";
    const ENTER = "\uE007";
    await wd.keys(TAB, TAB);
    const [id, ring] = await wd.execute(
      "const a = document.activeElement; return [a && a.dataset.testid, a ? getComputedStyle(a).boxShadow : 'none'];",
    );
    assert(id === "nav-import", `second Tab focused ${id}`);
    assert(ring && ring !== "none", `no visible focus ring on ${id}: ${ring}`);
    await wd.keys(ENTER);
    await wd.waitFor($("screen-import"));
    await shot("08-keyboard-focus");
  });
}
