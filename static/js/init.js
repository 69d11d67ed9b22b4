import { initAll } from "./govuk-frontend.min.js";
import { initAll as initMoj } from "./moj-frontend.min.js";

// Radios that reveal a follow-up question. GOV.UK Frontend marks such a radio aria-expanded, which
// ARIA does not allow on a radio; the question follows its radio, so it is the next thing read.
// Our radios name their question in data-reveals; radios from other templates that name it in
// (data-)aria-controls are moved over before GOV.UK Frontend sees them.
const CONDITIONAL = "govuk-radios__conditional";

for (const radio of document.querySelectorAll(
  'input[type="radio"][aria-controls], input[type="radio"][data-aria-controls]',
)) {
  const target = radio.getAttribute("data-aria-controls") || radio.getAttribute("aria-controls");
  if (document.getElementById(target)?.classList.contains(CONDITIONAL)) {
    radio.setAttribute("data-reveals", target);
    radio.removeAttribute("aria-controls");
    radio.removeAttribute("data-aria-controls");
  }
}

function showChosenQuestions() {
  for (const radio of document.querySelectorAll('input[type="radio"][data-reveals]')) {
    document.getElementById(radio.dataset.reveals)?.classList.toggle(`${CONDITIONAL}--hidden`, !radio.checked);
  }
}

document.addEventListener("change", (event) => {
  if (event.target instanceof HTMLInputElement && event.target.type === "radio") {
    showChosenQuestions();
  }
});
// A page restored by the back button keeps its choices; show the questions that go with them.
window.addEventListener("pageshow", showChosenQuestions);
showChosenQuestions();

initAll();
initMoj();
