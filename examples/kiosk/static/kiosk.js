// Reload the page when the kiosk has something new: a card read, removed,
// or a reading started. No framework: one fetch a second.
(function () {
  "use strict";
  var seq = document.body.dataset.seq;
  setInterval(function () {
    fetch("/state", { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (s) { if (String(s.seq) !== seq) { location.reload(); } })
      .catch(function () {});
  }, 1000);
})();
