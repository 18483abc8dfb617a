import { call } from "./scripted-model-server.ts";

/** The scripted agent's edits for GREETING_REPO: the fix, and the test that pins it. */
export const fixGreeting = call("edit_file", {
  path: "src/greet.js",
  old_string: '"Hello " + name',
  new_string: "`Hello, ${name}!`",
});

/** A new test beside the existing one: editing what an existing test expects would need human review. */
export const testGreeting = call("edit_file", {
  path: "test/greet.test.js",
  old_string: 'test("greets", () => {',
  new_string:
    'test("punctuates the greeting", () => {\n  assert.equal(greet("Ada"), "Hello, Ada!");\n});\n\ntest("greets", () => {',
});
