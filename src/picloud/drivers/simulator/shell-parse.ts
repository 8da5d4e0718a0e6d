// Parses the built-in shell's command lines: words, quotes, $VARS, ~, pipes, redirections, ; && ||.

export interface Redirect {
  fd: 0 | 1 | 2;
  append: boolean;
  target: string;
}

export interface Command {
  argv: string[];
  redirects: Redirect[];
}

/** Commands joined by pipes. */
export type Pipeline = Command[];

/** A parsed line: pipelines joined by `;`, `&&` or `||` (the joiner before each, `;` for the first). */
export type List = { op: ';' | '&&' | '||'; pipeline: Pipeline }[];

type Token = { kind: 'word'; value: string } | { kind: 'op'; value: string };

export class ParseError extends Error {}

const operators = ['&&', '||', '2>>', '2>', '>>', ';', '|', '>', '<'];

/** Split a line into tokens, expanding variables outside single quotes and a leading `~`. */
function tokenize(line: string, vars: Record<string, string>): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const variable = (): string => {
    i++; // past '$'
    if (line[i] === '?') return (i++, vars['?'] ?? '0');
    const braced = line[i] === '{';
    if (braced) i++;
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(line.slice(i));
    if (!m) return braced ? '${' : '$';
    i += m[0].length;
    if (braced && line[i++] !== '}') throw new ParseError('bad substitution');
    return vars[m[0]] ?? '';
  };
  while (i < line.length) {
    const c = line[i]!;
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '#') break;
    const op = operators.find((o) => line.startsWith(o, i));
    if (op && !(op.startsWith('2') && /\S/.test(line[i - 1] ?? ' '))) {
      tokens.push({ kind: 'op', value: op });
      i += op.length;
      continue;
    }
    let word = '';
    if (c === '~' && (line[i + 1] === undefined || /[/\s;|&<>]/.test(line[i + 1]!))) {
      word = vars.HOME ?? '/';
      i++;
    }
    while (i < line.length && !/[\s;|&<>]/.test(line[i]!)) {
      const ch = line[i]!;
      if (ch === "'") {
        const end = line.indexOf("'", i + 1);
        if (end < 0) throw new ParseError('Unterminated quoted string');
        word += line.slice(i + 1, end);
        i = end + 1;
      } else if (ch === '"') {
        i++;
        while (line[i] !== '"') {
          if (i >= line.length) throw new ParseError('Unterminated quoted string');
          if (line[i] === '\\' && /["\\$`]/.test(line[i + 1] ?? '')) {
            word += line[i + 1];
            i += 2;
          } else if (line[i] === '$') word += variable();
          else word += line[i++];
        }
        i++;
      } else if (ch === '\\') {
        word += line[i + 1] ?? '';
        i += 2;
      } else if (ch === '$') word += variable();
      else word += line[i++];
    }
    tokens.push({ kind: 'word', value: word });
  }
  return tokens;
}

/** Parse one command line. Throws ParseError with a shell-like message on bad syntax. */
export function parseLine(line: string, vars: Record<string, string>): List {
  const tokens = tokenize(line, vars);
  const list: List = [];
  let op: ';' | '&&' | '||' = ';';
  let pipeline: Pipeline = [];
  let cmd: Command = { argv: [], redirects: [] };
  const endCommand = (t: string) => {
    if (cmd.argv.length === 0 && cmd.redirects.length === 0)
      throw new ParseError(`Syntax error: "${t}" unexpected`);
    pipeline.push(cmd);
    cmd = { argv: [], redirects: [] };
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'word') cmd.argv.push(t.value);
    else if (t.value === '|') endCommand(t.value);
    else if (t.value === ';' || t.value === '&&' || t.value === '||') {
      endCommand(t.value);
      list.push({ op, pipeline });
      pipeline = [];
      op = t.value;
    } else {
      const target = tokens[++i];
      if (target?.kind !== 'word') throw new ParseError('Syntax error: redirection unexpected');
      const fd = t.value === '<' ? 0 : t.value.startsWith('2') ? 2 : 1;
      cmd.redirects.push({ fd, append: t.value.endsWith('>>'), target: target.value });
    }
  }
  if (cmd.argv.length > 0 || cmd.redirects.length > 0) pipeline.push(cmd);
  if (pipeline.length > 0) list.push({ op, pipeline });
  else if (op !== ';') throw new ParseError('Syntax error: end of file unexpected');
  return list;
}
