// Listings: a sort or filter chosen from a list, box or button applies at once (without
// JavaScript the form's button applies everything). Typed prices apply on Enter or the button.
// In the phone drawer (#filters) the drawer stays open across the reload, with new counts.
// Fields left empty (no price typed, any rating) stay out of the address.
document.documentElement.classList.add("js-listing");
document.addEventListener("change", (event) => {
  const input = event.target;
  const form = input.form;
  if (!form || !form.classList.contains("filter-form")) return;
  if (!input.matches("select, input[type=checkbox], input[type=radio]")) return;
  if (location.hash === "#filters") form.action = form.action.split("#")[0] + "#filters";
  form.requestSubmit();
});
// `formdata` does not bubble: listened for while it travels down to the form.
document.addEventListener(
  "formdata",
  (event) => {
    if (!event.target.classList.contains("filter-form")) return;
    const entries = [...event.formData.entries()];
    for (const name of new Set(entries.map(([name]) => name))) event.formData.delete(name);
    for (const [name, value] of entries) if (value !== "") event.formData.append(name, value);
  },
  true,
);
