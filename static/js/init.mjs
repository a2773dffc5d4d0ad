// Start GOV.UK Frontend's components. Every page works without this; it only enhances.
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();
