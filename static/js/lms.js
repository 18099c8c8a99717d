/* A page of the LMS package (roles/lms/rendition.py puts this script before module.js).
   - In an LMS, the launch page's session (window.parent.TPMSession, lms-session.js) holds
     the learner's progress: it is put where module.js reads it, and every change goes back.
   - The final check has no server to grade it here: it is graded from lms/data.js, with
     the same result, review and stored attempt as the site's. */
(function () {
  "use strict";
  var DATA = window.TPM_LMS || { questions: [] };
  var KEY = "tpm-module-progress";
  var session = null;
  try {
    if (window.parent !== window) session = window.parent.TPMSession || null;
  } catch (e) { /* another site's frame: no session */ }

  var script = document.currentScript;
  var root = script ? new URL("../", script.src).href : "";

  if (session) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(session.progress || { lessons: {} }));
    } catch (e) { /* the session still records what happens on this page */ }
    document.addEventListener("tpm:progress", function (event) { session.save(event.detail); });
    var here = window.location.href.split("#")[0].split("?")[0];
    if (root && here.indexOf(root) === 0) session.visit(here.slice(root.length));
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  function today() {
    var d = new Date(), two = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
  }

  function grade(form) {
    var missing = [], review = [];
    DATA.questions.forEach(function (q, i) {
      var chosen = form.querySelector("input[name='" + q.name + "']:checked");
      if (!chosen) { missing.push(i + 1); return; }
      var choice = parseInt(chosen.value, 10);
      review.push({ q: q, choice: choice, right: choice === q.correct });
    });
    return { missing: missing, review: review };
  }

  function show(form, graded) {
    var old = document.getElementById("result");
    if (old) old.remove();
    if (graded.missing.length) {
      var notice = el("div", "notice notice--error");
      notice.id = "result";
      notice.setAttribute("role", "alert");
      notice.tabIndex = -1;
      notice.appendChild(el("p", null, "Please check your answers:"));
      var list = el("ul");
      graded.missing.forEach(function (n) { list.appendChild(el("li", null, "Answer question " + n + ".")); });
      notice.appendChild(list);
      form.parentNode.insertBefore(notice, form);
      notice.focus();
      return null;
    }
    var score = graded.review.filter(function (r) { return r.right; }).length;
    var total = graded.review.length;
    var percent = total ? Math.floor(score * 100 / total) : 0;
    var result = { score: score, total: total, percent: percent,
                   passed: total > 0 && percent >= DATA.passMark, date: today() };
    var box = el("section", "final-result final-result--" + (result.passed ? "passed" : "failed"));
    box.id = "result";
    box.tabIndex = -1;
    box.setAttribute("aria-labelledby", "result-heading");
    var heading = el("h2", null, (result.passed ? "Passed" : "Not passed yet") + ": " + score +
      " of " + total + ", " + percent + "%");
    heading.id = "result-heading";
    box.appendChild(heading);
    box.appendChild(el("p", null, result.passed
      ? "You passed: the pass mark is " + DATA.passMark + "%."
      : "You did not pass this time: the pass mark is " + DATA.passMark +
        "%. Reread the lessons linked below, then try again."));
    box.appendChild(el("h3", null, "Your answers"));
    var list = el("ol", "final-review");
    graded.review.forEach(function (r) {
      var item = el("li", "final-review__item " + (r.right ? "is-right" : "is-wrong"));
      item.appendChild(el("p", "final-review__question", r.q.text));
      var verdict = el("p", "final-review__verdict");
      var mark = el("span", null, r.right ? "\u2713" : "\u2717");
      mark.setAttribute("aria-hidden", "true");
      verdict.appendChild(mark);
      verdict.appendChild(document.createTextNode(r.right ? " Right" : " Wrong"));
      item.appendChild(verdict);
      var dl = el("dl");
      var pair = function (term, text) { dl.appendChild(el("dt", null, term)); dl.appendChild(el("dd", null, text)); };
      pair("Your answer", r.q.options[r.choice] || "No answer");
      if (!r.right && r.q.correct != null) pair("The right answer", r.q.options[r.q.correct]);
      if (r.q.feedback[r.choice]) pair("Why", r.q.feedback[r.choice]);
      item.appendChild(dl);
      var reread = el("p");
      var link = el("a", null, "Reread: " + r.q.lesson);
      link.href = root + r.q.href;
      reread.appendChild(link);
      item.appendChild(reread);
      list.appendChild(item);
    });
    box.appendChild(list);
    form.parentNode.insertBefore(box, form);
    box.focus();
    return result;
  }

  function remember(result) {
    var store = window.TPMProgress;
    if (!store) return;
    var progress = store.load();
    // As on the site (completion.js): a pass is not replaced by a later fail.
    if (result.passed || !(progress.final && progress.final.passed)) {
      progress.final = result;
      store.save(progress);
    }
  }

  var form = document.querySelector("form.final-check");
  if (form && DATA.questions.length) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var result = show(form, grade(form));
      if (!result) return;
      remember(result);
      if (session) session.attempt(result);
    });
  }
})();
