import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { RegistryStack } from "./stacks/registry-stack.js";
import { ServiceStack } from "./stacks/service-stack.js";
import { Naming, readStageSettings, type StageSettings } from "./stage.js";

export interface VideoProcessorApp {
  readonly settings: StageSettings;
  readonly registry: RegistryStack;
  readonly service: ServiceStack;
}

/** Both stacks of one stage (`-c stage=test|prod`), checked by cdk-nag AwsSolutions at synth. */
export function defineApp(app: App): VideoProcessorApp {
  const settings = readStageSettings(app.node);
  // Answer the AZ lookup from settings so synth never calls AWS (see StageSettings.availabilityZones).
  const azKey = `availability-zones:account=${settings.account}:region=${settings.region}`;
  if (app.node.tryGetContext(azKey) === undefined) app.node.setContext(azKey, [...settings.availabilityZones]);
  const naming = new Naming(settings.stage);
  const env = { account: settings.account, region: settings.region };
  const tags = { project: "video-processor", stage: settings.stage };
  const registry = new RegistryStack(app, naming.name("registry"), { env, naming, tags });
  const service = new ServiceStack(app, naming.name("service"), {
    env,
    naming,
    settings,
    tags,
    apiRepository: registry.api,
    workerRepository: registry.worker,
    crossRegionReferences: false,
  });
  attachNag(app);
  return { settings, registry, service };
}

/** cdk-nag AwsSolutions as a synth-time validation: an unacknowledged finding makes `app.synth()` throw. */
export function attachNag(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}
