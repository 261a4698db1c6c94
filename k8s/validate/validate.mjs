// Validates rendered Kubernetes manifests offline: node validate.mjs FILE.yaml...
//
// Each object is checked twice:
//  1. against the JSON schema of its API type, compiled from the Kubernetes OpenAPI document
//     (kubernetes-models) or the CRD (@kubernetes-models/keda, .../prometheus-operator):
//     types, required fields, enums, formats;
//  2. for unknown fields, which those schemas let through (the API server would reject or
//     drop them): the object becomes a typed TypeScript literal, and every field is looked up
//     in the type the model package declares at its place, at any depth.
// CloudNativePG's Cluster has no published package: schemas/postgresql.cnpg.io_v1_Cluster.json
// is a strict hand-written schema (see its $comment). Any other apiVersion/kind fails: an
// object nothing can check is reported, never passed.
// Prints one line per problem and exits 1 if there was any.

import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";
import ts from "typescript";
import { parseAllDocuments } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));

// Where the model of an apiVersion lives; the module exports class KIND and interface IKIND.
function modelModule(apiVersion) {
  const group = apiVersion.includes("/") ? apiVersion.split("/")[0] : "";
  if (group === "keda.sh") return `@kubernetes-models/keda/${apiVersion}`;
  if (group === "monitoring.coreos.com") return `@kubernetes-models/prometheus-operator/${apiVersion}`;
  if (group === "" || group.endsWith(".k8s.io") || !group.includes(".")) return `kubernetes-models/${apiVersion}`;
  return null;
}

const localSchemas = {
  "postgresql.cnpg.io/v1/Cluster": "postgresql.cnpg.io_v1_Cluster.json",
};

function describe(object) {
  const where = object?.metadata?.namespace ? ` (namespace ${object.metadata.namespace})` : "";
  return `${object?.apiVersion}/${object?.kind} ${object?.metadata?.name}${where}`;
}

function readObjects(files) {
  const objects = [];
  for (const file of files) {
    for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0].message}`);
      const object = doc.toJSON();
      if (object !== null) objects.push({ file, object });
    }
  }
  return objects;
}

async function checkSchema({ object }, ajv) {
  const key = `${object.apiVersion}/${object.kind}`;
  if (localSchemas[key]) {
    const validate = ajv.compile(JSON.parse(readFileSync(join(here, "schemas", localSchemas[key]), "utf8")));
    return validate(object)
      ? []
      : validate.errors.map((e) => `${e.instancePath || "/"} ${e.message}${e.params?.additionalProperty ? `: "${e.params.additionalProperty}"` : ""}`);
  }
  const module = modelModule(object.apiVersion ?? "");
  let Model;
  try {
    Model = module && (await import(`${module}/${object.kind}`))[object.kind];
  } catch {
    Model = undefined;
  }
  if (!Model) return [`no schema for ${key}: add its model package or a schema under schemas/`];
  try {
    new Model(object).validate();
    return [];
  } catch (error) {
    return [error.message];
  }
}

// One typed literal per object; returns problems keyed by object index (-1: not tied to one).
function checkUnknownFields(entries) {
  const lines = [];
  const owners = []; // owners[line] = index of the object that line belongs to
  entries.forEach(({ object }, index) => {
    if (localSchemas[`${object.apiVersion}/${object.kind}`]) return;
    const module = modelModule(object.apiVersion ?? "");
    if (!module) return;
    const literal = [
      `import type { I${object.kind} as T${index} } from "${module}/${object.kind}";`,
      ...`export const o${index}: T${index} = ${JSON.stringify(object, null, 2)};`.split("\n"),
    ];
    lines.push(...literal);
    owners.push(...literal.map(() => index));
  });
  const text = lines.join("\n") + "\n";
  const file = join(here, "unknown-fields.check.ts");
  writeFileSync(file, text);
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
  });
  const problems = new Map();
  const add = (key, message) => problems.set(key, [...(problems.get(key) ?? []), message]);
  // A model that cannot be imported would make every field "known": report it.
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    if (![2305, 2307, 2614, 2724].includes(diagnostic.code)) continue;
    const line = diagnostic.file?.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line ?? -1;
    add(owners[line] ?? -1, ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
  }
  // Every object literal is checked against the type the API declares at its place, so each
  // unknown field is reported on its own (the compiler's own excess-property error stops at
  // the first problem of an object). Wrong value types are the JSON schema check's job.
  const checker = program.getTypeChecker();
  const sourceFile = program.getSourceFile(file);
  const visit = (node) => {
    if (ts.isObjectLiteralExpression(node)) {
      const declared = checker.getContextualType(node);
      const members = (declared?.isUnion() ? declared.types : declared ? [declared] : [])
        .filter((t) => t.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection));
      const open = members.length === 0 || members.some((t) => checker.getIndexInfoOfType(t, ts.IndexKind.String));
      if (!open) {
        for (const property of node.properties) {
          const name = property.name && ts.isStringLiteral(property.name) ? property.name.text : property.name?.getText(sourceFile);
          if (!members.some((t) => checker.getPropertyOfType(t, name))) {
            const { line } = sourceFile.getLineAndCharacterOfPosition(property.getStart(sourceFile));
            add(owners[line] ?? -1, `unknown field "${name}" in ${members.map((t) => checker.typeToString(t)).join(" | ")} (at: ${lines[line]?.trim()})`);
          }
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return problems;
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node validate.mjs FILE.yaml...");
  process.exit(2);
}
const entries = readObjects(files);
const ajv = new Ajv({ allErrors: true, strict: true });
let failures = 0;
const report = (entry, message) => {
  failures++;
  console.log(`${entry.file}: ${describe(entry.object)}: ${message}`);
};
for (const entry of entries) {
  for (const message of await checkSchema(entry, ajv)) report(entry, message);
}
const unknown = checkUnknownFields(entries);
for (const [index, messages] of unknown) {
  const entry = index >= 0 ? entries[index] : { file: files.join(" "), object: {} };
  for (const message of messages) report(entry, message);
}
const kinds = [...new Set(entries.map((e) => `${e.object.apiVersion}/${e.object.kind}`))].sort();
console.log(`checked ${entries.length} objects (${kinds.join(", ")}): ${failures} problem(s)`);
process.exit(failures === 0 ? 0 : 1);
