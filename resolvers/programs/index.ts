export { loadProgramFacts } from "./program-facts";
export { ProgramsResolver } from "./programs.resolver";
export { nextOccurrence, ProgramsService } from "./programs.service";
