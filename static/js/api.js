// Calls the portal's JSON API from server-rendered pages: fetch with the CSRF token, and
// RFC 9457 problem-details errors shown inline next to the form fields they name.
// No framework and no build step. Forms keep working without JavaScript: only forms marked
// with data-api="<METHOD> <url>" are sent through fetch.

const PROBLEM = "application/problem+json";

export class ApiError extends Error {
  constructor(problem) {
    super(problem.detail || problem.title || "Request failed");
    this.problem = problem;
  }
}

function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

export async function api(method, url, body) {
  const headers = { Accept: `application/json, ${PROBLEM}`, "X-CSRFToken": csrfToken() };
  const options = { method, headers, credentials: "same-origin" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, options);
  } catch {
    throw new ApiError({ title: "Network error", detail: "Could not reach the server. Check your connection and try again." });
  }
  const type = response.headers.get("Content-Type") || "";
  const data = response.status === 204 ? null : type.includes("json") ? await response.json() : null;
  if (!response.ok) {
    throw new ApiError(data || { title: response.statusText, status: response.status });
  }
  return data;
}

export function clearProblem(form) {
  form.querySelectorAll("[data-api-error]").forEach((node) => node.remove());
  form.querySelectorAll('[aria-invalid="true"]').forEach((node) => node.removeAttribute("aria-invalid"));
}

export function showProblem(form, problem) {
  clearProblem(form);
  const errors = problem.errors || {};
  let placed = false;
  for (const [name, messages] of Object.entries(errors)) {
    const field = form.elements.namedItem(name);
    if (!field || !field.insertAdjacentElement) continue;
    const note = document.createElement("p");
    note.className = "field-error";
    note.dataset.apiError = "";
    note.id = `${field.id || name}-api-error`;
    note.textContent = [].concat(messages).join(" ");
    field.setAttribute("aria-invalid", "true");
    field.setAttribute("aria-describedby", note.id);
    field.insertAdjacentElement("afterend", note);
    placed = true;
  }
  const summary = document.createElement("p");
  summary.className = "alert alert-error";
  summary.setAttribute("role", "alert");
  summary.dataset.apiError = "";
  summary.textContent = placed ? "Please correct the fields marked below." : problem.detail || problem.title;
  form.prepend(summary);
}

function formBody(form) {
  const body = {};
  for (const [key, value] of new FormData(form)) {
    if (key === "csrfmiddlewaretoken") continue;
    body[key] = value;
  }
  return body;
}

// <form data-api="PATCH /api/v1/..." data-api-success="reload|<event name>">
export function enhanceForms(root = document) {
  root.querySelectorAll("form[data-api]").forEach((form) => {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const [method, url] = form.dataset.api.split(" ");
      try {
        const result = await api(method, url, formBody(form));
        clearProblem(form);
        if (form.dataset.apiSuccess === "reload") window.location.reload();
        else form.dispatchEvent(new CustomEvent(form.dataset.apiSuccess || "api:success", { detail: result, bubbles: true }));
      } catch (error) {
        if (error instanceof ApiError) showProblem(form, error.problem);
        else throw error;
      }
    });
  });
}

enhanceForms();
