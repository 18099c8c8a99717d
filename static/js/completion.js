/* The final check's stored result and the completion summary. Loaded after module.js;
   progress goes through window.TPMProgress and never leaves the browser. Without this file
   the final check still works (a GET form); only remembering the result needs it. */
(function () {
  "use strict";
  var store = window.TPMProgress;
  if (!store) return;

  function today() {
    var d = new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
  }

  function scoreText(final) {
    return final.score + " of " + final.total + ", " + final.percent + "%";
  }

  // A result page: remember the attempt. A pass is not replaced by a later fail, so
  // practising again never takes a completion away.
  var result = document.querySelector("[data-final-result]");
  if (result) {
    var attempt = {
      score: parseInt(result.getAttribute("data-score"), 10),
      total: parseInt(result.getAttribute("data-total"), 10),
      percent: parseInt(result.getAttribute("data-percent"), 10),
      passed: result.getAttribute("data-passed") === "true",
      date: today()
    };
    var progress = store.load();
    if (attempt.passed || !(progress.final && progress.final.passed)) {
      progress.final = attempt;
      store.save(progress);
    }
    var saved = result.querySelector("[data-final-saved]");
    if (saved && store.load().final && store.load().final.passed) saved.hidden = false;
  }

  // Completed: every lesson listed on this page read, and the final check passed. Items carry
  // the lesson's id in the attribute named.
  function completion(items, attribute) {
    var progress = store.load();
    var final = progress.final;
    if (!items.length || !final || !final.passed) return null;
    var allRead = items.every(function (item) {
      var state = progress.lessons[item.getAttribute(attribute)];
      return !!(state && state.read);
    });
    return allRead ? final : null;
  }

  function lessonItems(selector) {
    return Array.prototype.slice.call(document.querySelectorAll(selector));
  }

  // The module page's panel.
  var panel = document.querySelector("[data-completion]");
  if (panel) {
    var done = completion(lessonItems(".lesson-list [data-lesson-id]"), "data-lesson-id");
    if (done) {
      panel.querySelector("[data-completion-score]").textContent = scoreText(done);
      panel.querySelector("[data-completion-date]").textContent = done.date;
      panel.hidden = false;
    }
  }

  // The printable summary.
  var summary = document.querySelector("[data-completion-summary]");
  if (!summary) return;
  // Not data-lesson-id: module.js reads the first such element as "this lesson".
  var final = completion(lessonItems("[data-completion-lesson]"), "data-completion-lesson");
  if (!final) return;
  summary.querySelector("[data-summary-score]").textContent = scoreText(final);
  summary.querySelector("[data-summary-date]").textContent = final.date;
  summary.querySelector("[data-summary-empty]").hidden = true;
  summary.querySelector("[data-summary-complete]").hidden = false;

  // The name is copied into the heading only: no form, no name attribute, never stored.
  var input = summary.querySelector("[data-summary-name-input]");
  var name = summary.querySelector("[data-summary-name]");
  var line = summary.querySelector("[data-summary-name-line]");
  input.addEventListener("input", function () {
    name.textContent = input.value.trim();
    line.hidden = !name.textContent;
  });
  summary.querySelector("[data-print]").addEventListener("click", function () {
    window.print();
  });
})();
