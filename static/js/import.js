// The student import: show that the file is being checked, and stop a second click.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("import-form");
  if (!form) return;
  form.addEventListener("submit", function () {
    document.getElementById("import-progress").classList.remove("d-none");
    document.getElementById("import-button").disabled = true;
  });
});
