import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { useState } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { SamplingFields } from "./sampling-form.js";
import { DEFAULT_SAMPLING, type FieldErrors, type SamplingForm } from "./sampling-options.js";

afterEach(cleanup);

function Harness({ errors = {}, onValue }: { errors?: FieldErrors; onValue?: (v: SamplingForm) => void }) {
  const [value, setValue] = useState(DEFAULT_SAMPLING);
  return (
    <SamplingFields
      value={value}
      errors={errors}
      onChange={(v) => {
        setValue(v);
        onValue?.(v);
      }}
    />
  );
}

describe("SamplingFields", () => {
  it("offers the CLI's five ways to sample, each with its own field", () => {
    let last = DEFAULT_SAMPLING;
    render(<Harness onValue={(v) => (last = v)} />);
    expect(screen.getByRole("radio", { name: "A frame every N seconds" })).toHaveProperty("checked", true);
    expect(screen.getByLabelText("Seconds between frames")).toHaveProperty("value", "1");
    fireEvent.click(screen.getByRole("radio", { name: "Frames at given times" }));
    fireEvent.change(screen.getByLabelText("Times"), { target: { value: "1, 2" } });
    expect(last).toMatchObject({ choice: "at", at: "1, 2" });
    expect(screen.queryByLabelText("Seconds between frames")).toBeNull();
    for (const name of ["N frames spread evenly", "Keyframes", "Scene changes", "No frames, previews only"])
      expect(screen.getByRole("radio", { name })).toBeTruthy();
    fireEvent.click(screen.getByRole("radio", { name: "Best thumbnails" }));
    fireEvent.change(screen.getByLabelText("Number of thumbnails"), { target: { value: "6" } });
    expect(last).toMatchObject({ choice: "best", best: "6" });
  });

  it("offers the previews as checkboxes, each showing its own fields once ticked", () => {
    let last = DEFAULT_SAMPLING;
    render(<Harness onValue={(v) => (last = v)} />);
    expect(screen.getByRole("group", { name: "Previews" })).toBeTruthy();
    expect(screen.queryByLabelText("Range (s)")).toBeNull();
    fireEvent.click(screen.getByRole("checkbox", { name: "Animated preview" }));
    fireEvent.click(screen.getByRole("checkbox", { name: "Also a GIF" }));
    fireEvent.change(screen.getByLabelText("Range (s)"), { target: { value: "12-18" } });
    fireEvent.click(screen.getByRole("checkbox", { name: "Storyboard" }));
    fireEvent.change(screen.getByLabelText("Tile width (px)"), { target: { value: "240" } });
    fireEvent.click(screen.getByRole("checkbox", { name: "Contact sheet" }));
    fireEvent.change(screen.getByLabelText("Frames on the sheet"), { target: { value: "9" } });
    expect(last).toMatchObject({
      animated: true,
      gif: true,
      animatedRange: "12-18",
      storyboard: true,
      storyboardWidth: "240",
      contactSheet: true,
      contactSheetCount: "9",
    });
  });

  it("shows preview and sampling-group errors beside their checkbox, field and group", () => {
    function Ticked() {
      const [value, setValue] = useState<SamplingForm>({ ...DEFAULT_SAMPLING, choice: "none", animated: true });
      return (
        <SamplingFields
          value={value}
          onChange={setValue}
          errors={{
            animated: "must fit in maxBytes",
            animatedRange: "the clip may last at most 30 s",
            choice: "is false but no storyboard, contactSheet or animated preview is asked for",
          }}
        />
      );
    }
    render(<Ticked />);
    const described = (el: HTMLElement) =>
      (el.getAttribute("aria-describedby") ?? "")
        .split(" ")
        .map((i) => document.getElementById(i)?.textContent)
        .join(" | ");
    const box = screen.getByRole("checkbox", { name: "Animated preview" });
    expect(box.getAttribute("aria-invalid")).toBe("true");
    expect(described(box)).toContain("must fit in maxBytes");
    expect(described(screen.getByLabelText("Range (s)"))).toContain("the clip may last at most 30 s");
    expect(described(screen.getByRole("group", { name: "Sampling" }))).toContain("is false but no storyboard");
  });

  it("shows an error beside its field, marks it invalid, and opens the section that holds it", () => {
    render(<Harness errors={{ every: "must be greater than 0", quality: "must be 1..100", form: "Too many jobs." }} />);
    const every = screen.getByLabelText("Seconds between frames");
    expect(every.getAttribute("aria-invalid")).toBe("true");
    expect(document.getElementById(every.getAttribute("aria-describedby")!)?.textContent).toBe(
      "must be greater than 0",
    );
    expect(screen.getByText("must be 1..100")).toBeTruthy();
    expect(screen.getByRole("group", { name: "Sampling" })).toBeTruthy();
    expect(document.querySelector("details")?.open).toBe(true);
    expect(screen.getByRole("alert").textContent).toBe("Too many jobs.");
  });
});
