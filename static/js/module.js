/* The module's only script. Everything works without it; with it, knowledge checks answer
   instantly and the browser remembers which lessons were read or checked (localStorage,
   nothing leaves the device). */
(function () {
  "use strict";
  var KEY = "tpm-module-progress";

  function load() {
    try {
      var data = JSON.parse(window.localStorage.getItem(KEY) || "{}");
      return data && typeof data === "object" && data.lessons ? data : { lessons: {} };
    } catch (e) {
      return { lessons: {} };
    }
  }

  function save(progress) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(progress));
    } catch (e) {
      /* storage full or disabled: progress is a convenience, never an error */
    }
  }

  function mark(lessonId, field) {
    var progress = load();
    var entry = progress.lessons[lessonId] || {};
    entry[field] = true;
    progress.lessons[lessonId] = entry;
    progress.last = lessonId;
    save(progress);
  }

  /* The one place progress is read and written; checks.js and completion.js (loaded after
     this file) use it. Stored under KEY as JSON:
       { lessons: { "<lesson page id>": { read: true, checked: true } },
         last: "<lesson page id>",
         final: { score: 9, total: 10, percent: 90, passed: true, date: "YYYY-MM-DD" } }
     Nothing here is ever sent to the server. */
  window.TPMProgress = { load: load, save: save, mark: mark };

  // A lesson page: opening it counts as read.
  var lesson = document.querySelector("[data-lesson-id]");
  if (lesson && lesson.getAttribute("data-lesson-number")) {
    mark(lesson.getAttribute("data-lesson-id"), "read");
  }

  // Knowledge checks: instant feedback instead of a round trip.
  Array.prototype.forEach.call(document.querySelectorAll("form.knowledge-check"), function (form) {
    form.addEventListener("submit", function (event) {
      var chosen = form.querySelector("input[name=answer]:checked");
      if (!chosen) return; // let the browser's required-field message show
      event.preventDefault();
      var right = form.getAttribute("data-correct");
      var rightLabel = form.querySelector('label[for="' + form.id + "-" + right + '"]');
      var feedback = form.querySelector(".knowledge-check__feedback");
      var verdict = document.createElement("p");
      verdict.className = "knowledge-check__verdict";
      verdict.textContent = chosen.value === right
        ? "Correct."
        : "Not quite." + (rightLabel ? " The answer is: " + rightLabel.textContent + "." : "");
      feedback.textContent = "";
      feedback.appendChild(verdict);
      var explanation = form.querySelector("template.knowledge-check__explanation");
      if (explanation) feedback.appendChild(explanation.content.cloneNode(true));
      if (lesson) mark(lesson.getAttribute("data-lesson-id"), "checked");
    });
  });

  // The module page: progress bar, "continue", reset.
  var panel = document.querySelector("[data-module-progress]");
  if (!panel) return;
  var items = Array.prototype.slice.call(document.querySelectorAll(".lesson-list [data-lesson-id]"));

  function render() {
    var progress = load();
    var read = 0;
    var next = null;
    items.forEach(function (item) {
      var state = progress.lessons[item.getAttribute("data-lesson-id")];
      var done = !!(state && (state.read || state.checked));
      item.classList.toggle("is-read", done);
      var badge = item.querySelector(".lesson-list__done");
      if (badge) badge.hidden = !done;
      if (done) read += 1;
      else if (!next) next = item;
    });
    var bar = panel.querySelector("progress");
    bar.max = items.length;
    bar.value = read;
    panel.querySelector("[data-progress-text]").textContent =
      read + " of " + items.length + " lessons read";
    var link = panel.querySelector("[data-continue]");
    var target = next || items[items.length - 1];
    if (target) {
      link.href = target.querySelector("a").getAttribute("href");
      link.textContent = read === 0 ? "Start the first lesson"
        : next ? "Continue where you left off: " + target.querySelector("a").textContent
        : "You have read every lesson. Read the last one again";
    }
    panel.hidden = false;
  }

  panel.querySelector("[data-reset]").addEventListener("click", function () {
    save({ lessons: {} });
    render();
  });
  render();
})();
