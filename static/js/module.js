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
    /* For a listener that keeps progress elsewhere too: the LMS package's lms.js. */
    document.dispatchEvent(new CustomEvent("tpm:progress", { detail: progress }));
  }

  function mark(lessonId, field) {
    var progress = load();
    var entry = progress.lessons[lessonId] || {};
    entry[field] = true;
    progress.lessons[lessonId] = entry;
    progress.last = lessonId;
    save(progress);
    refresh();
  }

  function isRead(entry) {
    return !!(entry && (entry.read || entry.checked));
  }

  /* Where "Continue" leads, given the module's lesson ids in order: the lesson being read (the
     last one opened, not yet read); else the one after the furthest read (read 3 and 9: 10);
     else, when that was the last lesson, the first one still unread. Returns an index into
     ids, -1 when nothing was opened yet (start at the beginning), or ids.length when every
     lesson is read (the final check, if there is one). */
  function continueAt(ids, progress) {
    var lessons = progress.lessons || {};
    var last = progress.last == null ? -1 : ids.indexOf(String(progress.last));
    if (last !== -1 && !isRead(lessons[ids[last]])) return last;
    var furthest = -1;
    ids.forEach(function (id, i) { if (isRead(lessons[id])) furthest = i; });
    if (furthest === -1) return last;
    if (furthest + 1 < ids.length) return furthest + 1;
    for (var i = 0; i < ids.length; i++) if (!isRead(lessons[ids[i]])) return i;
    return ids.length;
  }

  /* The one place progress is read and written; checks.js and completion.js (loaded after
     this file) use it. Stored under KEY as JSON:
       { lessons: { "<lesson page id>": { read: true, checked: true } },
         last: "<lesson page id>",
         final: { score: 9, total: 10, percent: 90, passed: true, date: "YYYY-MM-DD" } }
     Nothing here is ever sent to the server. */
  window.TPMProgress = {
    load: load, save: save, mark: mark, isRead: isRead, continueAt: continueAt, refresh: refresh
  };

  var lesson = document.querySelector("article[data-lesson-id]");

  /* Every list of the module's lessons on this page (the outline beside a lesson, the list on
     the module page) shows each lesson's state in words and an icon, never colour alone. */
  var STATES = {
    none: ["\u25CB", "Not started"],
    read: ["\u2713", "Read"],
    checked: ["\u2605", "Checks passed"]
  };
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-lesson-list] > li"));
  var ids = items.map(function (item) {
    return item.getAttribute("data-lesson-ref") || item.getAttribute("data-lesson-id");
  });

  function readCount(progress) {
    return ids.filter(function (id) { return isRead(progress.lessons[id]); }).length;
  }

  function showState(item, entry) {
    var state = entry && entry.checked ? "checked" : isRead(entry) ? "read" : "none";
    item.setAttribute("data-state", state);
    var badge = item.querySelector("[data-lesson-state]");
    if (!badge) return;
    var icon = document.createElement("span");
    icon.className = "lesson-state__icon";
    icon.setAttribute("aria-hidden", "true");
    icon.textContent = STATES[state][0];
    badge.textContent = "";
    badge.appendChild(icon);
    badge.appendChild(document.createTextNode(" " + STATES[state][1]));
    badge.hidden = false;
  }

  function showContinue(link, progress) {
    var at = continueAt(ids, progress);
    var finalCheck = document.querySelector("a[data-final-check]");
    var target = at === -1 ? items[0].querySelector("a")
      : at < ids.length ? items[at].querySelector("a")
      : finalCheck || items[ids.length - 1].querySelector("a");
    link.href = target.getAttribute("href");
    link.textContent = at === -1 ? "Start the module" : "Continue: " + target.textContent;
  }

  function refresh() {
    if (!items || !items.length) return;
    var progress = load();
    items.forEach(function (item, i) { showState(item, progress.lessons[ids[i]]); });
    var read = readCount(progress);
    Array.prototype.forEach.call(document.querySelectorAll("[data-progress]"), function (box) {
      var bar = box.querySelector("progress");
      bar.max = ids.length;
      bar.value = read;
      box.querySelector("[data-progress-text]").textContent =
        read + " of " + ids.length + " lessons read";
      box.hidden = false;
    });
    var link = document.querySelector("[data-continue]");
    if (link) showContinue(link, progress);
    var markArea = document.querySelector("[data-mark-read-area]");
    if (markArea && lesson) {
      var done = isRead(progress.lessons[lesson.getAttribute("data-lesson-id")]);
      // Hiding the focused button would drop keyboard focus: hand it to the status instead.
      if (done && markArea.contains(document.activeElement)) focusStatus();
      markArea.hidden = done;
    }
  }

  function focusStatus() {
    var status = document.querySelector("[data-read-status]");
    status.setAttribute("tabindex", "-1");
    status.focus();
  }

  // The outline is a sidebar on wide screens, so open there; a closed disclosure on phones.
  var outline = document.querySelector("[data-outline]");
  if (outline && window.matchMedia) {
    var wide = window.matchMedia("(min-width: 60rem)");
    outline.open = wide.matches;
    wide.addEventListener("change", function () { outline.open = wide.matches; });
  }

  /* A published lesson counts as read once its end is reached: the end scrolled into view,
     or "Mark as read" pressed there. Opening it only records it as the lesson being read. */
  if (lesson && lesson.getAttribute("data-lesson-number")) {
    var lessonId = lesson.getAttribute("data-lesson-id");
    var opened = load();
    opened.last = lessonId;
    save(opened);
    var status = document.querySelector("[data-read-status]");
    var markRead = function (how) {
      if (isRead(load().lessons[lessonId])) return;
      // The news first: marking refreshes the page and may move focus onto this status.
      status.textContent = (how ? how + " " : "") + "Lesson marked as read: " +
        (readCount(load()) + 1) + " of " + ids.length + " lessons read.";
      mark(lessonId, "read");
    };
    if (isRead(opened.lessons[lessonId])) status.textContent = "You have read this lesson.";
    var button = document.querySelector("[data-mark-read]");
    if (button) button.addEventListener("click", function () { markRead(""); });
    var end = document.querySelector("[data-lesson-end]");
    if (end && "IntersectionObserver" in window) {
      var observer = new IntersectionObserver(function (entries) {
        if (entries.some(function (entry) { return entry.isIntersecting; })) {
          observer.disconnect();
          markRead("You reached the end.");
        }
      });
      observer.observe(end);
    }
  }

  // The module page: "Reset my progress" asks first, inline (no confirm() dialog).
  var resetArea = document.querySelector("[data-reset-area]");
  if (resetArea) {
    var reset = resetArea.querySelector("[data-reset]");
    var question = resetArea.querySelector("[data-reset-confirm]");
    var panelStatus = document.querySelector("[data-progress-status]");
    var ask = function (open) {
      question.hidden = !open;
      reset.setAttribute("aria-expanded", String(open));
      (open ? question.querySelector("[data-reset-cancel]") : reset).focus();
    };
    reset.addEventListener("click", function () { ask(true); });
    question.querySelector("[data-reset-cancel]").addEventListener("click", function () {
      ask(false);
    });
    question.addEventListener("keydown", function (event) {
      if (event.key === "Escape") ask(false);
    });
    question.querySelector("[data-reset-yes]").addEventListener("click", function () {
      save({ lessons: {} });
      refresh();
      ask(false);
      panelStatus.textContent = "Your progress was reset.";
    });
    resetArea.hidden = false;
  }
  refresh();
})();
