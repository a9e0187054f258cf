// A labelled <select> for a demo's choices (choices are menus, not sliders), in the shape of
// controls.js's slider/toggle: {input, wrap, set(value)}, `set` not firing onInput. Kept apart
// until controls.js has one; the chapter 5 demos use it.

/** A menu of `options` = [[value, shown text], ...]; onInput(value) on change. */
export function menu(parent, { name, label, options, value, onInput }) {
  const wrap = document.createElement("label");
  wrap.className = "trainlab-control";
  const text = document.createElement("span");
  text.className = "trainlab-label";
  text.textContent = label;
  const select = document.createElement("select");
  select.name = name;
  for (const [v, shown] of options) {
    const o = document.createElement("option");
    o.value = v;
    o.textContent = shown;
    select.append(o);
  }
  select.value = value;
  select.addEventListener("change", () => onInput(select.value));
  wrap.append(text, select);
  parent.append(wrap);
  return { input: select, wrap, set: (v) => { if (select.value !== v) select.value = v; } };
}
