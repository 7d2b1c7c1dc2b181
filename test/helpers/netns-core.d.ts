/** Types of netns-core.js (plain CommonJS, shared with the benchmark). */
export declare class Netns {
  constructor(name: string);
  readonly name: string;
  /** Path of the namespace file (for adapters' `netns` option). */
  readonly path: string;
  /** Creates the namespace `name` with loopback up and no IPv6 autoconfiguration. */
  static add<T extends Netns>(this: new (name: string) => T, name: string): T;
  /** Deletes namespaces matching `pattern` (group 1: the pid that made it) whose pid is gone. */
  static cleanupStale(pattern: RegExp): number;
  ip(...args: string[]): string;
  ipBatch(lines: readonly string[]): void;
  exec(file: string, ...args: string[]): string;
  sysctl(key: string, value: string | number): void;
  addVeth(name: string, peer?: string): void;
  ifindex(dev: string): number;
  links(): unknown[];
  delete(): void;
}
