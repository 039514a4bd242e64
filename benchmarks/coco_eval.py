#!/usr/bin/env python3
"""Side-by-side speed of `hrpose.metric.coco_eval`, pycocotools' COCOeval and faster-coco-eval's COCOeval_faster
(iouType 'keypoints').

Builds a random COCO keypoint problem of val2017's size (5,000 images, ~11,000 person annotations of which ~6,500
have labelled keypoints, ~30,000 results: what a top-down model gives on val2017's detector boxes after OKS-NMS),
times the three end to end (ground-truth dict and results list in, as `json.load` gives them, the ten metrics out:
indexing, loading and checking the input are inside the clock), asserts that hrpose's ten numbers equal pycocotools' to 1e-9, reports how
far faster-coco-eval's are from them, and prints a table with both speed-ups.

faster-coco-eval is a benchmark-only dependency (hrpose never imports it): `pip install faster-coco-eval`.
Without it the script times the other two and says so.
"""
import argparse, contextlib, copy, io, json, time
import numpy as np
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval
from hrpose.metric import coco_eval, METRIC_NAMES, format_metrics
from hrpose.problems import random_coco_problem

def pycocotools_eval(gt, results):
    "pycocotools end to end: index the ground truth, load the results, evaluate, accumulate, summarize."
    with contextlib.redirect_stdout(io.StringIO()):
        cg = COCO(); cg.dataset = gt; cg.createIndex()
        E = COCOeval(cg, cg.loadRes(results), 'keypoints')
        E.evaluate(); E.accumulate(); E.summarize()
    return dict(zip(METRIC_NAMES, E.stats.tolist()))

def faster_eval(gt, results):
    "faster-coco-eval end to end, the same steps through its C++ COCOeval_faster."
    from faster_coco_eval import COCO as FCOCO, COCOeval_faster
    with contextlib.redirect_stdout(io.StringIO()):
        cg = FCOCO(gt)
        E = COCOeval_faster(cg, cg.loadRes(results), 'keypoints', print_function=lambda *a: None)
        E.evaluate(); E.accumulate(); E.summarize()
    return dict(zip(METRIC_NAMES, np.asarray(E.stats, float)[:10].tolist()))

def best_time(fn, gt, res, repeat:int, copies:bool):
    "The fastest of `repeat` timed runs of fn(gt, res) (each on fresh copies when `copies`), and its metrics."
    times = []
    for _ in range(repeat):
        g, r = (copy.deepcopy(gt), copy.deepcopy(res)) if copies else (gt, res)   # the references write into them
        t = time.perf_counter(); out = fn(g, r); times.append(time.perf_counter() - t)
    return min(times), out

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--images', type=int, default=5000, help='number of images (default: 5000, as val2017)')
    ap.add_argument('--people', type=float, default=2.2, help='mean annotations per image, crowds and unlabelled included (default: 2.2)')
    ap.add_argument('--results', type=int, default=30000, help='about this many results in all (default: 30000)')
    ap.add_argument('--unlabelled', type=float, default=0.4, help='fraction of people without labelled keypoints (default: 0.4)')
    ap.add_argument('--seed', type=int, default=0, help='random seed (default: 0)')
    ap.add_argument('--repeat', type=int, default=3, help='timed runs of each implementation; the fastest is reported (default: 3)')
    a = ap.parse_args()

    t = time.perf_counter()
    per_image = max(a.results / a.images - 1.25, 0.0)      # random_coco_problem adds 25 results to 5% of the images
    gt, res = random_coco_problem(a.images, people=a.people, results=per_image, p_crowd=0.02,
                                  p_unlabelled=a.unlabelled, seed=a.seed)
    gt, res = json.loads(json.dumps(gt)), json.loads(json.dumps(res))   # as read from files, like users' own
    n_kp = sum(x['num_keypoints'] > 0 for x in gt['annotations'])
    print(f"problem: {len(gt['images'])} images, {len(gt['annotations'])} annotations ({n_kp} with keypoints), "
          f"{len(res)} results (built in {time.perf_counter() - t:.1f}s); fastest of {a.repeat} runs each")

    t_ref, ref = best_time(pycocotools_eval, gt, res, a.repeat, True)
    try:
        import faster_coco_eval  # noqa: F401
        t_fast, fast = best_time(faster_eval, gt, res, a.repeat, True)
    except ImportError:
        t_fast = fast = None
        print("faster-coco-eval is not installed (pip install faster-coco-eval): its row is left out")
    t_ours, ours = best_time(coco_eval, gt, res, a.repeat, False)

    for k in METRIC_NAMES: assert abs(ours[k] - ref[k]) <= 1e-9, (k, ours[k], ref[k])
    print(format_metrics(ours))
    rows = [('pycocotools COCOeval', t_ref), ('faster-coco-eval COCOeval_faster', t_fast), ('hrpose coco_eval', t_ours)]
    print(f"\n| {'implementation':<34} | {'time (s)':>8} | {'hrpose is x faster':>18} |\n|{'-' * 36}|{'-' * 10}|{'-' * 20}|")
    for name, t in rows:
        if t is not None: print(f"| {name:<34} | {t:8.3f} | {t / t_ours:17.1f}x |")
    print(f"\nhrpose: all ten metrics equal to pycocotools' to 1e-9; {t_ref / t_ours:.1f}x pycocotools", end='')
    if fast is not None:
        diff = max(abs(fast[k] - ref[k]) for k in METRIC_NAMES)
        print(f", {t_fast / t_ours:.1f}x faster-coco-eval (whose ten metrics differ from pycocotools' by at most "
              f"{diff:.1e})")
    else: print()

if __name__ == '__main__': main()
