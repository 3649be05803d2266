// Every page: focus the error summary when one is shown, and forget unsynced quiz answers on
// sign-out (computers may be shared).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
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
