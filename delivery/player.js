/* Casebook's scenario player: shows a real (redacted) case, asks what the learner would reply,
   reveals the real reply, the coach's answer and the best peer answers, asks a self-assessment
   against the objectives and reports to the LMS: SCORM 1.2 (API), SCORM 2004 (API_1484_11) or
   cmi5 (xAPI over fetch). Renders with textContent only; no network other than the LMS's own. */
(function () {
  "use strict";

  var DATA = JSON.parse(document.getElementById("casebook-data").textContent);
  var T = DATA.ui;
  var S = DATA.scenario;
  var ROOT = document.getElementById("casebook-player");
  var STARTED = Date.now();
  var POINTS = { yes: 2, partly: 1, no: 0 };
  var DEFAULT_MASTERY = 0.6;

  // ------------------------------------------------------------------ finding the LMS's API

  function scan(win, name) {
    // ADL's algorithm: walk up the frames, at most 500 levels; a cross-origin frame stops it.
    var tries = 0;
    try {
      while (win && !win[name] && win.parent && win.parent !== win && tries < 500) {
        tries += 1;
        win = win.parent;
      }
      return (win && win[name]) || null;
    } catch (e) {
      return null;
    }
  }

  function findApi(name) {
    var api = scan(window, name);
    try {
      if (!api && window.opener) api = scan(window.opener, name);
      if (!api && window.top && window.top.opener) api = scan(window.top.opener, name);
    } catch (e) {
      /* opener of another origin */
    }
    return api;
  }

  function pad(n, width) {
    var s = String(Math.floor(n));
    while (s.length < width) s = "0" + s;
    return s;
  }

  function elapsed() {
    return Math.max(0, (Date.now() - STARTED) / 1000);
  }

  function scorm12Time(seconds) {
    var h = Math.floor(seconds / 3600);
    var m = Math.floor((seconds % 3600) / 60);
    var s = seconds % 60;
    return pad(h, 4) + ":" + pad(m, 2) + ":" + pad(s, 2) + "." + pad((s * 100) % 100, 2);
  }

  function isoDuration(seconds) {
    return "PT" + (Math.round(seconds * 100) / 100) + "S";
  }

  function isoTimestamp(date) {
    return date.toISOString().replace(/\.\d{3}Z$/, "");
  }

  // ------------------------------------------------------------------ runtimes

  function scorm12() {
    var api = findApi("API");
    if (!api) return null;
    var interaction = "reply-" + S.id;
    return {
      name: "scorm12",
      start: function () {
        api.LMSInitialize("");
        var resume = null;
        if (api.LMSGetValue("cmi.core.entry") === "resume") {
          try { resume = JSON.parse(api.LMSGetValue("cmi.suspend_data") || "null"); } catch (e) { resume = null; }
        }
        if (api.LMSGetValue("cmi.core.lesson_status") === "not attempted") {
          api.LMSSetValue("cmi.core.lesson_status", "incomplete");
        }
        var mastery = parseFloat(api.LMSGetValue("cmi.student_data.mastery_score"));
        return Promise.resolve({ resume: resume, mastery: isNaN(mastery) ? null : mastery / 100 });
      },
      save: function (state) {
        // suspend_data holds at most 4096 characters in SCORM 1.2
        var text = JSON.stringify(state);
        if (text.length > 4096) text = JSON.stringify(Object.assign({}, state, { answer: state.answer.slice(0, 3000) }));
        api.LMSSetValue("cmi.suspend_data", text);
        api.LMSSetValue("cmi.core.lesson_location", state.step);
        api.LMSCommit("");
        return Promise.resolve();
      },
      finish: function (result) {
        var n = parseInt(api.LMSGetValue("cmi.interactions._count"), 10) || 0;
        var p = "cmi.interactions." + n + ".";
        api.LMSSetValue(p + "id", interaction);
        api.LMSSetValue(p + "type", "fill-in");
        api.LMSSetValue(p + "student_response", result.answer.slice(0, 255));
        api.LMSSetValue(p + "result", "neutral");
        api.LMSSetValue(p + "time", new Date().toTimeString().slice(0, 8));
        api.LMSSetValue("cmi.core.score.min", "0");
        api.LMSSetValue("cmi.core.score.max", "100");
        api.LMSSetValue("cmi.core.score.raw", String(Math.round(result.score * 100)));
        api.LMSSetValue("cmi.core.lesson_status", result.passed ? "passed" : "failed");
        api.LMSSetValue("cmi.suspend_data", JSON.stringify(result.state));
        api.LMSSetValue("cmi.core.exit", "");
        api.LMSSetValue("cmi.core.session_time", scorm12Time(elapsed()));
        api.LMSCommit("");
        api.LMSFinish("");
        return Promise.resolve();
      },
      leave: function (state) {
        api.LMSSetValue("cmi.suspend_data", JSON.stringify(state));
        api.LMSSetValue("cmi.core.exit", "suspend");
        api.LMSSetValue("cmi.core.session_time", scorm12Time(elapsed()));
        api.LMSCommit("");
        api.LMSFinish("");
      },
    };
  }

  function scorm2004() {
    var api = findApi("API_1484_11");
    if (!api) return null;
    var interaction = "urn:casebook:scenario:" + S.id + ":reply";
    return {
      name: "scorm2004",
      start: function () {
        api.Initialize("");
        var resume = null;
        if (api.GetValue("cmi.entry") === "resume") {
          try { resume = JSON.parse(api.GetValue("cmi.suspend_data") || "null"); } catch (e) { resume = null; }
        }
        var mastery = parseFloat(api.GetValue("cmi.scaled_passing_score"));
        return Promise.resolve({ resume: resume, mastery: isNaN(mastery) ? null : mastery });
      },
      save: function (state) {
        api.SetValue("cmi.suspend_data", JSON.stringify(state));
        api.SetValue("cmi.location", state.step);
        api.SetValue("cmi.completion_status", "incomplete");
        api.Commit("");
        return Promise.resolve();
      },
      finish: function (result) {
        var n = parseInt(api.GetValue("cmi.interactions._count"), 10) || 0;
        var p = "cmi.interactions." + n + ".";
        api.SetValue(p + "id", interaction);
        api.SetValue(p + "type", "long-fill-in");
        api.SetValue(p + "description", S.question.slice(0, 250));
        api.SetValue(p + "learner_response", result.answer.slice(0, 4000));
        api.SetValue(p + "result", "neutral");
        api.SetValue(p + "timestamp", isoTimestamp(new Date()));
        api.SetValue("cmi.score.min", "0");
        api.SetValue("cmi.score.max", "100");
        api.SetValue("cmi.score.raw", String(Math.round(result.score * 100)));
        api.SetValue("cmi.score.scaled", String(Math.round(result.score * 100) / 100));
        api.SetValue("cmi.completion_status", "completed");
        api.SetValue("cmi.success_status", result.passed ? "passed" : "failed");
        api.SetValue("cmi.suspend_data", JSON.stringify(result.state));
        api.SetValue("cmi.exit", "normal");
        api.SetValue("cmi.session_time", isoDuration(elapsed()));
        api.Commit("");
        api.Terminate("");
        return Promise.resolve();
      },
      leave: function (state) {
        api.SetValue("cmi.suspend_data", JSON.stringify(state));
        api.SetValue("cmi.exit", "suspend");
        api.SetValue("cmi.session_time", isoDuration(elapsed()));
        api.Commit("");
        api.Terminate("");
      },
    };
  }

  function uuid() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, function (c) {
      var r = (Math.random() * 16) | 0;
      return (c === "x" ? r : (r & 0x3) | 0x8).toString(16);
    });
  }

  function cmi5() {
    var q = new URLSearchParams(window.location.search);
    var endpoint = q.get("endpoint");
    var fetchUrl = q.get("fetch");
    if (!endpoint || !fetchUrl || !q.get("actor") || !q.get("registration") || !q.get("activityId")) return null;
    endpoint = endpoint.replace(/\/?$/, "/");
    var actor = JSON.parse(q.get("actor"));
    var registration = q.get("registration");
    var activityId = q.get("activityId");
    var auth = null;
    var launch = {};
    var CATEGORY_MOVEON = { id: "https://w3id.org/xapi/cmi5/context/categories/moveon" };
    var MASTERY = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore";
    var VERB = function (name) {
      return { id: "http://adlnet.gov/expapi/verbs/" + name, display: { "en-US": name } };
    };

    function headers() {
      return {
        Authorization: auth,
        "X-Experience-API-Version": "1.0.3",
        "Content-Type": "application/json",
      };
    }

    function stateUrl(stateId) {
      return endpoint + "activities/state?" + new URLSearchParams({
        stateId: stateId, activityId: activityId, agent: JSON.stringify(actor), registration: registration,
      }).toString();
    }

    function context(moveOn, extra) {
      var ctx = JSON.parse(JSON.stringify(launch.contextTemplate || {}));
      ctx.registration = registration;
      if (moveOn) {
        ctx.contextActivities = ctx.contextActivities || {};
        ctx.contextActivities.category = (ctx.contextActivities.category || []).concat([CATEGORY_MOVEON]);
      }
      if (extra) ctx.extensions = Object.assign({}, ctx.extensions || {}, extra);
      return ctx;
    }

    function send(verb, result, ctx, object) {
      var statement = {
        id: uuid(),
        actor: actor,
        verb: VERB(verb),
        object: object || { id: activityId, objectType: "Activity" },
        context: ctx,
        timestamp: new Date().toISOString(),
      };
      if (result) statement.result = result;
      return fetch(endpoint + "statements", {
        method: "POST", headers: headers(), body: JSON.stringify(statement),
      }).then(function (r) {
        if (!r.ok) throw new Error("LRS refused the " + verb + " statement: " + r.status);
      });
    }

    return {
      name: "cmi5",
      start: function () {
        return fetch(fetchUrl, { method: "POST" })
          .then(function (r) { return r.json(); })
          .then(function (body) {
            if (!body["auth-token"]) throw new Error("the LMS gave no auth-token");
            auth = "Basic " + body["auth-token"];
            return fetch(stateUrl("LMS.LaunchData"), { headers: headers() });
          })
          .then(function (r) { return r.json(); })
          .then(function (data) {
            launch = data || {};
            return send("initialized", null, context(false));
          })
          .then(function () {
            return fetch(stateUrl("casebook.progress"), { headers: headers() })
              .then(function (r) { return r.ok ? r.json() : null; })
              .catch(function () { return null; });
          })
          .then(function (resume) {
            var mastery = typeof launch.masteryScore === "number" ? launch.masteryScore : null;
            return { resume: resume, mastery: mastery };
          });
      },
      save: function (state) {
        return fetch(stateUrl("casebook.progress"), {
          method: "PUT", headers: headers(), body: JSON.stringify(state),
        });
      },
      finish: function (result) {
        var duration = isoDuration(elapsed());
        var normal = !launch.launchMode || launch.launchMode === "Normal";
        var mastery = typeof launch.masteryScore === "number" ? launch.masteryScore : null;
        var extra = mastery === null ? null : {};
        if (extra) extra[MASTERY] = mastery;
        var chain = send("answered", { response: result.answer.slice(0, 4000) }, context(false), {
          id: activityId + "/reply",
          objectType: "Activity",
          definition: {
            type: "http://adlnet.gov/expapi/activities/cmi.interaction",
            interactionType: "long-fill-in",
            description: { [DATA.lang]: S.question },
          },
        });
        if (normal) {
          chain = chain
            .then(function () { return send("completed", { completion: true, duration: duration }, context(true)); })
            .then(function () {
              return send(result.passed ? "passed" : "failed", {
                score: { scaled: Math.round(result.score * 100) / 100 },
                success: result.passed,
                duration: duration,
              }, context(true, extra));
            });
        }
        return chain
          .then(function () { return send("terminated", { duration: isoDuration(elapsed()) }, context(false)); })
          .then(function () { if (launch.returnURL) window.location.href = launch.returnURL; });
      },
      leave: function () {
        if (!auth) return;
        // a page closing may not finish a fetch: keepalive lets this last statement through
        fetch(endpoint + "statements", {
          method: "POST", headers: headers(), keepalive: true,
          body: JSON.stringify({
            id: uuid(), actor: actor, verb: VERB("terminated"),
            object: { id: activityId, objectType: "Activity" }, context: context(false),
            result: { duration: isoDuration(elapsed()) }, timestamp: new Date().toISOString(),
          }),
        });
      },
    };
  }

  function offline() {
    return {
      name: "none",
      start: function () { return Promise.resolve({ resume: null, mastery: null }); },
      save: function () { return Promise.resolve(); },
      finish: function () { return Promise.resolve(); },
      leave: function () {},
    };
  }

  var RUNTIMES = { scorm12: scorm12, scorm2004: scorm2004, cmi5: cmi5 };
  var LMS = (RUNTIMES[DATA.runtime] && RUNTIMES[DATA.runtime]()) || offline();

  // ------------------------------------------------------------------ rendering (textContent only)

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "class") node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  function turn(t) {
    return el("div", { class: "turn " + (t.role === "customer" ? "customer" : "agent") }, [
      el("div", { class: "speaker", text: t.speaker }),
      el("div", { class: "text", text: t.text }),
    ]);
  }

  function section(title, nodes, cls) {
    return el("section", { class: cls || "" }, [el("h2", { text: title })].concat(nodes));
  }

  var state = { step: "case", answer: "", marks: {} };

  function caseView() {
    var facts = el("dl", { class: "facts" }, [
      el("dt", { text: T.situation }), el("dd", { text: S.situation }),
      el("dt", { text: T.channel }), el("dd", { text: S.channel }),
      S.customer_wants ? el("dt", { text: T.wants }) : null,
      S.customer_wants ? el("dd", { text: S.customer_wants }) : null,
    ]);
    var cues = S.cues.length
      ? el("div", { class: "cues" }, [
          el("h3", { text: T.cues }),
          el("ul", {}, S.cues.map(function (c) { return el("li", { text: c }); })),
        ])
      : null;
    return section(T.case, [facts, el("div", { class: "turns" }, S.turns.map(turn)), cues], "case");
  }

  function render() {
    ROOT.textContent = "";
    ROOT.appendChild(el("h1", { text: S.title }));
    if (LMS.name === "none") ROOT.appendChild(el("p", { class: "notice", text: T.no_lms }));
    if (state.resumed) ROOT.appendChild(el("p", { class: "notice", text: T.resume }));
    ROOT.appendChild(caseView());
    if (state.step === "case") return renderQuestion();
    renderReveal();
    if (state.step === "done") renderDone();
  }

  function renderQuestion() {
    var box = el("textarea", { id: "answer", rows: "6", placeholder: T.placeholder, "aria-label": T.your_reply });
    box.value = state.answer;
    var warn = el("p", { class: "warn", role: "alert" });
    var button = el("button", { id: "submit", type: "button", text: T.submit });
    box.addEventListener("input", function () { state.answer = box.value; });
    button.addEventListener("click", function () {
      state.answer = box.value.trim();
      if (!state.answer) { warn.textContent = T.empty; return; }
      state.step = "reveal";
      LMS.save(state);
      render();
    });
    ROOT.appendChild(section(S.question, [box, warn, button], "question"));
  }

  function renderReveal() {
    ROOT.appendChild(section(T.your_reply, [el("p", { class: "mine", text: state.answer })], "mine"));
    if (S.real_reply) {
      var followed = S.outcome.length
        ? [el("h3", { text: T.what_followed }), el("div", { class: "turns" }, S.outcome.map(turn))]
        : [];
      ROOT.appendChild(section(T.real_reply, [el("p", { class: "real", text: S.real_reply })].concat(followed), "real"));
    }
    if (S.coach_answer) ROOT.appendChild(section(T.coach_answer, [el("p", { class: "coach", text: S.coach_answer })], "coach"));
    if (S.peers.length) {
      ROOT.appendChild(section(T.peer_answers, [el("ol", { class: "peers" }, S.peers.map(function (p) {
        var badge = (p.coach_pick ? T.coach_pick + " · " : "") + p.votes + " " + T.votes;
        return el("li", {}, [el("p", { text: p.text }), el("small", { text: badge })]);
      }))], "peers"));
    }
    if (DATA.branching) ROOT.appendChild(branchingView(DATA.branching));
    renderSelfCheck();
  }

  function renderSelfCheck() {
    var done = state.step === "done";
    var rows = S.objectives.map(function (o, i) {
      var name = "objective-" + i;
      var options = ["yes", "partly", "no"].map(function (mark) {
        var input = el("input", { type: "radio", name: name, value: mark, id: name + "-" + mark });
        input.checked = state.marks[i] === mark;
        input.disabled = done;
        input.addEventListener("change", function () { state.marks[i] = mark; });
        return el("label", { for: name + "-" + mark }, [input, document.createTextNode(" " + T[mark])]);
      });
      return el("fieldset", { class: "objective" }, [el("legend", { text: (T[o.axis] ? T[o.axis] + ": " : "") + o.text })].concat(options));
    });
    var warn = el("p", { class: "warn", role: "alert" });
    var button = el("button", { id: "finish", type: "button", text: T.finish });
    button.disabled = done;
    button.addEventListener("click", function () {
      if (S.objectives.some(function (_, i) { return !state.marks[i]; })) { warn.textContent = T.answer_all; return; }
      button.disabled = true;
      finish();
    });
    ROOT.appendChild(section(T.self_check, rows.concat([warn, button]), "selfcheck"));
  }

  function score() {
    if (!S.objectives.length) return 1;
    var total = S.objectives.reduce(function (sum, _, i) { return sum + POINTS[state.marks[i]]; }, 0);
    return total / (2 * S.objectives.length);
  }

  function finish() {
    var value = score();
    var passed = value >= (state.mastery === null || state.mastery === undefined ? DEFAULT_MASTERY : state.mastery);
    state.step = "done";
    state.score = value;
    LMS.finish({ answer: state.answer, score: value, passed: passed, state: { step: "done", answer: state.answer, marks: state.marks, score: value } })
      .then(function () { state.finished = true; render(); })
      .catch(function (e) { state.error = String(e); render(); });
  }

  function renderDone() {
    var text = state.error ? state.error : LMS.name === "none" ? T.done_offline : T.done;
    ROOT.appendChild(section(T.score + ": " + Math.round((state.score || 0) * 100) + " %", [el("p", { id: "done", class: state.error ? "warn" : "done", text: text })], "done"));
  }

  // ------------------------------------------------------------------ branching simulation

  function branchingView(graph) {
    var box = el("section", { class: "branching" });
    function show(id) {
      box.textContent = "";
      box.appendChild(el("h2", { text: T.branching }));
      box.appendChild(el("p", { text: T.branching_intro }));
      var node = graph.nodes[id];
      box.appendChild(el("div", { class: "turns" }, node.say.map(turn)));
      if (node.feedback) box.appendChild(el("p", { class: "feedback " + (node.quality || ""), text: node.feedback }));
      if (!node.choices.length) {
        box.appendChild(el("p", { class: "end", text: T.end }));
        var again = el("button", { type: "button", class: "restart", text: T.restart });
        again.addEventListener("click", function () { show(graph.start); });
        box.appendChild(again);
        return;
      }
      box.appendChild(el("div", { class: "choices" }, node.choices.map(function (c, i) {
        var b = el("button", { type: "button", class: "choice", "data-choice": String(i), text: c.text });
        b.addEventListener("click", function () { show(c.next); });
        return b;
      })));
    }
    show(graph.start);
    return box;
  }

  // ------------------------------------------------------------------ start

  LMS.start()
    .then(function (got) {
      state.mastery = got.mastery;
      if (got.resume && got.resume.step) {
        state.step = got.resume.step === "done" ? "reveal" : got.resume.step;
        state.answer = got.resume.answer || "";
        state.marks = got.resume.marks || {};
        state.resumed = true;
      }
      render();
    })
    .catch(function (e) {
      ROOT.textContent = "";
      ROOT.appendChild(el("p", { class: "warn", text: String(e) }));
    });

  window.addEventListener("pagehide", function () {
    if (state.step !== "done" && !state.left) {
      state.left = true;
      LMS.leave({ step: state.step, answer: state.answer, marks: state.marks });
    }
  });

  window.casebookPlayer = { state: state, runtime: LMS.name };
})();
