/**
 * Replaces NATS subject string literals in messaging calls (`nats.send('auth.login.password', …)`,
 * `@RpcHandler('…')`) with their constants from @gatehouse/contracts (`LoginSubjects.password`) and
 * adds the import: what the lint rule in eslint.config.mjs asks for.
 *   node -r @swc-node/register tools/codemods/subject-constants.ts <file.ts>…   (then prettier --write)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as contracts from '@gatehouse/contracts';
import ts from 'typescript';

const SUBJECT = /^(auth|sessions|directory|federation|mailer|gateway)\.[a-z-]+\.[a-z-]+/;
const MESSAGING = /^(send|emit|request|publish|subscribe|MessagePattern|EventPattern|RpcHandler|EventHandler)$/;

/** Subject → `XSubjects.key`, from every exported `…Subjects` object of the contracts. */
const constants = new Map<string, { object: string; access: string }>();
for (const [name, value] of Object.entries(contracts)) {
  if (!name.endsWith('Subjects') || typeof value !== 'object' || value === null) continue;
  for (const [key, subject] of Object.entries(value as Record<string, unknown>)) {
    if (typeof subject !== 'string' || constants.has(subject)) continue;
    constants.set(subject, { object: name, access: /^[A-Za-z_$][\w$]*$/.test(key) ? `${name}.${key}` : `${name}[${JSON.stringify(key)}]` });
  }
}

function calleeName(expression: ts.Expression): string | undefined {
  if (ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression)) return expression.name.text;
  return undefined;
}

let changed = 0;
const unknown = new Set<string>();
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const edits: Array<{ start: number; end: number; text: string }> = [];
  const needed = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && MESSAGING.test(calleeName(node.expression) ?? '')) {
      const [first] = node.arguments;
      if (first && ts.isStringLiteral(first) && SUBJECT.test(first.text)) {
        const constant = constants.get(first.text);
        if (!constant) unknown.add(first.text);
        else {
          edits.push({ start: first.getStart(source), end: first.getEnd(), text: constant.access });
          needed.add(constant.object);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (edits.length === 0) continue;
  const imports = source.statements.filter(ts.isImportDeclaration);
  const valueImport = imports.find(
    (i) =>
      (i.moduleSpecifier as ts.StringLiteral).text === '@gatehouse/contracts' &&
      !i.importClause?.isTypeOnly &&
      i.importClause?.namedBindings &&
      ts.isNamedImports(i.importClause.namedBindings),
  );
  if (valueImport) {
    const named = valueImport.importClause!.namedBindings as ts.NamedImports;
    const have = new Set(named.elements.map((e) => e.name.text));
    // A name imported as a type only (`import { type X }`) must become a value import.
    for (const element of named.elements)
      if (element.isTypeOnly && needed.has(element.name.text))
        edits.push({ start: element.getStart(source), end: element.getEnd(), text: element.name.text });
    const missing = [...needed].filter((n) => !have.has(n));
    if (missing.length > 0) edits.push({ start: named.elements.end, end: named.elements.end, text: `, ${missing.join(', ')}` });
  } else {
    // Before the first relative import (packages first, as the code here orders them), else after the last import.
    const relative = imports.find((i) => (i.moduleSpecifier as ts.StringLiteral).text.startsWith('.'));
    const line = `import { ${[...needed].join(', ')} } from '@gatehouse/contracts';`;
    if (relative) edits.push({ start: relative.getStart(source), end: relative.getStart(source), text: `${line}\n` });
    else {
      const at = imports.length > 0 ? imports[imports.length - 1].getEnd() : 0;
      edits.push({ start: at, end: at, text: `\n${line}` });
    }
  }
  let out = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  writeFileSync(file, out);
  changed += edits.length;
  console.log(`${file}: ${edits.length} edits`);
}
if (unknown.size > 0) console.warn(`no constant for: ${[...unknown].join(', ')}`);
console.log(`${changed} edits`);
