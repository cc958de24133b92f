// The config-file layer in one import: pure edits, the disk access and the lossless model.
export * from './configFile';
export * from './edit';
export { describeProblems, parseConfig } from './model';
export type { ConfigLine, ConfigModel, ConfigOption, ConfigProblem, ConfigSection, ProblemCode, SectionKind } from './model';
