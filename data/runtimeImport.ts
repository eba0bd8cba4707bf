/**
 * `import()` of a module known only at run time: a user's strategy file, an optional package
 * (danfojs-node, tsx). Every such import goes through here.
 *
 * Why: the CLI's worker thread runs from one CommonJS bundle compiled with V8's code cache
 * (cli/workerLoader.cjs). Node 20 cannot start a dynamic import from code compiled that way
 * ("A dynamic import callback was not specified"), so the loader, an ordinary CommonJS file,
 * lends its own `import()` through `globalThis.__exitlabImport`. Everywhere else (the tsc
 * output, a library caller) the hook is absent and this is a plain `import()`.
 */
type Importer = (specifier: string) => Promise<unknown>;

export function importAtRunTime<T>(specifier: string): Promise<T> {
  const hook = (globalThis as { __exitlabImport?: Importer }).__exitlabImport;
  return (hook === undefined ? import(specifier) : hook(specifier)) as Promise<T>;
}
