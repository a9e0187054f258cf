// Opens an assignment (open.html?assignment=ps2) in this JupyterLite.
//
// JupyterLite keeps a student's saved notebook in the browser (IndexedDB), and a saved copy
// hides the released file of the same path. Each released notebook records its release in its
// metadata (trainlab.release) and releases.json lists the current ones (both written by
// site_assets/lite/build.py). When the saved copy comes from an older release, the student is
// told and chooses: keep working on it, or open the new release, which first moves their copy
// beside it under a new name (the same move JupyterLite's own rename makes), so nothing is lost.
"use strict";

const FILES = "files"; // JupyterLite's object stores (localforage instances in one database)
const CHECKPOINTS = "checkpoints";

const $ = (id) => document.getElementById(id);

function say(title, html) {
  $("title").textContent = title;
  $("message").innerHTML = html;
}

function escapeHtml(text) {
  const el = document.createElement("span");
  el.textContent = text;
  return el.innerHTML;
}

async function fetchJson(url) {
  const response = await fetch(url, { cache: "no-cache" });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

// The storage database, or null if this browser never saved anything here. Opening a database
// that does not exist would create an empty one, so that case is aborted in onupgradeneeded.
function openStorage(name) {
  return new Promise((resolve, reject) => {
    let created = false;
    const req = indexedDB.open(name);
    req.onupgradeneeded = () => {
      created = true;
      req.transaction.abort();
    };
    req.onsuccess = () => {
      const db = req.result;
      if (db.objectStoreNames.contains(FILES)) resolve(db);
      else {
        db.close();
        resolve(null);
      }
    };
    req.onerror = (event) => {
      if (created) {
        event.preventDefault();
        resolve(null);
      } else reject(req.error);
    };
  });
}

async function savedCopy(db, path) {
  if (!db) return null;
  const store = db.transaction(FILES, "readonly").objectStore(FILES);
  return (await request(store.get(path))) || null;
}

function releaseOf(model) {
  const meta = model && model.content && model.content.metadata;
  return (meta && meta.trainlab && meta.trainlab.release) || null;
}

// A free name beside `path` for the student's copy: ps2/ps2-my-work-2026-12-03.ipynb.
async function keptName(db, path, model) {
  const day = (model.last_modified || new Date().toISOString()).slice(0, 10);
  const stem = path.replace(/\.ipynb$/, `-my-work-${day}`);
  for (let n = 1; ; n++) {
    const candidate = `${stem}${n > 1 ? `-${n}` : ""}.ipynb`;
    // One transaction per look-up: a transaction ends once it has nothing left to do.
    const store = db.transaction(FILES, "readonly").objectStore(FILES);
    if ((await request(store.getKey(candidate))) === undefined) return candidate;
  }
}

async function moveAside(db, path, model) {
  const newPath = await keptName(db, path, model);
  const stores = db.objectStoreNames.contains(CHECKPOINTS) ? [FILES, CHECKPOINTS] : [FILES];
  const tx = db.transaction(stores, "readwrite");
  const name = newPath.split("/").pop();
  tx.objectStore(FILES).put({ ...model, name, path: newPath }, newPath);
  tx.objectStore(FILES).delete(path);
  if (stores.length > 1) tx.objectStore(CHECKPOINTS).delete(path);
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
  return newPath;
}

function notebookUrl(path) {
  return `notebooks/index.html?path=${encodeURIComponent(path)}`;
}

async function main() {
  const name = new URLSearchParams(location.search).get("assignment") || "";
  if (location.protocol === "file:") {
    say("The notebooks need the site served over http",
      "<p>Python in the browser cannot start from a page opened as a file. In the book's " +
      "folder run <code>make serve</code> and open the address it prints (for example " +
      "<code>http://localhost:8000/</code>), then follow the assignment's link again.</p>");
    return;
  }
  const releases = await fetchJson("releases.json");
  const entry = releases[name];
  if (!entry) {
    const known = Object.keys(releases).sort().join(", ");
    say("No such assignment",
      `<p>There is no assignment <code>${escapeHtml(name)}</code> to run in the browser here. ` +
      `Those that run in the browser: ${escapeHtml(known)}.</p>`);
    return;
  }
  const config = (await fetchJson("jupyter-lite.json"))["jupyter-config-data"];
  const db = await openStorage(config.contentsStorageName);
  const saved = await savedCopy(db, entry.path);
  if (!saved || releaseOf(saved) === entry.release) {
    location.replace(notebookUrl(entry.path));
    return;
  }
  const when = saved.last_modified ? new Date(saved.last_modified).toLocaleString() : "earlier";
  const kept = await keptName(db, entry.path, saved);
  say(`${name} has been updated`,
    `<p>The notebook <code>${escapeHtml(entry.path)}</code> was released again since you ` +
    `started it. Your copy in this browser (last saved ${escapeHtml(when)}) comes from the ` +
    `earlier release.</p><p><strong>Open the new release</strong> keeps your copy beside it as ` +
    `<code>${escapeHtml(kept)}</code>, so you can carry your answers across; or keep working ` +
    `on your copy as it is.</p>`);
  $("choices").hidden = false;
  $("open-new").focus();
  $("open-new").addEventListener("click", async () => {
    const moved = await moveAside(db, entry.path, saved);
    db.close();
    say(`Opening the new release of ${name}`, `<p>Your copy is now <code>${escapeHtml(moved)}` +
      "</code>.</p>");
    location.assign(notebookUrl(entry.path));
  });
  $("open-mine").addEventListener("click", () => {
    db.close();
    location.assign(notebookUrl(entry.path));
  });
}

main().catch((error) => {
  say("Could not open the assignment", `<p>${escapeHtml(String(error))}</p>`);
  console.error(error);
});
