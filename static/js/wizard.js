// Picking a level needs no arrow keys: on a statement's options, typing 1 to 5 chooses that
// level and 0 "don't know" (Tab moves on to the next statement).
// Also guards against a double click sending the same step twice (the server is idempotent
// anyway; this only keeps the page calm) and moves focus to the error summary.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!input || input.type !== "radio" || !input.closest(".level-choice")) { return; }
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var value = event.key === "0" ? "na" : event.key;
    if (!/^(na|[1-5])$/.test(value)) { return; }
    var group = input.closest(".level-choice");
    var target = group.querySelector('input[value="' + value + '"]');
    if (!target) { return; }
    event.preventDefault();
    target.checked = true;
    target.focus();
    target.dispatchEvent(new Event("change", {bubbles: true}));
  });
  document.querySelectorAll("form.wizard-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.submitting === "1") { event.preventDefault(); return; }
      form.dataset.submitting = "1";
      window.setTimeout(function () { form.dataset.submitting = ""; }, 4000);
    });
  });
});
