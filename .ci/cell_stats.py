"""Exported-cell sizes per notebook: count, median and max lines, cells over 40 lines, and the longest run
of exported cells with no other code cell (a demonstration or check) between them.

    python .ci/cell_stats.py            # a table over nbs/*.ipynb
"""
import json, statistics, sys
from pathlib import Path

def stats(path):
    cells = [c for c in json.loads(Path(path).read_text())['cells'] if c['cell_type'] == 'code']
    sizes, run, longest = [], 0, 0
    for c in cells:
        src = ''.join(c['source']).strip()
        if src.splitlines() and src.splitlines()[0].replace(' ', '') in ('#|export', '#|exports'):
            sizes.append(len([l for l in src.splitlines()[1:]]))
            run += 1; longest = max(longest, run)
        elif src: run = 0
    return sizes, longest

if __name__ == '__main__':
    paths = sys.argv[1:] or sorted(str(p) for p in Path('nbs').glob('[!_]*.ipynb'))
    allsizes = []
    print(f"{'notebook':24s} {'cells':>5s} {'median':>6s} {'max':>4s} {'>40':>4s} {'run':>4s}")
    for p in paths:
        s, run = stats(p)
        if not s: continue
        allsizes += s
        print(f"{Path(p).stem:24s} {len(s):5d} {statistics.median(s):6.1f} {max(s):4d} {sum(x > 40 for x in s):4d} {run:4d}")
    print(f"{'all':24s} {len(allsizes):5d} {statistics.median(allsizes):6.1f} {max(allsizes):4d} {sum(x > 40 for x in allsizes):4d}")
