"""Fail if a notebook is committed without the outputs a reader needs (run `.ci/run_notebooks.py`).

Every cell that nbdev_test runs and that draws a figure or prints a table (a top-level `print`) must carry an
output. Cells skipped under test (`#| slow`, `#| cuda`, ...) and exported cells (definitions) are exempt.
"""
import re, sys
from pathlib import Path
from execnb.nbio import read_nb
sys.path.insert(0, str(Path(__file__).parent))
from run_notebooks import ROOT, skipped, directives

FIGURE = re.compile(r'\bplt\.|\.imshow\(|\bshow_\w+\(|\.subplots\(|\bplot_\w+\(|savefig|\bImage\(')
TABLE = re.compile(r'^print\(|^print_\w+\(|^\w+ = print_table\(|\bdisplay\(', re.M)   # top-level prints

def problems(path):
    nb, out = read_nb(path), []
    ran = [c for c in nb.cells if not skipped(c) and not {'export', 'exports'} & set(directives(c.source))]
    for i, c in enumerate(nb.cells):
        if c in ran and not c.outputs and (FIGURE.search(c.source) or TABLE.search(c.source)):
            kind = 'figure' if FIGURE.search(c.source) else 'table'
            first = c.source.strip().splitlines()[0][:60]
            out.append(f"{path.name}: cell {i} ({kind}: {first!r}) has no output")
    return out

if __name__ == '__main__':
    paths = [Path(p) for p in sys.argv[1:]] or sorted((ROOT / 'nbs').glob('[!_]*.ipynb'))
    found = [p for path in paths for p in problems(path)]
    print('\n'.join(found) or f"outputs present in {len(paths)} notebooks")
    if found: sys.exit(f"FAIL: {len(found)} figure/table cells without outputs; run `python .ci/run_notebooks.py` and commit")
