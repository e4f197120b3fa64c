// Forms marked data-unsaved-warning: once something is typed, leaving the page asks first;
// submitting the form does not. Without JavaScript nothing is asked (and nothing breaks).
let dirty = null;
document.addEventListener("input", (event) => {
  const form = event.target.form;
  if (form && form.hasAttribute("data-unsaved-warning")) dirty = form;
});
document.addEventListener("submit", (event) => {
  if (event.target === dirty) dirty = null;
});
window.addEventListener("beforeunload", (event) => {
  if (dirty) event.preventDefault();
});
