// Ask before a form with a data-confirm question is sent (no inline handlers, for a strict CSP).
document.addEventListener("submit", function (event) {
  var question = event.target.dataset ? event.target.dataset.confirm : "";
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
