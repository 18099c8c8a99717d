/* cmi5 for the LMS package's launch page (static/js/lms-session.js): the AU's side of the
   cmi5 launch contract. Read the launch parameters, POST the fetch URL for the auth token,
   read LMS.LaunchData from the LRS's State API, send "initialized"; then "completed" once
   every lesson is read, "failed"/"passed" for final check attempts (nothing after a pass),
   and "terminated" when the learner leaves. Each statement carries the LMS's context
   template, the registration and the cmi5 category. Progress is kept in the State API. */
(function () {
  "use strict";
  var VERBS = {
    initialized: "http://adlnet.gov/expapi/verbs/initialized",
    completed: "http://adlnet.gov/expapi/verbs/completed",
    passed: "http://adlnet.gov/expapi/verbs/passed",
    failed: "http://adlnet.gov/expapi/verbs/failed",
    terminated: "http://adlnet.gov/expapi/verbs/terminated"
  };
  var CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5";
  var MOVE_ON = "https://w3id.org/xapi/cmi5/context/categories/moveon";
  var STATE = "https://tpm-module.example/state/progress";

  function uuid() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, function (c) {
      var r = Math.random() * 16 | 0;
      return (c === "x" ? r : (r & 0x3 | 0x8)).toString(16);
    });
  }

  function launch(params, DATA, duration, lessonsRead) {
    var endpoint = params.get("endpoint").replace(/\/?$/, "/");
    var actor = JSON.parse(params.get("actor"));
    var registration = params.get("registration");
    var activityId = params.get("activityId");
    var token = null, launchData = {}, sentPassed = false, sentCompleted = false;
    var headers = function () {
      return { "Authorization": "Basic " + token, "X-Experience-API-Version": "1.0.3",
               "Content-Type": "application/json" };
    };
    var stateUrl = function (stateId) {
      return endpoint + "activities/state?" + new URLSearchParams({
        stateId: stateId, activityId: activityId, agent: JSON.stringify(actor),
        registration: registration
      }).toString();
    };
    var ok = function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response;
    };

    function statement(verb, result, moveOn) {
      var context = JSON.parse(JSON.stringify(launchData.contextTemplate || {}));
      context.registration = registration;
      context.contextActivities = context.contextActivities || {};
      var category = context.contextActivities.category || [];
      category.push({ id: CMI5 });
      if (moveOn) category.push({ id: MOVE_ON });
      context.contextActivities.category = category;
      var body = {
        id: uuid(), actor: actor, timestamp: new Date().toISOString(),
        verb: { id: VERBS[verb], display: { "en-US": verb } },
        object: { id: activityId, objectType: "Activity" }, context: context
      };
      if (result) body.result = result;
      return body;
    }

    function send(verb, result, moveOn, keepalive) {
      return fetch(endpoint + "statements", {
        method: "POST", headers: headers(), keepalive: !!keepalive,
        body: JSON.stringify(statement(verb, result, moveOn))
      }).then(ok);
    }

    // Statements go one after another, in the order they happened.
    var queue = Promise.resolve();
    function later(verb, result, moveOn) {
      queue = queue.then(function () { return send(verb, result, moveOn); })
        .catch(function () { /* the LMS keeps what arrived; the module goes on */ });
    }

    var normal = function () { return (launchData.launchMode || "Normal") === "Normal"; };
    var session = { progress: { lessons: {} }, location: "" };
    session.save = function (progress) {
      session.progress = progress;
      fetch(stateUrl(STATE), { method: "PUT", headers: headers(), body: JSON.stringify(progress) })
        .catch(function () { /* progress is a convenience */ });
      if (normal() && !sentCompleted && lessonsRead(progress)) {
        sentCompleted = true;
        later("completed", { completion: true, duration: duration() }, true);
      }
    };
    session.attempt = function (result) {
      if (!normal() || sentPassed) return;
      var scaled = result.total ? result.score / result.total : 0;
      var mastery = launchData.masteryScore;
      var passed = mastery != null ? scaled >= mastery : result.passed;
      sentPassed = passed;
      later(passed ? "passed" : "failed", {
        success: passed, duration: duration(),
        score: { scaled: Math.round(scaled * 10000) / 10000, raw: result.score, min: 0,
                 max: result.total }
      }, true);
    };
    session.visit = function () { /* cmi5 has no location: the State API keeps progress */ };
    var finished = false;
    session.finish = function () {
      if (finished) return;
      finished = true;
      queue = queue.then(function () {
        return send("terminated", { duration: duration() }, false, true);
      });
    };

    return fetch(params.get("fetch"), { method: "POST" }).then(ok)
      .then(function (r) { return r.json(); })
      .then(function (body) {
        if (!body["auth-token"]) throw new Error(body["error-text"] || "no auth-token");
        token = body["auth-token"];
        return fetch(stateUrl("LMS.LaunchData"), { headers: headers() }).then(ok);
      })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        launchData = data || {};
        return fetch(stateUrl(STATE), { headers: headers() });
      })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (stored) {
        if (stored && stored.lessons) session.progress = stored;
        return send("initialized");
      })
      .then(function () {
        sentCompleted = lessonsRead(session.progress);
        sentPassed = !!(session.progress.final && session.progress.final.passed);
        return session;
      });
  }

  window.TPMCmi5 = { launch: launch };
})();
