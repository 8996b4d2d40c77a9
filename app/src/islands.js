// The islands' loader (see islands.rs). Nothing is fetched while the page
// paints: the bundle is requested once the page has loaded, its first paint
// is on screen and the browser is idle, or as soon as the citizen starts on
// a form, whichever comes first. Then every island on the page is
// hydrated, outer before inner, and marked `data-hydrated` (tests and
// styles may look for it).
((js, wasm) => {
  let started = false;
  // The `$$on_hydrate` callbacks of the `leptos-children` we are inside:
  // an inner island hydrates in the reactive context of its outer one.
  const contexts = [];

  async function island(el, mod) {
    const hydrateFn = mod[el.dataset.component];
    if (!hydrateFn) return;
    const context = contexts[contexts.length - 1];
    if (context) context();
    await hydrateFn(el);
    el.dataset.hydrated = "true";
  }

  async function walk(node, mod) {
    const tag = node.tagName.toLowerCase();
    if (tag === "leptos-island") await island(node, mod);
    const children = tag === "leptos-children";
    if (children) contexts.push(node.$$on_hydrate);
    for (const child of node.children) await walk(child, mod);
    if (children) contexts.pop();
  }

  function start() {
    if (started || !document.querySelector("leptos-island")) return;
    started = true;
    import(js).then((mod) =>
      mod.default({ module_or_path: wasm }).then(() => {
        mod.hydrate();
        return walk(document.body, mod);
      }),
    );
  }

  for (const type of ["focusin", "pointerdown"]) {
    addEventListener(type, start, { once: true, passive: true });
  }
  // Once the page has loaded and its first paint is on screen (`load` can
  // come before it): the paint entry is the browser's own word for that.
  const painted = new Promise((resolve) => {
    const observable = window.PerformanceObserver && (PerformanceObserver.supportedEntryTypes || []);
    if (!observable || !observable.includes("paint")) {
      return requestAnimationFrame(() => setTimeout(resolve, 0));
    }
    new PerformanceObserver((list, observer) => {
      if (list.getEntriesByName("first-contentful-paint").length) {
        observer.disconnect();
        resolve();
      }
    }).observe({ type: "paint", buffered: true });
  });
  const loaded = new Promise((resolve) =>
    document.readyState === "complete" ? resolve() : addEventListener("load", resolve, { once: true }),
  );
  Promise.all([painted, loaded]).then(() =>
    "requestIdleCallback" in window ? requestIdleCallback(start, { timeout: 2000 }) : start(),
  );
})
