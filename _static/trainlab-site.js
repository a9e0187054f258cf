// Site-wide reading aids (Jupyter Book loads every .js in _static/ on every page).
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

  let queued = false;
  function check() {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      document.querySelectorAll(BOXES).forEach(mark);
    });
  }

  function start() {
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
