// Loaded by every page that shows widgets, after require.js and before the widget html-manager
// (order set by nb_ipywidgets_js in _config.yml). It makes widget code resolve to the site's own
// copies so a page needs no network: pages sit at different depths (index.html,
// book/01_sgd.html), so every URL is computed from this script's own URL, never the page's.
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || !window.requirejs) {
    throw new Error(
      "require-paths.js must be loaded by a <script> tag after require.js; " +
        "check nb_ipywidgets_js in _config.yml"
    );
  }
  // This file is vendor/require-paths.js; new URL drops Sphinx's ?v= cache-busting query.
  var vendor = new URL("./", me.src).href;
  var manager = vendor + "html-manager/";
  window.requirejs.config({
    paths: {
      // The html-manager asks require.js for "anywidget" before trying any CDN.
      anywidget: vendor + "anywidget/index",
      // embed-amd.js defines these modules itself, so require.js never fetches them; but each
      // finds its fonts (Font Awesome, copied beside embed-amd.js) relative to its module URL,
      // which would otherwise resolve against the page (book/@jupyter-widgets/...: a 404).
      "@jupyter-widgets/base": manager + "base",
      "@jupyter-widgets/base7": manager + "base7",
      "@jupyter-widgets/controls": manager + "controls",
      "@jupyter-widgets/controls7": manager + "controls7",
      "@jupyter-widgets/html-manager": manager + "html-manager",
      "@jupyter-widgets/html-manager/dist": manager.slice(0, -1),
    },
  });
  // Without this attribute the html-manager falls back to cdn.jsdelivr.net for any module that
  // require.js cannot find. Pointing the fallback at a folder the site does not have turns a
  // missing module into a local 404 (caught by tests/test_site_browser.py), never a CDN fetch.
  me.setAttribute("data-jupyter-widgets-cdn", vendor + "no-cdn/");
})();
