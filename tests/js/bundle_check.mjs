// Import a bundled widget module (a file written from a widget's _esm) the way the browser
// would, with no DOM: importing must not touch the DOM, and it must export render().
import { pathToFileURL } from "node:url";

export async function check(file) {
  const mod = await import(pathToFileURL(file).href);
  return {
    exports: Object.keys(mod).sort(),
    renderIsFunction: typeof mod.default?.render === "function",
  };
}
