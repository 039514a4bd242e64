"""Fail if hrpose's modules stop reading in order: an import cycle, a module that imports a later notebook's module, or a
module over the line limit, or a module summary that is not one whole sentence (nbdev takes the first line of the
notebook's `> summary` as the module's docstring, so a summary wrapped onto two lines is cut mid-sentence).

    python .ci/check_modules.py          # prints the import graph in notebook order; exit 1 on a problem

Every import of another hrpose module counts, at module level and inside functions (`from .x import`,
`from hrpose.x import`, `import hrpose.x`, `from . import x`), read from hrpose/*.py with `ast`. A module's notebook is
the one its header names (`File to edit: ../nbs/NAME.ipynb`); notebooks sort by file name, which is the reading order,
so a module may import only modules of its own notebook or of earlier ones. hrpose/_modidx.py (nbdev's index) is not a
module of the library and is skipped.
"""
import ast, re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIB, MAX_LINES = ROOT / 'hrpose', 400

def notebook_of(path):
    "The notebook a generated module comes from (its header), or None."
    m = re.search(r'File to edit: \.\./nbs/(\S+\.ipynb)', path.read_text()[:2000])
    return m.group(1) if m else None

def imported(path, modules):
    "(line, module) of every hrpose module that `path` imports, wherever the import statement is."
    out = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ''
            if node.level == 1 and not base: names = [a.name for a in node.names]     # from . import x
            elif node.level == 1 or base.startswith('hrpose.') or base == 'hrpose':
                names = [base.removeprefix('hrpose').lstrip('.')] if base != 'hrpose' else [a.name for a in node.names]
            else: continue
        elif isinstance(node, ast.Import):
            names = [a.name.removeprefix('hrpose.') for a in node.names if a.name.startswith('hrpose.')]
        else: continue
        out += [(node.lineno, n.split('.')[0]) for n in names if n.split('.')[0] in modules]
    return out

def cycles(graph):
    "The import cycles of `graph` ({module: set of modules}), each as a list of modules."
    found, state, stack = [], {}, []
    def visit(m):
        state[m] = 1; stack.append(m)
        for n in sorted(graph[m]):
            if state.get(n) == 1: found.append(stack[stack.index(n):] + [n])
            elif n not in state: visit(n)
        stack.pop(); state[m] = 2
    for m in sorted(graph):
        if m not in state: visit(m)
    return found

def main():
    paths = {p.stem: p for p in sorted(LIB.glob('*.py')) if p.stem not in ('__init__', '_modidx')}
    nbs = {m: notebook_of(p) for m, p in paths.items()}
    edges = {m: imported(p, paths) for m, p in paths.items()}
    graph = {m: {n for _, n in e if n != m} for m, e in edges.items()}
    problems = [f"hrpose/{m}.py does not say which notebook it comes from" for m, nb in nbs.items() if nb is None]
    for m, e in edges.items():
        for line, n in e:
            if n != m and nbs[m] and nbs[n] and nbs[n] > nbs[m]:
                problems.append(f"hrpose/{m}.py:{line} ({nbs[m]}) imports hrpose.{n}, the module of a later notebook "
                                f"({nbs[n]})")
    problems += ['import cycle: ' + ' -> '.join(f'hrpose.{m}' for m in c) for c in cycles(graph)]
    for m, p in paths.items():
        n = len(p.read_text().splitlines())
        if n > MAX_LINES: problems.append(f"hrpose/{m}.py has {n} lines, over the limit of {MAX_LINES}: split it")
    for m, p in paths.items():
        doc = ast.get_docstring(ast.parse(p.read_text())) or ''
        if not doc.rstrip().endswith(('.', ')')):
            problems.append(f"hrpose/{m}.py: its summary {doc[:60]!r}... does not end a sentence: write the notebook's "
                            "`> summary` on one line")
    for m in sorted(paths, key=lambda m: (nbs[m] or '', m)):
        deps = ', '.join(sorted(graph[m])) or '-'
        print(f"{nbs[m] or '?':28s} {m:14s} {len(paths[m].read_text().splitlines()):4d} lines  imports {deps}")
    if problems: sys.exit('FAIL:\n' + '\n'.join(problems))
    print(f"{len(paths)} modules: imports follow the notebook order, no cycle, none over {MAX_LINES} lines, "
          "one-sentence summaries")

if __name__ == '__main__': main()
