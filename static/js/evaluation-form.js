/* The mentor's evaluation form: saves the draft a few seconds after each change, and keeps what
   was not sent yet on this phone (localStorage), so a dropped shop Wi-Fi loses nothing. Sends
   again when the connection comes back; a newer copy kept on the phone is restored on load.
   Progressive enhancement: without JavaScript the form still submits. Messages come translated
   from the page's data-msg-* attributes. */
(function () {
  "use strict";
  var DELAY_MS = 2500;
  var RETRY_MS = 15000;

  var form = document.querySelector("form[data-evaluation-form]");
  if (!form) {
    return;
  }
  var key = form.getAttribute("data-storage-key");
  var url = form.getAttribute("data-autosave-url");
  var status = form.querySelector("[data-autosave-status]");
  var revision = form.querySelector("input[name=revision]");
  var timer = null;
  var inFlight = null;
  var dirty = false;

  function say(name, time) {
    var text = form.getAttribute("data-msg-" + name) || "";
    status.textContent = time ? text + " " + time : text;
    status.setAttribute("data-state", name);
  }

  function storage() {
    try {
      return window.localStorage;
    } catch (error) {
      return null; // private mode or storage switched off: autosave still works online
    }
  }

  // What the form holds, field by field (the CSRF token and the revision are not kept).
  function snapshot() {
    var values = {};
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken" && name !== "revision") {
        values[name] = value;
      }
    });
    return values;
  }

  function keep() {
    var store = storage();
    if (store) {
      store.setItem(key, JSON.stringify({ savedAt: Date.now(), values: snapshot() }));
    }
  }

  function forget() {
    var store = storage();
    if (store) {
      store.removeItem(key);
    }
  }

  function restore(values) {
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || !(element.name in values)) {
        return;
      }
      if (element.type === "radio") {
        element.checked = element.value === values[element.name];
      } else if (element.tagName === "TEXTAREA" || element.type === "text") {
        element.value = values[element.name];
      }
    });
  }

  function csrfToken() {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function send() {
    timer = null;
    if (!dirty || inFlight) {
      return inFlight;
    }
    if (navigator.onLine === false) {
      say("offline");
      return null;
    }
    dirty = false;
    say("saving");
    var body = new FormData(form);
    inFlight = window
      .fetch(url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch", Accept: "application/json" },
      })
      .then(function (response) {
        return response.json().then(function (answer) {
          if (response.ok) {
            revision.value = answer.revision;
            if (!dirty) {
              forget();
            }
            say("saved", answer.saved_at);
          } else {
            // 409: an older tab; 400: something to correct. The copy stays on the phone.
            status.textContent = answer.message || form.getAttribute("data-msg-error");
            status.setAttribute("data-state", "refused");
          }
        });
      })
      .catch(function () {
        dirty = true;
        say(navigator.onLine === false ? "offline" : "error");
        window.setTimeout(schedule, RETRY_MS);
      })
      .then(function () {
        inFlight = null;
        if (dirty && !timer) {
          schedule();
        }
      });
    return inFlight;
  }

  function schedule() {
    if (timer) {
      window.clearTimeout(timer);
    }
    timer = window.setTimeout(send, DELAY_MS);
  }

  function changed() {
    dirty = true;
    keep();
    if (navigator.onLine === false) {
      say("offline");
    }
    schedule();
  }

  if (form.hasAttribute("data-submitted") || !url) {
    forget(); // submitted: nothing of a draft is left to keep
    return;
  }

  var kept = null;
  try {
    kept = JSON.parse((storage() && storage().getItem(key)) || "null");
  } catch (error) {
    kept = null;
  }
  var serverSavedAt = Number(form.getAttribute("data-server-saved-at") || 0) * 1000;
  if (kept && kept.values && kept.savedAt > serverSavedAt) {
    restore(kept.values);
    dirty = true;
    say("restored");
    schedule();
  } else if (kept) {
    forget(); // the server's copy is newer
  }

  form.addEventListener("change", changed);
  form.addEventListener("input", function (event) {
    if (event.target.tagName === "TEXTAREA") {
      changed();
    }
  });
  window.addEventListener("online", function () {
    if (dirty) {
      send();
    }
  });
  window.addEventListener("offline", function () {
    if (dirty) {
      say("offline");
    }
  });

  // Submit after the last autosave, with its revision (else the server would see an older copy).
  form.addEventListener("submit", function (event) {
    if (timer) {
      window.clearTimeout(timer);
      timer = null;
    }
    if (inFlight) {
      event.preventDefault();
      var submitter = event.submitter;
      inFlight.then(function () {
        form.requestSubmit(submitter);
      });
    }
  });
})();
