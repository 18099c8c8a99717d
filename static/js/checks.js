/* Knowledge checks and shuffled options (practice). Loaded after module.js; progress goes
   through window.TPMProgress. Without this file every check still works as a GET form
   (LessonPage.serve) and options keep the order the editor gave them. */
(function () {
  "use strict";

  /* Any container with data-shuffle: its element children in a random order (Fisher-Yates).
     Done in the browser, not the server, so the page stays one cacheable document. */
  function shuffle(container) {
    var items = Array.prototype.slice.call(container.children);
    for (var i = items.length - 1; i > 0; i -= 1) {
      var j = Math.floor(Math.random() * (i + 1));
      var swap = items[i];
      items[i] = items[j];
      items[j] = swap;
    }
    items.forEach(function (item) { container.appendChild(item); });
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-shuffle]"), shuffle);

  var forms = Array.prototype.slice.call(document.querySelectorAll("form.knowledge-check"));
  var lesson = document.querySelector("[data-lesson-id]");
  var lessonId = lesson && lesson.getAttribute("data-lesson-id");
  var progress = window.TPMProgress;
  if (!forms.length) return;

  /* Which checks of this lesson were answered right at least once: lessons[id].right holds
     their form ids; once every check here is among them, the lesson counts as checked. */
  function rememberRight(form) {
    if (!progress || !lessonId) return;
    var data = progress.load();
    var entry = data.lessons[lessonId] || {};
    var right = Array.isArray(entry.right) ? entry.right : [];
    if (right.indexOf(form.id) === -1) right.push(form.id);
    entry.right = right;
    data.lessons[lessonId] = entry;
    progress.save(data);
    var all = forms.every(function (f) { return right.indexOf(f.id) !== -1; });
    if (all) progress.mark(lessonId, "checked");
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  /* The same marks the server draws for a check answered without JavaScript
     (templates/roles/blocks/knowledge_check.html): words and an icon, never colour alone. */
  function icon(correct) {
    var node = element("span", "knowledge-check__icon", correct ? "✓" : "✗");
    node.setAttribute("aria-hidden", "true");
    return node;
  }

  function clear(form) {
    Array.prototype.forEach.call(form.querySelectorAll(".knowledge-check__mine"), function (mark) {
      mark.parentNode.removeChild(mark);
    });
    form.querySelector(".knowledge-check__feedback").textContent = "";
    form.removeAttribute("data-answered");
  }

  function show(form, chosen) {
    var right = form.getAttribute("data-correct");
    var correct = chosen.value === right;
    clear(form);
    form.setAttribute("data-answered", correct ? "right" : "wrong");

    var mine = element("span", "knowledge-check__mine knowledge-check__mine--" + (correct ? "right" : "wrong"));
    mine.appendChild(icon(correct));
    mine.appendChild(element("span", "visually-hidden", correct ? "Right:" : "Wrong:"));
    mine.appendChild(document.createTextNode(" Your answer"));
    var option = chosen.closest(".knowledge-check__option");
    option.appendChild(mine);

    var rightLabel = form.querySelector('label[for="' + form.id + "-" + right + '"]');
    var result = element("p", "knowledge-check__result knowledge-check__result--" + (correct ? "right" : "wrong"));
    result.appendChild(icon(correct));
    result.appendChild(document.createTextNode(" "));
    result.appendChild(element("span", "knowledge-check__verdict", correct
      ? "Correct."
      : "Not quite." + (rightLabel ? " The answer is: " + rightLabel.textContent + "." : "")));
    var feedback = form.querySelector(".knowledge-check__feedback");
    feedback.appendChild(result);
    var why = option.getAttribute("data-feedback");
    if (why) feedback.appendChild(element("p", "knowledge-check__why", why));
    var explanation = form.querySelector("template.knowledge-check__explanation");
    if (explanation) feedback.appendChild(explanation.content.cloneNode(true));

    form.querySelector("[data-retry]").hidden = false;
    if (correct) rememberRight(form);
  }

  function retry(form) {
    clear(form);
    Array.prototype.forEach.call(form.querySelectorAll("input[name=answer]"), function (input) {
      input.checked = false;
    });
    form.querySelector("[data-retry]").hidden = true;
    var first = form.querySelector("input[name=answer]"); // the first in the shuffled order
    if (first) first.focus();
  }

  // Answered in place: no round trip (the form's GET remains for readers without JavaScript).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form.knowledge-check")) return;
    var chosen = form.querySelector("input[name=answer]:checked");
    if (!chosen) return; // let the browser's required-field message show
    event.preventDefault();
    show(form, chosen);
  });

  forms.forEach(function (form) {
    var button = form.querySelector("[data-retry]");
    if (button) button.addEventListener("click", function () { retry(form); });
    // Answered without JavaScript's help (the GET form): offer the same retry, count it.
    var answered = form.getAttribute("data-answered");
    if (answered && button) button.hidden = false;
    if (answered === "right") rememberRight(form);
  });
})();
