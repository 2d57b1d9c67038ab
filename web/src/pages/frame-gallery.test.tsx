import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { FrameGrid, frameLabel, type GalleryFrame } from "./frame-gallery.js";

afterEach(cleanup);

const frames: GalleryFrame[] = [0, 1.0333, 62.5].map((t, i) => ({
  index: i + 1,
  timestampSeconds: t,
  width: 320,
  height: 180,
  url: `/frames/f${i + 1}.jpg`,
}));

describe("FrameGrid", () => {
  it("labels every image with its exact timestamp and loads them lazily", () => {
    render(<FrameGrid frames={frames} />);
    const images = screen.getAllByRole("img");
    expect(images.map((i) => i.getAttribute("alt"))).toEqual([
      "Frame 1 at 0:00.000 (0.000 s)",
      "Frame 2 at 0:01.033 (1.033 s)",
      "Frame 3 at 1:02.500 (62.500 s)",
    ]);
    expect(images.every((i) => i.getAttribute("loading") === "lazy")).toBe(true);
    expect(frameLabel({ index: 7, timestampSeconds: 3599.9996 })).toBe("Frame 7 at 60:00.000 (3600.000 s)");
  });

  it("moves focus with the arrow keys, Home and End, and opens a larger view", () => {
    render(<FrameGrid frames={frames} />);
    const buttons = screen.getAllByRole("button");
    buttons[0]!.focus();
    fireEvent.keyDown(buttons[0]!, { key: "ArrowRight" });
    expect(document.activeElement).toBe(buttons[1]);
    fireEvent.keyDown(buttons[1]!, { key: "End" });
    expect(document.activeElement).toBe(buttons[2]);
    fireEvent.keyDown(buttons[2]!, { key: "Home" });
    expect(document.activeElement).toBe(buttons[0]);
    fireEvent.click(buttons[1]!);
    const viewer = screen.getByRole("dialog", { hidden: true });
    expect(viewer.getAttribute("aria-label")).toBe("Frame 2 at 0:01.033 (1.033 s)");
    fireEvent.keyDown(viewer, { key: "ArrowRight" });
    expect(screen.getByRole("dialog", { hidden: true }).getAttribute("aria-label")).toBe(frameLabel(frames[2]!));
    fireEvent.click(screen.getByRole("button", { name: "Close", hidden: true }));
    expect(screen.queryByRole("dialog", { hidden: true })).toBeNull();
  });
});
