// Search result snippets that read as prose. Sphinx builds each snippet from the text of the
// matching page, which here includes raw TeX (MathJax typesets it only when the page is shown)
// and the code of cells whose input is hidden. This replaces Sphinx's htmlToText (searchtools.js)
// with one that drops code cells, their outputs and display maths, and writes inline maths as
// plain symbols ("\(\alpha\)" -> "α"). Loaded on search.html only (site_assets/sphinx_ext/search_prose.py).
"use strict";
(function () {
  const GREEK = {
    alpha: "α", beta: "β", gamma: "γ", delta: "δ", epsilon: "ε", varepsilon: "ε", eta: "η",
    theta: "θ", lambda: "λ", mu: "μ", rho: "ρ", sigma: "σ", tau: "τ", phi: "φ", nabla: "∇",
    Delta: "Δ", Sigma: "Σ", sqrt: "√", cdot: "·", times: "×", approx: "≈", le: "≤", leq: "≤",
    ge: "≥", geq: "≥", to: "→", infty: "∞", ell: "ℓ", odot: "⊙", sum: "Σ", partial: "∂",
  };
  const DROP = [".headerlink", "script", "style", "div.cell", "div.math", "mjx-container",
                ".MathJax", ".jupyter-widgets", ".trainlab-demo"];

  const NAMES = new Set(["max", "min", "log", "exp", "sin", "cos", "arg", "sign", "det", "tr"]);

  function plainMath(tex) {
    let text = tex.replace(/^\\\(|\\\)$/g, "");
    // Innermost groups first, until nothing changes: \frac{1}{\sqrt{n}} -> 1/√n.
    for (let before = ""; before !== text; ) {
      before = text;
      text = text
        .replace(/\\sqrt\{([^{}]*)\}/g, "√$1")
        .replace(/\\frac\{([^{}]*)\}\{([^{}]*)\}/g, "$1/$2")
        .replace(/\\(mathrm|mathbf|text|operatorname|boldsymbol|hat|tilde|bar)\{([^{}]*)\}/g, "$2");
    }
    return text
      .replace(/\\([A-Za-z]+)/g, (m, name) =>
        name in GREEK ? GREEK[name] : NAMES.has(name) ? name : "")
      .replace(/[{}]/g, "")
      .replace(/\\[,;:! ]/g, " ")
      .replace(/\s+/g, " ")
      .trim();
  }

  function proseText(htmlString, anchor) {
    const doc = new DOMParser().parseFromString(htmlString, "text/html");
    for (const query of DROP) doc.querySelectorAll(query).forEach((el) => el.remove());
    doc.querySelectorAll("span.math").forEach((el) => {
      el.replaceWith(doc.createTextNode(plainMath(el.textContent)));
    });
    // The article only: the theme's main element also holds the header's buttons and the
    // page's contents list, whose words would otherwise make the snippet.
    const main = doc.querySelector('[role="main"]');
    const article = (main && main.querySelector("article")) || main;
    const anchored = anchor && article && article.querySelector(anchor);
    const block = anchored || article;
    return block ? block.textContent.replace(/\s+/g, " ") : "";
  }

  function install() {
    // searchtools.js declares `const Search`: a global binding, not a property of window.
    if (typeof Search !== "undefined") Search.htmlToText = proseText;
  }
  install();
  document.addEventListener("DOMContentLoaded", install);
  window.trainlabSearchProse = { proseText, plainMath };
})();
