// Copy buttons (data-copy holds the text) and "select everyone on this page" checkboxes.
// Without JavaScript the buttons stay hidden: the link can still be selected and copied,
// and every checkbox can be ticked one by one.
(function () {
  "use strict";

  function announce(text) {
    var status = document.querySelector(".copy-status");
    if (status) status.textContent = text;
  }

  function selectField(button) {
    var field = document.getElementById(button.getAttribute("data-copy-target") || "");
    if (field) {
      field.focus();
      field.select();
    }
    return field;
  }

  function copy(button) {
    var text = button.getAttribute("data-copy");
    var done = function () { announce(button.getAttribute("data-copied")); };
    var failed = function () {
      var field = selectField(button);
      var ok = false;
      try { ok = field && document.execCommand("copy"); } catch (e) { ok = false; }
      announce(button.getAttribute(ok ? "data-copied" : "data-copy-failed"));
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, failed);
    } else {
      failed();
    }
  }

  function setUp() {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { copy(button); });
    });
    document.querySelectorAll("[data-select-all]").forEach(function (box) {
      var name = box.getAttribute("data-select-all");
      var boxes = document.querySelectorAll('input[type="checkbox"][name="' + name + '"]');
      if (!boxes.length) return;
      box.hidden = false;
      box.addEventListener("change", function () {
        boxes.forEach(function (b) { b.checked = box.checked; });
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
