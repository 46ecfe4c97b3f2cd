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
import { parse, printParseErrorCode, visit, type JSONPath, type ParseError } from 'jsonc-parser';
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

// What each of jsonc-parser's syntax error codes means to someone reading their own JSON.
const SYNTAX_PHRASES: Record<string, (found: string) => string> = {
  InvalidSymbol: (found) => `unexpected ${found}`,
  InvalidNumberFormat: () => 'a malformed number',
  PropertyNameExpected: (found) => `a property name in double quotes was expected, found ${found}`,
  ValueExpected: (found) => `a value was expected, found ${found}`,
  ColonExpected: (found) => `':' was expected, found ${found}`,
  CommaExpected: (found) => `',' was expected, found ${found}`,
  CloseBraceExpected: (found) => `'}' was expected, found ${found}`,
  CloseBracketExpected: (found) => `']' was expected, found ${found}`,
  EndOfFileExpected: (found) => `the JSON text should end, found ${found}`,
  InvalidCommentToken: () => 'a comment, which JSON does not allow',
  UnexpectedEndOfComment: () => 'a comment, which JSON does not allow',
  UnexpectedEndOfString: () => 'a string that is not closed on its line',
  UnexpectedEndOfNumber: () => 'a number that ends too early',
  InvalidUnicode: () => 'an invalid \\u escape',
  InvalidEscapeCharacter: () => 'an invalid escape sequence',
  InvalidCharacter: () => 'a control character inside a string (escape it)',
};

/**
 * Where and why a text is not JSON (RFC 8259: no comments, no trailing commas, one value),
 * for a 400 that lets the sender find the mistake: `the request body is not valid JSON:
 * ',' was expected, found '2' at line 1, column 4`. Lines and columns count from 1, columns in
 * UTF-16 code units (what an editor shows for the text as sent).
 * @param text the body, already known not to parse; `root` names it in the answer.
 * @returns the detail and the violation at `root`; the detail falls back to `fallback` (the
 *   parser's own message) if jsonc-parser finds no error where JSON.parse did.
 */
export function jsonSyntaxProblem(text: string, fallback: string, root = 'body'): JsonStructureProblem {
  const violation: FieldViolation = { path: root, message: 'must be valid JSON' };
  const subject = root === 'body' ? 'the request body' : root;
  if (text.trim() === '') return { detail: `${subject} is empty: this operation takes a JSON body`, violation };
  const errors: ParseError[] = [];
  parse(text, errors, { allowTrailingComma: false, disallowComments: true, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return { detail: `${subject} is not valid JSON: ${fallback}`, violation };
  const at = Math.min(first.offset, text.length);
  const found = at >= text.length ? 'the end of the body' : `'${String.fromCodePoint(text.codePointAt(at)!)}'`;
  const phrase = SYNTAX_PHRASES[printParseErrorCode(first.error)]?.(found) ?? fallback;
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const column = at - before.lastIndexOf('\n');
  return { detail: `${subject} is not valid JSON: ${phrase} at line ${line}, column ${column}`, violation };
}
