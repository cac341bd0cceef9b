// The attempt pages, enhanced. Answers and flags are saved through the JSON API as they change
// (static/js/api.js), the question navigator updates in place, practice and review feedback
// appears right after checking an answer (with the note and report forms, which stay plain
// forms), and the timer counts down from the server's remaining time,
// re-syncing every minute and whenever the page comes back into view. Without JavaScript the
// same forms post to the page views (quizzes/views.py), which call the same services.
import { api, ApiError, clearProblem } from "./api.js";

document.documentElement.classList.add("attempt-js");

const SYNC_EVERY = 60_000;
const LOW_TIME = 5 * 60;

// --- timer ---------------------------------------------------------------------------------------

function clock(seconds) {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = String(seconds % 60).padStart(2, "0");
  return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${rest}` : `${minutes}:${rest}`;
}

function startTimer(box) {
  const face = box.querySelector("[data-timer-clock]");
  const alert = box.querySelector("[data-timer-alert]");
  let deadline = Date.now() + Number(box.dataset.secondsLeft) * 1000;
  let warned = false;
  let finishing = false;

  // The server finishes the attempt at its deadline; reloading then shows the results.
  const finish = () => {
    if (finishing) return;
    finishing = true;
    window.setTimeout(() => window.location.reload(), 1000);
  };
  const tick = () => {
    const left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    face.textContent = clock(left);
    box.classList.toggle("is-low", left <= LOW_TIME);
    if (left <= LOW_TIME && left > 0 && !warned) {
      warned = true;
      alert.textContent = `${Math.ceil(left / 60)} minutes left.`;
    }
    if (left === 0) finish();
  };
  const sync = async () => {
    try {
      const summary = await api("GET", box.dataset.summaryUrl);
      if (summary.status !== "open") return finish();
      deadline = Date.now() + summary.seconds_left * 1000;
      tick();
    } catch {
      // Offline for a moment: keep counting down from the last known deadline.
    }
  };
  tick();
  window.setInterval(tick, 1000);
  window.setInterval(sync, SYNC_EVERY);
  window.addEventListener("focus", sync);
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) sync();
  });
}

// --- navigator -----------------------------------------------------------------------------------

function markNavigator(position, { answered, flagged }) {
  const link = document.querySelector(`[data-qnav="${position}"]`);
  if (!link) return;
  if (answered !== undefined) link.classList.toggle("is-answered", answered);
  if (flagged !== undefined) link.classList.toggle("is-flagged", flagged);
  const state = link.querySelector("[data-qnav-state]");
  if (state) {
    const isAnswered = link.classList.contains("is-answered");
    state.textContent = `, ${isAnswered ? "answered" : "not answered"}${link.classList.contains("is-flagged") ? ", flagged" : ""}`;
  }
  const count = document.querySelector("[data-answered-count]");
  if (count) {
    const total = document.querySelectorAll("[data-qnav]").length;
    const done = document.querySelectorAll("[data-qnav].is-answered").length;
    count.textContent = `${done} of ${total} answered`;
  }
}

// --- feedback (practice) -------------------------------------------------------------------------
// The same markup as templates/quizzes/components/question_feedback.html, from the API's question
// once it is revealed. HTML fields were sanitized by the server when the question was saved.

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function inlineHtml(html) {
  const trimmed = (html || "").trim();
  const single = trimmed.startsWith("<p>") && trimmed.endsWith("</p>") && trimmed.split("<p>").length === 2;
  return single ? trimmed.slice(3, -4) : trimmed;
}

function points(value) {
  const number = Number(value);
  return Number.isInteger(number) ? String(number) : number.toFixed(1);
}

function verdict(question) {
  if (!question.answered) return "Not answered";
  if (question.correct) return "Right";
  if (question.max_points > 1) return `${points(question.points)} of ${question.max_points} statements right`;
  return "Wrong";
}

function mark(className, text) {
  return element("span", `mark ${className}`, text);
}

function choiceReview(question, choice) {
  const chosen = (question.answer.choices || []).includes(choice.id);
  const said = (question.answer.statements || {})[String(choice.id)];
  const item = element("li", "review-choice");
  item.classList.toggle("is-correct", choice.correct);
  item.classList.toggle("is-chosen", chosen);
  const text = element("p", "review-choice-text");
  text.append(element("span", "choice-label", `${choice.label}.`), " ");
  const body = element("span");
  body.innerHTML = inlineHtml(choice.text_html);
  text.append(body);
  const marks = element("p", "review-marks");
  if (question.kind === "yesno") {
    const saidText = said === undefined ? "nothing" : said ? "Yes" : "No";
    marks.append(mark("mark-answer", `Answer: ${choice.correct ? "Yes" : "No"}`), " ");
    marks.append(mark(said === choice.correct ? "mark-right" : "mark-wrong", `You said: ${saidText}`));
  } else {
    if (choice.correct) marks.append(mark("mark-answer", "Correct answer"), " ");
    if (chosen) marks.append(mark(choice.correct ? "mark-right" : "mark-wrong", "Your answer"));
  }
  item.append(text, marks, element("p", "rationale", choice.rationale));
  return item;
}

function feedbackParts(question) {
  const parts = [element("p", `verdict ${question.correct ? "verdict-right" : "verdict-wrong"}`, verdict(question))];
  const choices = element("ul", "review-choices");
  question.choices.forEach((choice) => choices.append(choiceReview(question, choice)));
  parts.push(choices, element("h3", "feedback-part", "Explanation"));
  const explanation = element("div", "prose explanation");
  explanation.innerHTML = question.explanation_html;
  parts.push(explanation);
  if (question.references && question.references.length) {
    const list = element("ul", "references");
    question.references.forEach((url) => {
      const link = element("a", "", url);
      link.href = url;
      link.rel = "noopener noreferrer";
      const item = element("li");
      item.append(link);
      list.append(item);
    });
    parts.push(element("h3", "feedback-part", "References"), list);
  }
  return parts;
}

function showFeedback(form, question) {
  const section = document.querySelector("[data-feedback]");
  if (!section) return;
  section.querySelector("[data-feedback-body]").replaceChildren(...feedbackParts(question));
  section.hidden = false;
  // In review, the learner's note was shown before answering; now it sits in the feedback with
  // its form (rendered by the server, hidden until here), so the reminder goes.
  document.querySelectorAll("[data-note-reminder]").forEach((node) => {
    node.hidden = true;
  });
  form.querySelectorAll("[data-answer-fields] input").forEach((input) => {
    input.disabled = true;
  });
  const check = form.querySelector("[data-check]");
  if (check) check.remove();
  section.querySelector("h2").focus();
}

// --- the question form ---------------------------------------------------------------------------

function clearAnswerProblem(form) {
  clearProblem(form);
  form.querySelectorAll("[data-answer-error]").forEach((node) => node.remove());
}

function showAnswerProblem(form, problem) {
  clearAnswerProblem(form);
  const messages = Object.values(problem.errors || {}).flat();
  const note = element("div", "alert alert-error answer-error", messages.length ? messages.join(" ") : problem.detail || problem.title);
  note.id = "answer-error";
  note.setAttribute("role", "alert");
  note.dataset.apiError = "";
  const fields = form.querySelector("[data-answer-fields]");
  fields.insertAdjacentElement("afterend", note);
  fields.querySelectorAll("input").forEach((input) => input.setAttribute("aria-invalid", "true"));
}

function answerOf(form) {
  const unsure = form.querySelector('input[name="unsure"]');
  const sure = !(unsure && unsure.checked);
  if (form.dataset.kind === "yesno") {
    const statements = {};
    form.querySelectorAll('input[name^="statement-"]:checked').forEach((input) => {
      statements[input.name.slice("statement-".length)] = input.value === "yes";
    });
    return { statements, sure };
  }
  const checked = form.querySelectorAll('input[name="choices"]:checked');
  return { choices: Array.from(checked, (input) => Number(input.value)), sure };
}

function setUpQuestion(form, mode) {
  const status = form.querySelector("[data-save-status]");
  const clear = form.querySelector("[data-clear]");
  const choose = Number(form.dataset.choose || 0);
  const position = form.dataset.position;
  let queue = Promise.resolve();

  const say = (text, failed = false) => {
    status.textContent = text;
    status.classList.toggle("is-error", failed);
  };

  const failed = (error) => {
    if (!(error instanceof ApiError)) throw error;
    showAnswerProblem(form, error.problem);
    say("Not saved.", true);
    // 409: the attempt is finished, or this practice answer already checked: show where it stands.
    if (error.problem.status === 409) window.setTimeout(() => window.location.reload(), 1500);
    return null;
  };

  // Saves run one after another, each sending the form's state when it starts, so the last
  // change always wins.
  const save = () => {
    queue = queue.then(async () => {
      say("Saving…");
      try {
        const question = await api("PUT", form.dataset.answerUrl, answerOf(form));
        clearAnswerProblem(form);
        markNavigator(position, { answered: question.answered });
        if (clear) clear.hidden = !question.answered;
        say(question.revealed ? "Answer checked." : question.answered ? "Answer saved." : "Answer cleared.");
        return question;
      } catch (error) {
        return failed(error);
      }
    });
    return queue;
  };

  const saveFlag = async (box) => {
    say("Saving…");
    try {
      const question = await api("PUT", form.dataset.flagUrl, { flagged: box.checked });
      markNavigator(position, { flagged: question.flagged });
      say(question.flagged ? "Flagged for review." : "Flag removed.");
    } catch (error) {
      box.checked = !box.checked;
      failed(error);
    }
  };

  form.addEventListener("change", (event) => {
    const input = event.target;
    if (input.name === "flagged") {
      saveFlag(input);
      return;
    }
    const answerInput = input.closest("[data-answer-fields]") || input.name === "unsure";
    if (mode !== "exam" || !answerInput) return; // practice: on "Check"
    if (input.name === "unsure" && !form.querySelector("[data-answer-fields] input:checked")) return;
    const answer = answerOf(form);
    if (form.dataset.kind === "multiple" && answer.choices.length && answer.choices.length !== choose) {
      say(`Choose ${choose}: ${answer.choices.length} selected, not saved yet.`);
      return;
    }
    save();
  });

  // "Save", "Clear" and "Check" go through the API; the moves (previous, next, review) post the
  // form as without JavaScript, which saves nothing more when nothing changed.
  form.addEventListener("submit", async (event) => {
    const go = event.submitter ? event.submitter.value : "save";
    if (!["save", "clear", "check"].includes(go)) return;
    event.preventDefault();
    if (go === "clear") {
      form.querySelectorAll("[data-answer-fields] input").forEach((input) => {
        input.checked = false;
      });
    }
    const question = await save();
    if (question && question.revealed) showFeedback(form, question);
  });
}

const attempt = document.querySelector("[data-attempt]");
if (attempt) {
  const timer = document.querySelector("[data-timer]");
  if (timer) startTimer(timer);
  const form = document.querySelector("form[data-question]");
  if (form) {
    setUpQuestion(form, attempt.dataset.mode);
    // The attempt's bare URL resumes at the first unanswered question: name the one shown, so
    // reloading it stays here once it is answered.
    const url = new URL(window.location.href);
    if (!url.searchParams.has("q")) {
      url.searchParams.set("q", form.dataset.position);
      window.history.replaceState(null, "", url);
    }
  }
}
