// Drive race.js's memoised computer through a reader's session and report, per event, which
// optimizers it recomputed (result objects that are new) against which it had to, and whether
// the memoised results equal a fresh computation.
import { raceComputer, computeRace } from "../../trainlab/js/race.js";

export function memoReport() {
  const base = { surface: "quadratic", enabled: ["sgd", "momentum", "rmsprop", "adam"], hyper: {},
    noise_std: 0, seed: 0, steps: 200 };
  const events = [
    ["first draw", {}, ["sgd", "momentum", "rmsprop", "adam"]],
    ["Adam's lr", { hyper: { adam: { learning_rate: 0.05 } } }, ["adam"]],
    ["momentum's rho", { hyper: { adam: { learning_rate: 0.05 }, momentum: { momentum: 0.5 } } }, ["momentum"]],
    ["Nesterov on", { enabled: ["sgd", "momentum", "nesterov", "rmsprop", "adam"] }, ["nesterov"]],
    ["noise", { noise_std: 0.5 }, ["sgd", "momentum", "nesterov", "rmsprop", "adam"]],
    ["seed", { seed: 3 }, ["sgd", "momentum", "nesterov", "rmsprop", "adam"]],
    ["SGD off", { enabled: ["momentum", "nesterov", "rmsprop", "adam"] }, []],
    ["steps", { steps: 150 }, ["momentum", "nesterov", "rmsprop", "adam"]],
    ["surface", { surface: "beale", hyper: {} }, ["momentum", "nesterov", "rmsprop", "adam"]],
    ["nothing", {}, []],
  ];
  const compute = raceComputer();
  let state = { ...base }, previous = new Map();
  const report = [];
  for (const [what, change, expected] of events) {
    state = { ...state, ...change };
    const r = compute(state);
    const recomputed = r.results.filter((res) => previous.get(res.name) !== res).map((res) => res.name);
    previous = new Map(r.results.map((res) => [res.name, res]));
    const fresh = computeRace(state);
    const strip = (x) => JSON.stringify(x.results) + x.readout;
    report.push({ what, recomputed, expected, equalsFresh: strip(r) === strip(fresh) });
  }
  return report;
}
