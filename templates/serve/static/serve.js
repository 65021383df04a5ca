// slp serve: live updates by polling; every page works without this file (plain forms, a refresh).
(function () {
  "use strict";
  var body = document.body;
  var poll = body.getAttribute("data-poll");
  if (!poll || !window.fetch) { return; }
  var presenter = body.getAttribute("data-kind") === "presenter";
  var seen = body.getAttribute("data-version");
  function check() {
    fetch(poll, { cache: "no-store", credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (text) {
        if (text === null) { return; }
        if (presenter) {
          var panel = document.getElementById("panel");
          // The panel is rendered and escaped by the server's templates.
          if (panel && panel.innerHTML !== text) { panel.innerHTML = text; }
        } else if (text !== seen) {
          // The moderator moved the room: show the new question (a typed note stays only if sent).
          var note = document.getElementById("note");
          if (!note || !note.value || note.defaultValue === note.value) { window.location.reload(); }
        }
      })
      .catch(function () { /* offline for a moment: try again at the next tick */ });
  }
  var interval = parseInt(body.getAttribute("data-interval"), 10) || 1500;
  window.setInterval(check, Math.max(100, interval));
})();
