// appraise workshop: live feedback only; every page works without this script.
(function () {
  "use strict";

  // Participant: as answers are chosen, ask the server (nothing is stored) for the CR and the weights.
  document.querySelectorAll("form.pairs").forEach(function (form) {
    var group = form.dataset.group, code = form.dataset.code;
    var box = document.querySelector('[data-status="' + group + '"]');
    form.addEventListener("change", function () {
      var judgments = [];
      form.querySelectorAll(".pair").forEach(function (pair) {
        var v = pair.querySelector("select").value;
        if (v !== "") judgments.push({row: pair.dataset.row, column: pair.dataset.col, value: v === "skip" ? null : v});
      });
      fetch("/s/" + code + "/preview", {
        method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json"},
        body: JSON.stringify({group: group, judgments: judgments})
      }).then(function (r) { return r.json(); }).then(function (data) {
        if (!box) return;
        var line = box.querySelector(".status-line");
        if (line) line.textContent = data.error || data.message;
        box.classList.toggle("inconsistent", data.consistent === false);
        box.classList.toggle("ok", data.status === "ok");
        form.querySelectorAll(".pair").forEach(function (pair) {
          var hit = (data.revisit || []).some(function (r) { return r.row === pair.dataset.row && r.column === pair.dataset.col; });
          pair.classList.toggle("revisit", hit);
        });
      }).catch(function () { /* the form still works: Save sends it */ });
    });
  });

  // Dashboard: when the answers change, fetch the page again and swap its content (inputs being typed into are kept).
  var dash = document.getElementById("dashboard");
  if (dash) {
    var code = dash.dataset.code;
    var poll = function () {
      // the next poll is planned when this one has finished (a slow answer never piles requests up)
      if (document.activeElement && document.activeElement.classList.contains("weight")) {
        setTimeout(poll, 3000);
        return;
      }
      fetch("/s/" + code + "/version.json", {credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (!data.version || data.version === dash.dataset.version) return;
          return fetch(location.pathname, {credentials: "same-origin"}).then(function (r) { return r.text(); })
            .then(function (html) {
              var doc = new DOMParser().parseFromString(html, "text/html");
              var fresh = doc.getElementById("dashboard");
              if (fresh) { dash.innerHTML = fresh.innerHTML; dash.dataset.version = fresh.dataset.version; }
            });
        }).catch(function () {}).then(function () { setTimeout(poll, 3000); });
    };
    setTimeout(poll, 3000);
  }
})();
