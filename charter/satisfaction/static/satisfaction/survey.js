// Show the questions a filter question opens only once it is answered "Yes". Without JavaScript
// every question shows, and the server ignores answers a "No" excludes. We toggle `hidden`
// ourselves rather than use GOV.UK Frontend's conditional reveal, which puts aria-expanded on
// radio inputs (not an attribute radios support).
for (const group of document.querySelectorAll("[data-tsm-filter]")) {
  const panel = document.getElementById(group.dataset.tsmFilter);
  const yes = group.querySelector(':scope > .govuk-radios__item input[value="yes"]');
  if (!panel || !yes) continue;
  const update = () => { panel.hidden = !yes.checked; };
  group.addEventListener("change", update);
  update();
}
