// Live preview for Markdown fields (portal.widgets.MarkdownPreviewWidget).
// As the text changes, it is posted (debounced) with the CSRF token to the staff-only preview
// endpoint, which answers {"html": ...} rendered and sanitized by portal/markdown.py: the same HTML
// the page will show. No framework, no inline script (the CSP allows only our own files).
// Without JavaScript the preview panel stays hidden and the textarea works as usual.
(() => {
  "use strict";

  const DELAY_MS = 300;
  const pending = new WeakMap(); // textarea -> { timer, controller }

  function csrfToken(field) {
    const input = field.form && field.form.querySelector('input[name="csrfmiddlewaretoken"]');
    if (input) return input.value;
    const meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) return meta.content;
    const cookie = document.cookie.split("; ").find((item) => item.startsWith("csrftoken="));
    return cookie ? decodeURIComponent(cookie.slice("csrftoken=".length)) : "";
  }

  function partsOf(textarea) {
    const wrapper = textarea.closest("[data-markdown-preview]");
    if (!wrapper) return null;
    return {
      url: wrapper.dataset.markdownPreview,
      panel: wrapper.querySelector(".markdown-preview"),
      body: wrapper.querySelector(".markdown-preview-body"),
      status: wrapper.querySelector(".markdown-preview-status"),
    };
  }

  function showStatus(parts, message) {
    parts.status.textContent = message;
    parts.panel.classList.toggle("markdown-preview-failed", Boolean(message));
  }

  async function render(textarea) {
    const parts = partsOf(textarea);
    const state = pending.get(textarea) || {};
    if (state.controller) state.controller.abort(); // only the latest text's answer is shown
    const controller = new AbortController();
    pending.set(textarea, { controller });
    showStatus(parts, "updating…");
    try {
      const response = await fetch(parts.url, {
        method: "POST",
        headers: { Accept: "application/json", "X-CSRFToken": csrfToken(textarea) },
        body: new URLSearchParams({ text: textarea.value }),
        credentials: "same-origin",
        signal: controller.signal,
      });
      const data = await response.json().catch(() => ({}));
      if (!response.ok || typeof data.html !== "string") {
        showStatus(parts, data.error || `unavailable (${response.status})`);
        return;
      }
      parts.body.innerHTML = data.html; // sanitized by the server against an allow-list
      showStatus(parts, "");
    } catch (error) {
      if (error.name !== "AbortError") showStatus(parts, "unavailable: the server did not answer");
    }
  }

  function schedule(event) {
    const textarea = event.target;
    if (!(textarea instanceof HTMLTextAreaElement) || !partsOf(textarea)) return;
    const state = pending.get(textarea) || {};
    clearTimeout(state.timer);
    pending.set(textarea, { ...state, timer: setTimeout(() => render(textarea), DELAY_MS) });
  }

  function reveal(root) {
    root.querySelectorAll("[data-markdown-preview] .markdown-preview").forEach((panel) => {
      panel.hidden = false;
    });
  }

  // Delegated, so rows that admin inlines add later ("Add another") preview too.
  document.addEventListener("input", schedule);
  document.addEventListener("formset:added", (event) => reveal(event.target));
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => reveal(document));
  } else {
    reveal(document);
  }
})();
