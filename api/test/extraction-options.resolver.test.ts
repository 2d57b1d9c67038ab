import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEnv, dataOf, makeTinyVideo, probeAsWorker, type TestEnv } from "./helpers/env.js";
import { rawId, uploadVideo } from "./helpers/flows.js";

let env: TestEnv;
let tiny: Buffer;

beforeAll(async () => {
  env = await createTestEnv();
  tiny = await makeTinyVideo(env.dir);
});
afterAll(() => env.close());

const OPTIONS = "mode intervalSeconds count timestamps timestampUnit sceneThreshold sceneMinGapSeconds format";

describe("ExtractionOptions: the domain's union by mode, shown flat", () => {
  it("each mode's fields are null outside it; timestampUnit is SECONDS unless TIMESTAMPS says otherwise", async () => {
    const { completed, videoId } = await uploadVideo(env, "olga", tiny);
    await probeAsWorker(env.platform, rawId(videoId));
    const start = async (extraction: string) =>
      dataOf<{ job: { options: Record<string, unknown> } | null; userErrors: unknown[] }>(
        await env.exec(
          "olga",
          `mutation($v: ID!) { startExtraction(input: { videoId: $v, extraction: ${extraction} }) { job { options { ${OPTIONS} } } userErrors { code field } } }`,
          { v: videoId },
        ),
        "startExtraction",
      ).job?.options;
    const none = {
      intervalSeconds: null,
      count: null,
      timestamps: null,
      sceneThreshold: null,
      sceneMinGapSeconds: null,
    };

    expect(completed.job).not.toBeNull();
    // A stray field of another mode is checked, then dropped.
    expect(await start("{ mode: COUNT, count: 2, intervalSeconds: 3, format: PNG }")).toEqual({
      ...none,
      mode: "COUNT",
      count: 2,
      timestampUnit: "SECONDS",
      format: "PNG",
    });
    expect(await start("{ mode: TIMESTAMPS, timestamps: [10, 50], timestampUnit: PERCENT }")).toEqual({
      ...none,
      mode: "TIMESTAMPS",
      timestamps: [10, 50],
      timestampUnit: "PERCENT",
      format: "JPEG",
    });
    expect(await start("{ mode: SCENES, sceneMinGapSeconds: 0.2 }")).toEqual({
      ...none,
      mode: "SCENES",
      sceneMinGapSeconds: 0.2,
      timestampUnit: "SECONDS",
      format: "JPEG",
    });
    expect(await start("{}")).toEqual({
      ...none,
      mode: "INTERVAL",
      intervalSeconds: 1,
      timestampUnit: "SECONDS",
      format: "JPEG",
    });
  });
});
