/* The LMS package's launch page (lms/launch.html, roles/lms/rendition.py): it holds the one
   session with the LMS for as long as the learner is in the module, and frames the module's
   pages, which report to it through window.TPMSession (static/js/lms.js).
   - SCORM 1.2: the LMS's "API" object up the frame chain (or the opener's).
   - SCORM 2004: "API_1484_11" likewise.
   - cmi5: the launch URL's parameters (endpoint, fetch, actor, registration, activityId).
   Without any of them the module opens as it does offline. */
(function () {
  "use strict";
  var DATA = window.TPM_LMS || { lessons: [], questions: [] };
  var frame = document.getElementById("module");
  var started = Date.now();

  function findApi(name) {
    var wins = [window.parent, window.opener];
    for (var w = 0; w < wins.length; w++) {
      var win = wins[w];
      for (var depth = 0; win && depth < 12; depth++) {
        try { if (win[name]) return win[name]; } catch (e) { break; }
        if (win.parent === win) break;
        win = win.parent;
      }
    }
    return null;
  }

  /* Progress in few characters (SCORM 1.2 allows 4,096): per lesson, by its place in the
     module, 1 = read and 2 = checks passed; the last lesson opened; the final check's best
     result. Which of a lesson's checks were right before all were is not kept. */
  function pack(progress) {
    var out = { l: {} };
    DATA.lessons.forEach(function (id, i) {
      var e = (progress.lessons || {})[id];
      var flags = e ? (e.read ? 1 : 0) | (e.checked ? 2 : 0) : 0;
      if (flags) out.l[i] = flags;
    });
    var last = DATA.lessons.indexOf(String(progress.last));
    if (last !== -1) out.t = last;
    var f = progress.final;
    if (f) out.f = [f.score, f.total, f.percent, f.passed ? 1 : 0, f.date];
    return JSON.stringify(out);
  }

  function unpack(text) {
    var progress = { lessons: {} };
    try {
      var data = JSON.parse(text);
      Object.keys(data.l || {}).forEach(function (i) {
        var id = DATA.lessons[i];
        if (id) progress.lessons[id] = { read: !!(data.l[i] & 1), checked: !!(data.l[i] & 2) };
      });
      if (data.t != null && DATA.lessons[data.t]) progress.last = DATA.lessons[data.t];
      if (data.f) {
        progress.final = { score: data.f[0], total: data.f[1], percent: data.f[2],
                           passed: !!data.f[3], date: data.f[4] };
      }
    } catch (e) { /* nothing stored yet, or not ours */ }
    return progress;
  }

  function readShare(progress) {
    if (!DATA.lessons.length) return 1;
    var read = DATA.lessons.filter(function (id) {
      var e = (progress.lessons || {})[id];
      return !!(e && (e.read || e.checked));
    });
    return read.length / DATA.lessons.length;
  }

  function lessonsReadAll(progress) { return readShare(progress) === 1; }

  function duration() {
    return "PT" + Math.round((Date.now() - started) / 100) / 10 + "S";
  }

  /* SCORM 1.2 and 2004: the same steps under different names. */
  function scorm(api, v2004) {
    var call = function (one, two) {
      var args = Array.prototype.slice.call(arguments, 2);
      var fn = api[v2004 ? two : one];
      return fn.apply(api, args);
    };
    var get = function (n12, n04) { return call("LMSGetValue", "GetValue", v2004 ? n04 : n12); };
    var set = function (n12, n04, value) {
      return call("LMSSetValue", "SetValue", v2004 ? n04 : n12, String(value));
    };
    call("LMSInitialize", "Initialize", "");
    var session = { progress: unpack(get("cmi.suspend_data", "cmi.suspend_data")) };
    session.location = get("cmi.core.lesson_location", "cmi.location") || "";
    var finished = false;

    function report(progress) {
      var f = progress.final, read = lessonsReadAll(progress);
      set("cmi.suspend_data", "cmi.suspend_data", pack(progress));
      if (v2004) {
        set("", "cmi.completion_status", read ? "completed" : "incomplete");
        set("", "cmi.progress_measure", readShare(progress).toFixed(2));
        set("", "cmi.success_status", f ? (f.passed ? "passed" : "failed") : "unknown");
      } else {
        var status = "incomplete";
        if (f) status = f.passed ? "passed" : "failed";
        else if (read && !DATA.questions.length) status = "completed";
        set("cmi.core.lesson_status", "", status);
      }
      if (f) {
        set("cmi.core.score.raw", "cmi.score.raw", f.percent);
        set("cmi.core.score.min", "cmi.score.min", 0);
        set("cmi.core.score.max", "cmi.score.max", 100);
        if (v2004) set("", "cmi.score.scaled", (f.percent / 100).toFixed(2));
      }
      call("LMSCommit", "Commit", "");
    }

    session.save = function (progress) { session.progress = progress; report(progress); };
    session.attempt = function () { /* reported with the progress it is saved in */ };
    session.visit = function (where) {
      set("cmi.core.lesson_location", "cmi.location", where);
      call("LMSCommit", "Commit", "");
    };
    session.finish = function () {
      if (finished) return;
      finished = true;
      if (!v2004) set("cmi.core.exit", "", "suspend");
      else set("", "cmi.exit", "suspend");
      if (!v2004) set("cmi.core.session_time", "", sessionTime12());
      else set("", "cmi.session_time", duration());
      call("LMSCommit", "Commit", "");
      call("LMSFinish", "Terminate", "");
    };
    return session;
  }

  function sessionTime12() {
    var s = Math.round((Date.now() - started) / 1000);
    var two = function (n) { return (n < 10 ? "0" : "") + n; };
    return two(Math.floor(s / 3600)) + ":" + two(Math.floor(s / 60) % 60) + ":" + two(s % 60);
  }

  function open(session) {
    window.TPMSession = session;
    var where = session && session.location;
    // Only a page of this package: a stored location is the module's own relative path.
    var safe = where && /^[\w\-\/]+\.html$/.test(where) && where.indexOf("..") === -1;
    frame.src = "../" + (safe ? where : "index.html");
    if (session) {
      window.addEventListener("pagehide", function () { session.finish(); });
    }
  }

  var api12 = findApi("API"), api2004 = findApi("API_1484_11");
  var params = new URLSearchParams(window.location.search);
  if (api2004) open(scorm(api2004, true));
  else if (api12) open(scorm(api12, false));
  else if (params.get("endpoint") && params.get("fetch") && window.TPMCmi5) {
    window.TPMCmi5.launch(params, DATA, duration, lessonsReadAll).then(open, function (error) {
      document.title = "Could not reach the LMS";
      frame.insertAdjacentHTML("beforebegin", "<p role='alert'>The LMS did not answer (" +
        String(error).replace(/[<&]/g, "") + "): your progress is not recorded.</p>");
      open(null);
    });
  } else open(null);
})();
