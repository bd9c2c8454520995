// Guards against a double click sending the same step twice (the server is idempotent
// anyway; this only keeps the page calm) and moves focus to the error summary.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
  document.querySelectorAll("form.wizard-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.submitting === "1") { event.preventDefault(); return; }
      form.dataset.submitting = "1";
      window.setTimeout(function () { form.dataset.submitting = ""; }, 4000);
    });
  });
});
