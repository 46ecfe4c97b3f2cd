/**
 * What JSON.parse lets through silently: a member given twice in one object (the last one
 * wins, so `{"quantity":1,"quantity":2}` orders two) and nesting deep enough to exhaust the
 * stack of whatever walks the value next. RFC 8259 section 4 says names within an object
 * SHOULD be unique and that receivers differ in what they do with repeated ones; the
 * contract is strict (DESIGN.md section 2, Validation), so a repeated member is a 400
 * naming it, at any depth, never a silent pick.
 *
 * Read with jsonc-parser's SAX-style visitor (the parser of VS Code), which reports each
 * member with the path of its object. Runs only on text JSON.parse already accepted, so
 * syntax errors keep the parser's own answers.
 */
import { visit, type JSONPath } from 'jsonc-parser';
import type { FieldViolation } from '../domain/errors.js';

/**
 * Deepest nesting of arrays and objects a body may have. The deepest body of the contract
 * (data usage: an array of objects) nests 2 levels; 64 leaves room for anything a client
 * could mean and stops a `[[[[...` of a megabyte before it reaches recursive code.
 */
export const MAX_JSON_DEPTH = 64;

/** A structural refusal: the violation (`path` as in problem details) and the detail text. */
export interface JsonStructureProblem {
  detail: string;
  violation: FieldViolation;
}

/** Thrown inside the visitor to stop at the first finding (the visitor has no other exit). */
class Found extends Error {
  constructor(readonly problem: JsonStructureProblem) {
    super(problem.detail);
  }
}

/**
 * The first repeated member or over-deep nesting of a JSON text, or null when there is none.
 * `root` names the value in paths (`body`): a member `quantity` repeated in the second
 * element of an `items` array is at `body.items[1].quantity`, JSON pointer `/items/1/quantity`
 * (RFC 6901).
 * @param text JSON that JSON.parse accepts (on other text the answer is unspecified).
 */
export function jsonStructureProblem(
  text: string,
  root = 'body',
  maxDepth = MAX_JSON_DEPTH,
): JsonStructureProblem | null {
  // One set of names per open object; arrays push null so that depth counts both.
  const open: (Set<string> | null)[] = [];
  const enter = (names: Set<string> | null, path: () => JSONPath) => {
    open.push(names);
    if (open.length > maxDepth) {
      const where = path();
      throw new Found({
        detail: `${root} nests arrays and objects deeper than ${maxDepth} levels (at JSON pointer ${pointer(where)})`,
        violation: { path: root, message: `must not nest arrays and objects deeper than ${maxDepth} levels` },
      });
    }
  };
  try {
    visit(
      text,
      {
        onObjectBegin: (_offset, _length, _line, _column, path) => enter(new Set(), path),
        onArrayBegin: (_offset, _length, _line, _column, path) => enter(null, path),
        onObjectEnd: () => void open.pop(),
        onArrayEnd: () => void open.pop(),
        onObjectProperty: (name, _offset, _length, _line, _column, path) => {
          const names = open[open.length - 1];
          if (!names) return;
          if (names.has(name)) {
            const where = [...path(), name];
            const at = problemPath(root, where);
            throw new Found({
              detail: `${at} (JSON pointer ${pointer(where)}) is given more than once; each member may appear once`,
              violation: { path: at, message: 'is given more than once; each member may appear once' },
            });
          }
          names.add(name);
        },
      },
      { disallowComments: true, allowTrailingComma: false },
    );
  } catch (error) {
    if (error instanceof Found) return error.problem;
    throw error;
  }
  return null;
}

/** RFC 6901 JSON pointer of a path: `/items/1/a~1b` for items, 1, "a/b". */
export function pointer(path: JSONPath): string {
  return path.map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** The problem-details form of a path (`body.items[1].quantity`), as validation errors name fields. */
function problemPath(root: string, path: JSONPath): string {
  return path.reduce<string>(
    (at, segment) => (typeof segment === 'number' ? `${at}[${segment}]` : `${at}.${segment}`),
    root,
  );
}
