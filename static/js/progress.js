// The learner's progress controls, enhanced: topic statuses, resource checkboxes, the private
// note and the study log call the JSON API (/api/v1/me/...) through api.js and update the page
// in place. Without JavaScript the same forms post to the page views.
//
// After a change, the blocks marked [data-refresh="<key>"] (progress bars, their figures, the
// follow button, the study-log list) are re-read from the server-rendered page, so the numbers
// come from the one place that computes them (progress/queries.py), never from a second copy
// of the rules here. Events are delegated from the document, so re-read blocks keep working.
import { api, ApiError, clearProblem, showProblem } from "./api.js";

const ME = "/api/v1/me";
document.documentElement.classList.add("progress-js"); // hides the forms' "Save" buttons

function announce(form, message) {
  const panel = form.closest("[data-progress-panel]") || form;
  const live = panel.querySelector("[data-progress-live]") || document.querySelector("[data-progress-live]");
  if (live) live.textContent = message;
}

function fail(form, error) {
  if (error instanceof ApiError) showProblem(form, error.problem);
  else throw error;
}

let refreshes = 0;

// Re-read every [data-refresh] block of this page from the server and swap in the new ones.
// The change itself is saved by then: if the page cannot be re-read, the figures stay as they
// were until the next load.
async function refreshPage() {
  const ticket = ++refreshes;
  let fresh;
  try {
    const response = await fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } });
    if (!response.ok || ticket !== refreshes) return; // a later change will refresh again
    fresh = new DOMParser().parseFromString(await response.text(), "text/html");
  } catch {
    return;
  }
  document.querySelectorAll("[data-refresh]").forEach((block) => {
    const key = CSS.escape(block.dataset.refresh);
    const replacement = fresh.querySelector(`[data-refresh="${key}"]`);
    if (replacement) block.replaceWith(document.importNode(replacement, true));
  });
}

// --- topic statuses -----------------------------------------------------------------------------

async function statusChanged(select) {
  const form = select.form;
  const badge = form.querySelector("[data-status-badge]");
  const previous = form.dataset.saved || (badge ? badge.className.match(/status-([a-z_]+)/)[1] : "");
  const label = select.selectedOptions[0].textContent;
  select.disabled = true;
  try {
    await api("POST", `${ME}/statuses/`, { topic: form.dataset.progressStatus, status: select.value });
    clearProblem(form);
    form.dataset.saved = select.value;
    if (badge) {
      badge.className = badge.className.replace(/status-[a-z_]+/, `status-${select.value}`);
      badge.textContent = label;
    }
    announce(form, `${form.dataset.title || "Topic"}: ${label.toLowerCase()}.`);
    await refreshPage();
  } catch (error) {
    if (previous) select.value = previous;
    fail(form, error);
  } finally {
    select.disabled = false;
  }
}

// --- resources ----------------------------------------------------------------------------------

async function resourceChanged(checkbox) {
  const form = checkbox.form;
  const id = form.dataset.progressResource;
  checkbox.disabled = true;
  try {
    if (checkbox.checked) {
      await api("POST", `${ME}/resources-done/`, { resource: Number(id) });
    } else {
      try {
        await api("DELETE", `${ME}/resources-done/${id}/`);
      } catch (error) {
        // Not marked any more (another tab unmarked it): the wanted state already holds.
        if (!(error instanceof ApiError && error.problem.status === 404)) throw error;
      }
    }
    clearProblem(form);
    const title = checkbox.labels.length ? checkbox.labels[0].textContent : "Resource";
    announce(form, `${title}: ${checkbox.checked ? "done" : "not done"}.`);
    await refreshPage();
  } catch (error) {
    checkbox.checked = !checkbox.checked;
    fail(form, error);
  } finally {
    checkbox.disabled = false;
  }
}

// --- the note -----------------------------------------------------------------------------------

