// Check-in without reloading: every element with data-poll-url is fetched again every few
// seconds and replaced when its data-check-in-state changes (the student's code is confirmed,
// or a student checks in on the mentor's page). A fragment without data-poll-url is final.
// Progressive enhancement only: without JavaScript the pages work with a reload.
(function () {
  "use strict";
  var EVERY_MS = 5000;
  var GIVE_UP_AFTER_MS = 30 * 60 * 1000; // a page left open all day stops asking; a reload resumes
  var started = Date.now();

  function watch(element) {
    var url = element.getAttribute("data-poll-url");
    var busy = false;
    var timer = window.setInterval(function () {
      if (Date.now() - started > GIVE_UP_AFTER_MS) {
        window.clearInterval(timer);
        return;
      }
      // Nobody is looking, a request is on its way, or someone is typing a code in this card.
      if (document.hidden || busy || element.contains(document.activeElement)) {
        return;
      }
      busy = true;
      window
        .fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(String(response.status));
          }
          return response.text();
        })
        .then(function (html) {
          var holder = document.createElement("template");
          holder.innerHTML = html.trim();
          var fresh = holder.content.firstElementChild;
          if (!fresh || fresh.getAttribute("data-check-in-state") === element.getAttribute("data-check-in-state")) {
            return;
          }
          window.clearInterval(timer);
          element.replaceWith(fresh);
          if (fresh.hasAttribute("data-poll-url")) {
            element = fresh;
            watch(fresh);
          }
        })
        .catch(function () {
          // A network blip or a signed-out session: try again at the next tick.
        })
        .then(function () {
          busy = false;
        });
    }, EVERY_MS);
  }

  document.querySelectorAll("[data-poll-url]").forEach(watch);
})();
