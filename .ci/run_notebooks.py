"""Execute notebooks in place so they are committed with their outputs (figures, tables, metrics).

    python .ci/run_notebooks.py                      # every notebook in nbs/
    python .ci/run_notebooks.py nbs/00_heatmaps.ipynb  # some of them
    python .ci/run_notebooks.py -j 2                 # two notebooks at a time
    python .ci/run_notebooks.py --flags slow nbs/x.ipynb   # also run the `#| slow` cells, keeping their outputs

Cells are skipped exactly as `nbdev_test` skips them: those flagged with a `tst_flags` flag of
settings.ini (`#| slow`, `#| cuda`), `#| eval: false`, and `nbdev_export()` calls, unless `--flags` names
their flag (as `nbdev_test --flags`). A skipped cell keeps the outputs it was committed with, so the figures
of a long `#| slow` run, made once with `--flags slow`, survive later runs without it. Figures are stored as plain PNG (not retina) to keep the repository small. IN_TEST is set, as
under nbdev_test, so data loaders use no worker processes and runs stay short. A notebook that fails
is left unchanged on disk and the script exits 1. Run `nbdev_clean` afterwards (it keeps the outputs).
Figures whose PNG is over 100 kB (photographs and noisy synthetic images compress badly as PNG) are stored
as JPEG (quality 85) when that is smaller: `python .ci/run_notebooks.py --shrink nbs/x.ipynb` does only this.
"""
import configparser, os, re, sys, time
from pathlib import Path

os.environ.setdefault('IN_TEST', '1')
from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell

ROOT = Path(__file__).resolve().parent.parent
cfg = configparser.ConfigParser(); cfg.read(ROOT / 'settings.ini')
SKIP_FLAGS = set(cfg['DEFAULT'].get('tst_flags', '').split())
RUN_FLAGS = set(os.environ.get('HRPOSE_RUN_FLAGS', '').split())   # flags of skipped cells to run anyway (--flags)

def directives(src):
    "The `#| name args` directives at the top of a cell, as {name: args}."
    out = {}
    for line in src.splitlines():
        m = re.match(r'^\s*#\s*\|\s*([\w-]+:?)\s*(.*)$', line)
        if not m:
            if line.strip(): break
            continue
        out[m.group(1)] = m.group(2).strip()
    return out

def skipped(cell):
    "True for the cells nbdev_test does not run."
    if cell.cell_type != 'code': return True
    if 'nbdev_export(' in cell.source: return True
    d = directives(cell.source)
    if d.get('eval:', '').lower() == 'false': return True
    return bool((SKIP_FLAGS - RUN_FLAGS) & set(d))

def shrink_figures(nb, limit=100_000, quality=85):
    "Store each PNG output over `limit` bytes (base64) as a JPEG instead, when that is smaller; returns how many."
    import base64, cv2, numpy as np
    n = 0
    for c in nb.cells:
        for o in c.get('outputs', []):
            png = o.get('data', {}).get('image/png')
            if not png or len(png) <= limit: continue
            img = cv2.imdecode(np.frombuffer(base64.b64decode(png), np.uint8), cv2.IMREAD_COLOR)
            ok, jpg = cv2.imencode('.jpg', img, [cv2.IMWRITE_JPEG_QUALITY, quality])
            b64 = base64.b64encode(jpg.tobytes()).decode()
            if ok and len(b64) < len(png):
                del o['data']['image/png']; o['data']['image/jpeg'] = b64; n += 1
    return n

def run(path):
    nb = read_nb(path)
    for c in nb.cells:   # cells that will run start empty; skipped cells keep what they had
        if c.cell_type == 'code' and not skipped(c): c.outputs, c.execution_count = [], None
    shell = CaptureShell(path, mpl_format='png')
    cwd = os.getcwd(); os.chdir(path.parent)
    try: shell.run_all(nb, exc_stop=True, preproc=skipped)
    except Exception:
        print(shell.prettytb(fname=path), file=sys.stderr); return False
    finally: os.chdir(cwd)
    shrink_figures(nb)
    write_nb(nb, path)
    return True

def timed(p):
    t0 = time.time(); ok = run(p)
    print(f"{'ok  ' if ok else 'FAIL'} {p.relative_to(ROOT)} ({time.time() - t0:.0f} s)", flush=True)
    return p.name, ok

if __name__ == '__main__':
    args = sys.argv[1:]
    if '--shrink' in args:
        for p in [Path(a) for a in args if a != '--shrink']:
            nb = read_nb(p); print(f"{p}: {shrink_figures(nb)} figure(s) stored as JPEG"); write_nb(nb, p)
        sys.exit()
    jobs = int(args.pop(args.index('-j') + 1)) if '-j' in args else 1
    if '-j' in args: args.remove('-j')
    if '--flags' in args:
        RUN_FLAGS.update(args.pop(args.index('--flags') + 1).split()); args.remove('--flags')
        os.environ['HRPOSE_RUN_FLAGS'] = ' '.join(sorted(RUN_FLAGS))   # for the -j workers
    paths = [Path(p).resolve() for p in args] or sorted((ROOT / 'nbs').glob('[!_]*.ipynb'))
    if jobs > 1:
        from concurrent.futures import ProcessPoolExecutor
        import run_notebooks   # by module name: IPython replaces __main__ inside the workers
        with ProcessPoolExecutor(jobs, max_tasks_per_child=1) as ex: done = list(ex.map(run_notebooks.timed, paths))
    else: done = [timed(p) for p in paths]
    failed = [name for name, ok in done if not ok]
    if failed: sys.exit(f"failed: {', '.join(failed)}")
