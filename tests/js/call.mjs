// Node side of the JS tests: reads a JSON list of calls from stdin, runs each against the real
// ES modules in trainlab/js/ (or any module path given absolute), prints a JSON list of results.
//   request: [{"module": "optim.js", "fn": "run", "args": [...]}, ...]
//   "fn" may be a dotted path into the module's exports, e.g. "SURFACES.saddle.grad".
// A call that throws gives {"__error__": message}. Non-finite numbers are returned as strings ("NaN", "Infinity") since JSON has no such values.
import { readFileSync } from "node:fs";
import { pathToFileURL, fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const jsDir = path.resolve(here, "../../trainlab/js");

const requests = JSON.parse(readFileSync(0, "utf8"));
const modules = new Map();
const results = [];
for (const { module, fn, args = [] } of requests) {
  const file = path.isAbsolute(module) ? module : path.join(jsDir, module);
  if (!modules.has(file)) modules.set(file, await import(pathToFileURL(file).href));
  let target = modules.get(file);
  for (const part of fn.split(".")) {
    if (target == null || !(part in Object(target))) {
      throw new Error(`${module} has no export path ${fn} (failed at "${part}")`);
    }
    target = target[part];
  }
  try {
    results.push(await (typeof target === "function" ? target(...args) : target));
  } catch (err) {
    // Reported to Python (node_bridge raises JSError) so tests can assert on error messages.
    results.push({ __error__: `${err.name}: ${err.message}` });
  }
}
process.stdout.write(
  JSON.stringify(results, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v)),
);
