import { ConvexError } from "convex/values";
import { describe, expect, test } from "vitest";
import { appError } from "../../convex/model/errors";
import { errorCode, errorField, errorMessage, GENERIC_ERROR_MESSAGE } from "./errors";

describe("errorMessage", () => {
  test("our errors show the server's sentence and expose code and field", () => {
    const error = appError("INVALID_ARGUMENT", "Title is required.", { field: "Title" });
    expect(errorMessage(error)).toBe("Title is required.");
    expect(errorCode(error)).toBe("INVALID_ARGUMENT");
    expect(errorField(error)).toBe("Title");
  });

  test("a coded error without a message gets a sentence for its code", () => {
    expect(errorMessage(new ConvexError({ code: "FORBIDDEN", message: "" }))).toMatch(/not allowed/);
  });

  test("anything else never leaks internals", () => {
    const bug = new Error("TypeError: cannot read properties of undefined (reading 'x') at handler.ts:12");
    expect(errorMessage(bug)).toBe(GENERIC_ERROR_MESSAGE);
    expect(errorMessage("boom")).toBe(GENERIC_ERROR_MESSAGE);
    expect(errorCode(bug)).toBeNull();
    expect(errorMessage(new ConvexError("Try again tomorrow."))).toBe("Try again tomorrow.");
  });
});
