import { render } from "preact";
import { popupPorts } from "../platform/popup-ports.js";
import "../ui/base.css";
import { PopupApp } from "./app.js";
import "./popup.css";

/** Wiring only: the platform's ports into the popup's view. */
const root = document.getElementById("app");
if (root === null) throw new Error("the popup page has no #app element");
render(<PopupApp ports={popupPorts()} />, root);
