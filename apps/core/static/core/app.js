// Submit a form as soon as a marked control changes (the language switch, quick filters).
document.addEventListener("change", (event) => {
  if (event.target.matches("[data-autosubmit]")) {
    event.target.form.submit();
  }
});
// Ask before destructive buttons marked with data-confirm.
document.addEventListener("submit", (event) => {
  const button = event.submitter;
  if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});
// Pickers: a result button marked data-pick-target fills that hidden input and its label.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-pick-target]");
  if (!button) {
    return;
  }
  const input = document.getElementById(button.dataset.pickTarget);
  const label = document.getElementById(`${button.dataset.pickTarget}-label`);
  if (input) {
    input.value = button.dataset.pickValue;
  }
  if (label) {
    label.textContent = button.dataset.pickLabel || label.dataset.empty || "—";
  }
  const results = button.closest("[data-testid='lookup-results']");
  if (results) {
    results.remove();
  }
  document.body.dispatchEvent(new CustomEvent("picked", { detail: { target: button.dataset.pickTarget } }));
});
