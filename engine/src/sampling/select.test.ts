import { describe, expect, it } from "vitest";
import { arithmeticSelect, atOrAfterSelect, decodeSpansSelect, sceneSelect, seekBatchSelect } from "./select.js";

describe("select expressions", () => {
  it("arithmetic targets: the first frame at or after each A + k*I", () => {
    expect(arithmeticSelect(1.5, 0.25, 4, 10)).toBe(
      "select='if(isnan(prev_t),gte(floor((t-1.5+0.000001)/0.25),4),gt(floor((t-1.5+0.000001)/0.25),floor((prev_t-1.5+0.000001)/0.25))*gte(floor((t-1.5+0.000001)/0.25),4)*lt(floor((prev_t-1.5+0.000001)/0.25),9))'",
    );
  });
  it("scenes: first frame, then cuts above the threshold at least the gap apart", () => {
    expect(sceneSelect(0.3, 0.5)).toBe(
      "select='if(isnan(prev_selected_t),1,gt(scene,0.3)*gte(t-prev_selected_t,0.5))'",
    );
  });
  it("a seek without an index: every frame from the raw time on", () => {
    expect(atOrAfterSelect(1.4666665)).toBe("select='gte(t,1.4666665)'");
  });
  it("seek batches: per entry, the first frame at or after k·spacing, after the lead-in", () => {
    expect(seekBatchSelect(13, 1 / 15360 / 2)).toBe(
      "select='gte(t,13/2)*gte(t+0.000032552,13*floor(t/13+0.5))*if(isnan(prev_t),1,lt(prev_t+0.000032552,13*floor(t/13+0.5)))'",
    );
  });
  it("decode spans: the arithmetic rule on the shifted spans, after the lead-in", () => {
    expect(decodeSpansSelect(130, 0.2, 0.45)).toBe(
      "select='gte(t,65)*if(isnan(prev_t),1,gt(floor((t-0.2+0.000001)/0.45),floor((prev_t-0.2+0.000001)/0.45)))'",
    );
  });
});
