import { render } from "preact";
import { optionsPorts } from "../platform/options-ports.js";
import "../ui/base.css";
import { OptionsApp } from "./app.js";
import "./options.css";

/** Wiring only: the platform's ports into the options page's view. */
const root = document.getElementById("app");
if (root === null) throw new Error("the options page has no #app element");
render(<OptionsApp ports={optionsPorts()} />, root);
