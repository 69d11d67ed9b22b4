// Compiles the GOV.UK Design System and the Ministry of Justice Frontend with the council's font
// stack and colour into build/static.
// The council colour comes from COUNCIL_COLOUR (the same variable the Django settings read).
import { copyFileSync, cpSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "build", "static");
const colour = (process.env.COUNCIL_COLOUR || "#0b5c4b").trim();
if (!/^#[0-9a-fA-F]{6}$/.test(colour)) {
  console.error(`COUNCIL_COLOUR must be a colour like #1d70b8; got ${JSON.stringify(colour)}`);
  process.exit(1);
}

const source = `$council-colour: ${colour};\n@import "council";\n`;
const result = sass.compileString(source, {
  // The project root is a load path too: MoJ Frontend loads "node_modules/govuk-frontend/...".
  loadPaths: [join(root, "static", "scss"), join(root, "node_modules"), root],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import", "global-builtin", "color-functions", "slash-div"],
});

mkdirSync(join(out, "css"), { recursive: true });
mkdirSync(join(out, "js"), { recursive: true });
writeFileSync(join(out, "css", "app.css"), result.css);
copyFileSync(
  join(root, "node_modules", "govuk-frontend", "dist", "govuk", "govuk-frontend.min.js"),
  join(out, "js", "govuk-frontend.min.js"),
);
const moj = join(root, "node_modules", "@ministryofjustice", "frontend", "moj");
copyFileSync(join(moj, "moj-frontend.min.js"), join(out, "js", "moj-frontend.min.js"));
cpSync(join(moj, "assets", "images"), join(out, "moj", "images"), { recursive: true });
console.log(`Built build/static/css/app.css (${result.css.length} bytes, colour ${colour})`);
