import { App } from "aws-cdk-lib";
import { defineApp } from "./app.js";

const app = new App();
defineApp(app);
app.synth();