function notePieces(slug) {
  const key = CSS.escape(slug);
  return {
    preview: document.querySelector("[data-note-preview]"),
    remove: document.querySelector(`form[data-progress-note-delete="${key}"]`),
    editor: document.querySelector(`form[data-progress-note="${key}"]`),
  };
}

function showNote(slug, html) {
  const { preview, remove } = notePieces(slug);
  if (preview) preview.innerHTML = html; // sanitized by the server (portal/markdown.py)
  if (remove) remove.hidden = !html;
}

async function saveNote(form) {
  const slug = form.dataset.progressNote;
  const body = form.elements.namedItem("body").value;
  try {
    const note = await api("PUT", `${ME}/notes/${encodeURIComponent(slug)}/`, { body });
    clearProblem(form);
    showNote(slug, note ? note.body_html : "");
    announce(form, note ? "Your note is saved." : "Your note is deleted.");
  } catch (error) {
    fail(form, error);
  }
}

async function deleteNote(form) {
  const slug = form.dataset.progressNoteDelete;
  try {
    await api("DELETE", `${ME}/notes/${encodeURIComponent(slug)}/`);
  } catch (error) {
    if (!(error instanceof ApiError && error.problem.status === 404)) return fail(form, error);
  }
  const { editor } = notePieces(slug);
  if (editor) editor.elements.namedItem("body").value = "";
  showNote(slug, "");
  announce(form, "Your note is deleted.");
}

// --- study log ----------------------------------------------------------------------------------

function logEntry(form) {
  const value = (name) => {
    const field = form.elements.namedItem(name);
    return field ? field.value.trim() : "";
  };
  const minutes = value("minutes");
  return {
    day: value("day"),
    minutes: /^\d+$/.test(minutes) ? Number(minutes) : minutes,
    topic: value("topic") || null,
    note: value("note"),
  };
}

async function addLogEntry(form) {
  const button = form.querySelector('button[type="submit"]');
  if (button) button.disabled = true;
  try {
    const entry = await api("POST", `${ME}/study-log/`, logEntry(form));
    clearProblem(form);
    for (const name of ["minutes", "note"]) {
      const field = form.elements.namedItem(name);
      if (field) field.value = "";
    }
    announce(form, `Logged ${entry.minutes} minute${entry.minutes === 1 ? "" : "s"} on ${entry.day}.`);
    await refreshPage();
  } catch (error) {
    fail(form, error);
  } finally {
    if (button) button.disabled = false;
  }
}

async function deleteLogEntry(form) {
  const id = form.dataset.progressLogDelete;
  try {
    await api("DELETE", `${ME}/study-log/${id}/`);
  } catch (error) {
    if (!(error instanceof ApiError && error.problem.status === 404)) return fail(form, error);
  }
  announce(form, "The entry is deleted.");
  await refreshPage();
}

// --- wiring -------------------------------------------------------------------------------------

document.addEventListener("change", (event) => {
  const target = event.target;
  if (!(target instanceof HTMLElement) || !target.form) return;
  if (target.form.matches("form[data-progress-status]") && target.name === "status") statusChanged(target);
  else if (target.form.matches("form[data-progress-resource]") && target.name === "done") resourceChanged(target);
});

const SUBMITS = [
  ["form[data-progress-status]", (form) => statusChanged(form.elements.namedItem("status"))],
  ["form[data-progress-resource]", (form) => resourceChanged(form.elements.namedItem("done"))],
  ["form[data-progress-note]", saveNote],
  ["form[data-progress-note-delete]", deleteNote],
  ["form[data-progress-log]", addLogEntry],
  ["form[data-progress-log-delete]", deleteLogEntry],
];

document.addEventListener("submit", (event) => {
  const form = event.target;
  for (const [selector, handle] of SUBMITS) {
    if (form instanceof HTMLFormElement && form.matches(selector)) {
      event.preventDefault();
      handle(form);
      return;
    }
  }
});
