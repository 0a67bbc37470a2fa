/**
 * Which parts of Electron the shell uses, read from its source with the TypeScript checker: every
 * value imported from `electron`, every member access that resolves to a declaration in
 * Electron's own typings (`App.whenReady`, `WebContents.send`, `WebRequest.onHeadersReceived`, …,
 * also through `Pick<…>` types), and every event the shell listens for on an Electron object
 * (`App.on:web-contents-created`). The stand-in's test holds the stand-in to this list.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import ts from 'typescript';

export interface ElectronUse {
  /** `electron.app`, `App.whenReady`, `App.on:ready`, … */
  name: string;
  /** Where the shell uses it first (file:line). */
  at: string;
}

/** The shell's own modules: main/electron/*.ts, without tests and without the testing folder. */
export function shellFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
    .map((f) => join(dir, f));
}

const isElectronTypings = (file: ts.SourceFile) => /[\\/]node_modules[\\/]electron[\\/]electron\.d\.ts$/.test(file.fileName);

function ownerName(decl: ts.Declaration): string | null {
  const parent = decl.parent;
  if ((ts.isClassDeclaration(parent) || ts.isInterfaceDeclaration(parent)) && parent.name) return parent.name.text;
  return null;
}

export function electronUses(files: readonly string[], options: ts.CompilerOptions = { strict: true, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, target: ts.ScriptTarget.ES2022, skipLibCheck: true, types: ['node'] }): ElectronUse[] {
  const program = ts.createProgram([...files], options);
  const checker = program.getTypeChecker();
  const uses = new Map<string, string>();
  const add = (name: string, node: ts.Node) => {
    if (uses.has(name)) return;
    const file = node.getSourceFile();
    uses.set(name, `${file.fileName}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
  };
  const memberOf = (name: ts.Node): string | null => {
    const symbol = checker.getSymbolAtLocation(name);
    const decl = symbol?.declarations?.find((d) => isElectronTypings(d.getSourceFile()));
    if (!symbol || !decl) return null;
    const owner = ownerName(decl);
    return owner ? `${owner}.${symbol.name}` : null;
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && node.moduleSpecifier.text === 'electron' && !node.importClause?.isTypeOnly) {
      const bindings = node.importClause?.namedBindings;
      if (bindings && ts.isNamedImports(bindings)) for (const spec of bindings.elements) if (!spec.isTypeOnly) add(`electron.${(spec.propertyName ?? spec.name).text}`, spec);
    }
    if (ts.isPropertyAccessExpression(node)) {
      const member = memberOf(node.name);
      if (member) add(member, node);
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ['on', 'once'].includes(node.expression.name.text)) {
      const member = memberOf(node.expression.name);
      const event = node.arguments[0];
      if (member && event && ts.isStringLiteral(event)) add(`${member.split('.')[0]}.on:${event.text}`, node);
    }
    ts.forEachChild(node, visit);
  };
  for (const file of files) {
    const source = program.getSourceFile(file);
    if (source) visit(source);
  }
  return [...uses].map(([name, at]) => ({ name, at })).sort((a, b) => a.name.localeCompare(b.name));
}
