// While a board pack is being made, ask for its progress and reload once it is ready.
(function () {
  var box = document.getElementById("report");
  if (!box || box.dataset.done === "true") { return; }
  function poll() {
    fetch(box.dataset.statusUrl, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (data) {
      if (data.status === "ready" || data.status === "failed") { window.location.reload(); return; }
      var bar = box.querySelector(".progress-bar");
      if (bar) { bar.value = data.progress; bar.textContent = data.progress + "%"; }
      var figure = box.querySelector(".progress-bar + .meta");
      if (figure) { figure.textContent = data.progress + "%"; }
      window.setTimeout(poll, 1500);
    }).catch(function () { window.setTimeout(poll, 4000); });
  }
  window.setTimeout(poll, 1000);
})();
