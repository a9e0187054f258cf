// Push buttons shared by the demos whose draws are random.
import { setTrait } from "./controls.js";

/** A "draw again" button: each click moves the integer trait `name` (a seed) on by one, so the
 *  demo redraws with fresh random values that a reader can still share ("draw 7"). */
export function drawAgain(parent, model, name = "seed", label = "draw again") {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "trainlab-button";
  button.textContent = label;
  button.addEventListener("click", () => setTrait(model, name, (model.get(name) + 1) % 1000000));
  parent.append(button);
  return button;
}
