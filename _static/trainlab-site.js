// Site-wide reading aids (Jupyter Book loads every .js in _static/ on every page).
//
// Navigation: see wireToggles below.
//
// Names that match what is on screen (WCAG 2.5.3, "label in name"): the theme and myst-nb give
// some controls an aria-label that differs from their visible text ("Toggle hidden content" on
// "Show code cell source", "Search" on "Search Ctrl+K"), so a speech-input user saying what they
// see cannot operate them. Such labels are dropped (the visible text names the control), and
// icons inside a labelled button are hidden from assistive technology (an icon's own title,
// e.g. "Light" in the colour-mode button, would otherwise count as its visible text).
//
// A display formula or table wider than the column scrolls inside its own box (CSS); here each
// such box that actually overflows gets a caption saying so, is made reachable from the keyboard
// (a scrollable region must be focusable to be scrolled without a mouse) and is named for screen
// readers. Re-checked when MathJax has typeset and whenever the column changes width.
(() => {
  const BOXES = 'mjx-container[display="true"], .bd-article .table-wrapper';

  function mark(box) {
    const overflows = box.scrollWidth > box.clientWidth + 1;
    const hint = box.nextElementSibling && box.nextElementSibling.classList.contains("trainlab-scroll-hint")
      ? box.nextElementSibling : null;
    if (overflows && !box.hasAttribute("data-trainlab-scrolls")) {
      box.setAttribute("data-trainlab-scrolls", "");
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", box.matches("mjx-container") ? "Formula (scrolls sideways)" : "Table (scrolls sideways)");
      if (!hint) {
        const p = document.createElement("p");
        p.className = "trainlab-scroll-hint";
        p.setAttribute("aria-hidden", "true");
        p.textContent = "scroll sideways for the rest ⇢";
        box.after(p);
      }
    } else if (!overflows && box.hasAttribute("data-trainlab-scrolls")) {
      for (const a of ["data-trainlab-scrolls", "tabindex", "role", "aria-label"]) box.removeAttribute(a);
      if (hint) hint.remove();
    }
  }

  function fixLabels(scope) {
    for (const el of scope.querySelectorAll("[aria-label]")) {
      if (el.closest(".trainlab-demo, mjx-container")) continue;
      for (const icon of el.querySelectorAll("svg, i")) {
        icon.setAttribute("aria-hidden", "true");
        icon.removeAttribute("aria-labelledby");
        icon.removeAttribute("title");
        for (const t of icon.querySelectorAll("title")) t.remove();
      }
      const visible = (el.innerText || "").replace(/\s+/g, " ").trim().toLowerCase();
      const label = el.getAttribute("aria-label").toLowerCase();
      if (visible && !label.includes(visible)) el.removeAttribute("aria-label");
    }
  }

  let queued = false;
  function check() {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      document.querySelectorAll(BOXES).forEach(mark);
    });
  }

  // sphinx-book-theme shows its own menu and contents buttons in the article header, but the
  // themes attach their handlers to the first button of each kind only, which is pydata's, in
  // the header we hide: the visible ones opened nothing. Each further button acts as the first.
  function wireToggles() {
    for (const kind of ["primary", "secondary"]) {
      const [handled, ...others] = document.querySelectorAll(`.${kind}-toggle`);
      for (const b of others) {
        b.addEventListener("click", (e) => {
          e.preventDefault();
          e.stopImmediatePropagation();
          handled.click();
        });
      }
    }
  }

  function start() {
    wireToggles();
    fixLabels(document);
    // The icon script replaces <i> icons with <svg> after load: hide those too.
    let labelsQueued = false;
    const icons = new MutationObserver(() => {
      if (labelsQueued) return;
      labelsQueued = true;
      requestAnimationFrame(() => { labelsQueued = false; fixLabels(document); });
    });
    // Only where the theme's icons are (not the article, where demos redraw all the time).
    for (const el of document.querySelectorAll(".bd-header, .bd-header-article, .bd-sidebar-primary, .bd-sidebar-secondary")) {
      icons.observe(el, { childList: true, subtree: true });
    }
    check();
    const article = document.querySelector(".bd-article") || document.body;
    new ResizeObserver(check).observe(article);
    const mj = window.MathJax;
    if (mj && mj.startup && mj.startup.promise) mj.startup.promise.then(check);
    // MathJax may load after this script: watch for its output too.
    new MutationObserver((records) => {
      if (records.some((r) => [...r.addedNodes].some((n) => n.nodeName === "MJX-CONTAINER"))) check();
    }).observe(article, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
