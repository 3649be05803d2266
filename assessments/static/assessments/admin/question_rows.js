// The assessment page: choosing "True / false" as a question's type fills its first two empty
// option texts with "True" and "False". The page works without this script: the server gives
// empty texts of a true/false question the same defaults.
"use strict";
document.addEventListener("change", function (event) {
  var select = event.target;
  if (!(select instanceof HTMLSelectElement) || !/-type$/.test(select.name)) {
    return;
  }
  if (select.value !== "true_false") {
    return;
  }
  var prefix = select.name.replace(/-type$/, "") + "-options-";
  ["True", "False"].forEach(function (text, index) {
    var input = document.querySelector('input[name="' + prefix + index + '-text"]');
    if (input && input.value === "") {
      input.value = text;
    }
  });
});
