import { call } from "./scripted-model-server.ts";

/** The scripted agent's edits for GREETING_REPO: the fix, and the test that pins it. */
export const fixGreeting = call("edit_file", {
  path: "src/greet.js",
  old_string: '"Hello " + name',
  new_string: "`Hello, ${name}!`",
});

export const testGreeting = call("edit_file", {
  path: "test/greet.test.js",
  old_string: 'assert.match(greet("Ada"), /Ada/);',
  new_string: 'assert.equal(greet("Ada"), "Hello, Ada!");',
});
