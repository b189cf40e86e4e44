// AI Diffusion dashboard: progressive enhancement only. Every page works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // Print buttons (hidden without script).
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  // Quick filter over a table's rows.
  document.querySelectorAll("input[data-filter-table]").forEach(function (input) {
    var table = document.getElementById(input.getAttribute("data-filter-table"));
    if (!table) { return; }
    var box = input.closest(".js-only");
    if (box) { box.hidden = false; }
    input.addEventListener("input", function () {
      var needle = input.value.trim().toLowerCase();
      table.querySelectorAll("tbody tr").forEach(function (row) {
        row.hidden = needle !== "" && row.textContent.toLowerCase().indexOf(needle) === -1;
      });
    });
  });

  // Release form: a number that names an existing licence disables the new-licence fields and
  // shows what remains on it.
  document.querySelectorAll("form[data-release-form]").forEach(function (form) {
    var number = form.querySelector("input[name=licence_number]");
    var fieldset = form.querySelector("fieldset[data-new-licence]");
    var hint = document.getElementById("licence-match");
    var list = document.getElementById("licence-options");
    if (!number || !fieldset || !hint) { return; }
    var original = hint.textContent;
    function update() {
      var match = null;
      if (list) {
        list.querySelectorAll("option").forEach(function (option) {
          if (option.value === number.value.trim()) { match = option; }
        });
      }
      fieldset.disabled = match !== null;
      hint.textContent = match ? "Existing licence: " + match.textContent : original;
    }
    number.addEventListener("input", update);
    update();
  });
});
