// The quiz page's enhancements; the page works without them.
// - Countdown: from the server's deadline and the server's "now" sent with the page, advanced by
//   the monotonic clock (never the device's wall clock). Announced once each, in a polite live
//   region, when 5 and 1 minutes are left; at the deadline the form is submitted with what it has.
// - Autosave: every change is kept in localStorage (per user and attempt) and sent to the page's
//   autosave endpoint; what the server acknowledges is removed. Offline, answers wait on this
//   device and are sent when the connection returns or on the next load before the deadline.
// - Submit once: a second click is ignored (the server's idempotency key covers the rest).
(function () {
  "use strict";

  function $(selector) { return document.querySelector(selector); }

  function storageGet(key) {
    try { return JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }
  function storageSet(key, value) {
    try { window.localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* full or off */ }
  }
  function storageRemove(key) {
    try { window.localStorage.removeItem(key); } catch (e) { /* off */ }
  }

  function guardDoubleSubmit(form, storageKey) {
    var sent = false;
    form.addEventListener("submit", function (event) {
      if (sent) { event.preventDefault(); return; }
      var submitter = event.submitter;
      var saving = submitter && submitter.value === "save";
      sent = true;
      if (!saving && storageKey) { storageRemove(storageKey); }
      window.setTimeout(function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) { b.setAttribute("aria-disabled", "true"); });
      }, 0);
    });
  }

  function answersOf(form) {
    var answers = [];
    form.querySelectorAll("fieldset.question").forEach(function (fieldset) {
      var inputs = fieldset.querySelectorAll("input[name^='q-']");
      if (!inputs.length) { return; }
      var questionId = inputs[0].name.slice(2);
      var chosen = [];
      inputs.forEach(function (input) { if (input.checked) { chosen.push(input.value); } });
      if (inputs[0].type === "checkbox") {
        answers.push({ question_id: questionId, selected_option_ids: chosen });
      } else {
        answers.push({ question_id: questionId, selected_option_id: chosen.length ? chosen[0] : null });
      }
    });
    return answers;
  }

  function applyAnswers(form, answers) {
    answers.forEach(function (answer) {
      var chosen = answer.selected_option_ids || (answer.selected_option_id ? [answer.selected_option_id] : []);
      form.querySelectorAll("input[name='q-" + answer.question_id + "']").forEach(function (input) {
        input.checked = chosen.indexOf(input.value) !== -1;
      });
    });
  }

  function clock(date) {
    return date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", hour12: false });
  }

  function setupAutosave(form, deadlineReached) {
    var url = form.getAttribute("data-autosave-url");
    var key = form.getAttribute("data-storage-key");
    var status = $("#autosave-status");
    var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    var inFlight = false;
    var again = false;
    var stopped = false;

    function say(text) { if (status) { status.textContent = text; } }

    function send() {
      var pending = storageGet(key);
      if (!pending || stopped) { return; }
      if (deadlineReached()) { return; }
      if (inFlight) { again = true; return; }
      inFlight = true;
      say("Saving...");
      var body = JSON.stringify({ answers: pending.answers });
      window.fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: body
      }).then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, status: response.status, data: data }; });
      }).then(function (result) {
        inFlight = false;
        if (result.ok) {
          var current = storageGet(key);
          if (current && current.version === pending.version) { storageRemove(key); }
          say("Saved " + clock(new Date(result.data.saved_at)));
        } else if (result.status === 429) {
          say("Saving again in a moment...");
          window.setTimeout(send, 5000);
        } else {
          stopped = result.status !== 401;
          say((result.data.error && result.data.error.message) || "Your answers could not be saved.");
        }
        if (again) { again = false; send(); }
      }).catch(function () {
        inFlight = false;
        again = false;
        say("Offline: your answers are kept on this device and will be saved when you reconnect.");
      });
    }

    form.addEventListener("change", function () {
      storageSet(key, { answers: answersOf(form), version: Date.now() + Math.random() });
      send();
    });
    window.addEventListener("online", send);
    var kept = storageGet(key);
    if (kept && !deadlineReached()) {
      applyAnswers(form, kept.answers);
      send();
    }
  }

  function setupTimer(form) {
    var timer = $("#timer");
    if (!timer) { return function () { return false; }; }
    var remainingAtLoad = Number(timer.getAttribute("data-deadline-ms")) - Number(timer.getAttribute("data-server-now-ms"));
    var loadedAt = window.performance.now();
    var announcer = $("#timer-announcer");
    var box = $("#timer-box");
    var announced = {};
    var done = false;
    // A mark already passed when the page loads is not announced late (the countdown shows
    // the time); only the marks crossed while the page is open are.
    [5, 1].forEach(function (mark) {
      if (remainingAtLoad <= mark * 60000) {
        announced[mark] = true;
        if (box) { box.classList.add("is-urgent"); }
      }
    });

    function left() { return remainingAtLoad - (window.performance.now() - loadedAt); }

    function tick() {
      var ms = Math.max(left(), 0);
      var total = Math.ceil(ms / 1000);
      var minutes = Math.floor(total / 60);
      var seconds = total % 60;
      timer.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
      timer.setAttribute("aria-label", minutes + " minutes " + seconds + " seconds left");
      [5, 1].forEach(function (mark) {
        if (ms <= mark * 60000 && ms > 0 && !announced[mark]) {
          announced[mark] = true;
          if (announcer) { announcer.textContent = mark + (mark === 1 ? " minute" : " minutes") + " left."; }
          if (box) { box.classList.add("is-urgent"); }
        }
      });
      if (ms <= 0 && !done) {
        done = true;
        if (announcer) { announcer.textContent = "Time is up. Submitting your answers."; }
        var action = document.createElement("input");
        action.type = "hidden";
        action.name = "action";
        action.value = "timeout";
        form.appendChild(action);
        storageRemove(form.getAttribute("data-storage-key"));
        form.submit();
        return;
      }
      window.setTimeout(tick, 1000 - (Math.round(window.performance.now() - loadedAt) % 1000));
    }
    tick();
    return function () { return left() <= 0; };
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = $("#quiz-form");
    if (form) {
      var deadlineReached = setupTimer(form);
      setupAutosave(form, deadlineReached);
      guardDoubleSubmit(form, form.getAttribute("data-storage-key"));
    }
    var confirm = $("#confirm-form");
    if (confirm) { guardDoubleSubmit(confirm, confirm.getAttribute("data-storage-key")); }
  });
})();
