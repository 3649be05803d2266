// Every page: focus the error summary when one is shown, show times in the reader's own time
// zone (the page says them in UTC, for readers without JavaScript), and forget unsynced quiz
// answers on sign-out (computers may be shared).
(function () {
  "use strict";
  function localTimes() {
    var times = document.querySelectorAll("time[data-local][datetime]");
    for (var i = 0; i < times.length; i++) {
      var when = new Date(times[i].getAttribute("datetime"));
      if (isNaN(when.getTime())) { continue; }
      var options = { hour: "2-digit", minute: "2-digit", hour12: false, timeZoneName: "short" };
      if (times[i].getAttribute("data-local") === "datetime") {
        options.year = "numeric"; options.month = "2-digit"; options.day = "2-digit";
      }
      times[i].textContent = when.toLocaleString([], options);
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    localTimes();
    var summary = document.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
    var signOut = document.querySelector("[data-sign-out]");
    if (signOut) {
      signOut.addEventListener("submit", function () {
        try {
          var prefix = "lms:answers:" + signOut.getAttribute("data-user-id") + ":";
          for (var i = window.localStorage.length - 1; i >= 0; i--) {
            var key = window.localStorage.key(i);
            if (key && key.indexOf(prefix) === 0) { window.localStorage.removeItem(key); }
          }
        } catch (e) { /* storage unavailable: nothing kept */ }
      });
    }
  });
})();
