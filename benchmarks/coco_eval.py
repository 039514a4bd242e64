#!/usr/bin/env python3
"""Side-by-side speed of `hrpose.evaluation.coco_eval` and pycocotools' COCOeval (iouType 'keypoints').

Builds a random COCO keypoint problem of val2017 size (5,000 images, ~11,000 person annotations of
which ~6,000 have labelled keypoints, ~100,000 results), times both end to end (ground-truth dict and
results list in, the ten metrics out), asserts that all ten numbers agree to 1e-9 and prints a table.
"""
import argparse, contextlib, copy, io, time
import numpy as np
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval
from hrpose.evaluation import coco_eval, random_coco_problem, METRIC_NAMES, format_metrics

def pycocotools_eval(gt, results):
    "pycocotools end to end: index the ground truth, load the results, evaluate, accumulate, summarize."
    with contextlib.redirect_stdout(io.StringIO()):
        cg = COCO(); cg.dataset = gt; cg.createIndex()
        E = COCOeval(cg, cg.loadRes(results), 'keypoints')
        E.evaluate(); E.accumulate(); E.summarize()
    return dict(zip(METRIC_NAMES, E.stats.tolist()))

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--images', type=int, default=5000, help='number of images (default: 5000, as val2017)')
    ap.add_argument('--people', type=float, default=2.2, help='mean annotations per image, crowds and unlabelled included (default: 2.2)')
    ap.add_argument('--results', type=float, default=20.0, help='mean results per image (default: 20 -> ~100,000)')
    ap.add_argument('--unlabelled', type=float, default=0.4, help='fraction of people without labelled keypoints (default: 0.4)')
    ap.add_argument('--seed', type=int, default=0, help='random seed (default: 0)')
    ap.add_argument('--repeat', type=int, default=1, help='timed runs of ours; the best is reported (default: 1)')
    a = ap.parse_args()

    t = time.perf_counter()
    gt, res = random_coco_problem(a.images, people=a.people, results=a.results, p_crowd=0.02,
                                  p_unlabelled=a.unlabelled, seed=a.seed)
    n_kp = sum(x['num_keypoints'] > 0 for x in gt['annotations'])
    print(f"problem: {len(gt['images'])} images, {len(gt['annotations'])} annotations ({n_kp} with keypoints), "
          f"{len(res)} results (built in {time.perf_counter() - t:.1f}s)")
    gt_ref, res_ref = copy.deepcopy(gt), copy.deepcopy(res)       # pycocotools writes into its inputs

    t = time.perf_counter(); ref = pycocotools_eval(gt_ref, res_ref); t_ref = time.perf_counter() - t
    t_ours = []
    for _ in range(a.repeat):
        t = time.perf_counter(); ours = coco_eval(gt, res); t_ours.append(time.perf_counter() - t)
    t_ours = min(t_ours)

    for k in METRIC_NAMES: assert abs(ours[k] - ref[k]) <= 1e-9, (k, ours[k], ref[k])
    print(format_metrics(ours))
    print(f"\n| {'implementation':<22} | {'time (s)':>9} |\n|{'-' * 24}|{'-' * 11}|")
    print(f"| {'pycocotools COCOeval':<22} | {t_ref:9.2f} |\n| {'hrpose coco_eval':<22} | {t_ours:9.2f} |")
    print(f"| {'ratio (speed-up)':<22} | {t_ref / t_ours:8.1f}x |")
    print("all ten metrics equal to 1e-9")

if __name__ == '__main__': main()
