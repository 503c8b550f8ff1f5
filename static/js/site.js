/* The site's small behaviours, wired by data attributes so templates carry no inline script
   (a strict Content-Security-Policy needs no 'unsafe-inline'). */
document.addEventListener("submit", (event) => {
  const form = event.target;
  // <form data-confirm="Question?">: ask before sending.
  if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
    return;
  }
  // <form data-busy="element-id">: show that element and block a second click while the server works.
  if (form.dataset.busy) {
    document.getElementById(form.dataset.busy)?.classList.remove("d-none");
    form.querySelectorAll("button[type=submit]").forEach((button) => {
      button.disabled = true;
    });
  }
});
