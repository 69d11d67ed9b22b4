import { initAll } from "./govuk-frontend.min.js";
import { initAll as initMoj } from "./moj-frontend.min.js";

initAll();
initMoj();
