import { askQuestionTool, commitStepTool, finishTool, giveUpTool, updatePlanTool } from "./control-tools.ts";
import { editFileTool, readFileTool, writeFileTool } from "./file-tools.ts";
import { runCommandTool } from "./run-command-tool.ts";
import { listFilesTool, searchFilesTool } from "./search-tools.ts";
import type { Tool } from "./tool.ts";

export const defaultTools: readonly Tool[] = [
  listFilesTool,
  searchFilesTool,
  readFileTool,
  writeFileTool,
  editFileTool,
  runCommandTool,
  updatePlanTool,
  commitStepTool,
  finishTool,
  giveUpTool,
  askQuestionTool,
];
