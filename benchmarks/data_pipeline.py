"""Throughput of the hrpose top-down data pipeline, per worker (one process), split into its stages.

For each output stride it times, on the same samples, what `CocoKeypoints.__getitem__` does:
decode (JPEG read), warp (one cv2.warpAffine + RGB/normalise to a tensor) and target (joints through the affine +
`gaussian_heatmaps`), next to the full `__getitem__` and the floor (JPEG decode + one warpAffine alone).
Default data: a synthetic COCO-format set at COCO's typical image size (640x480), made in a temp folder;
pass --ann-file/--img-dir to time real COCO instead.

    python benchmarks/data_pipeline.py            # ~10-30 s on one CPU core (most of it making the synthetic images)
"""
import argparse, statistics, tempfile, time
from pathlib import Path
import cv2, numpy as np, torch
from hrpose.crops import read_image, get_affine, compose, affine_points, flip_matrix, IMAGENET_MEAN, IMAGENET_STD
from hrpose.data import CocoKeypoints
from hrpose.heatmaps import gaussian_heatmaps
from hrpose.synth import make_synth_coco

def stage_times(ds, idx):
    "Seconds per sample for decode, warp, target (re-doing __getitem__'s steps with timers)."
    t = dict(decode=0.0, warp=0.0, target=0.0)
    mean, std = torch.tensor(IMAGENET_MEAN)[:, None, None], torch.tensor(IMAGENET_STD)[:, None, None]
    for i in idx:
        r = ds.samples[i]
        c, s, rot, flipped = ds._draw_augmentation(r, np.random.default_rng(i)) if ds.train else (r['center'], r['scale'], 0.0, False)
        t0 = time.perf_counter(); img = read_image(ds.img_dir / r['file_name']); t1 = time.perf_counter()
        W = img.shape[1]; cc = np.array([W - 1 - c[0], c[1]], np.float32) if flipped else c
        pre = flip_matrix(W) if flipped else np.eye(3)[:2]
        M_in = compose(get_affine(cc, s, rot, ds.input_size, ds.udp), pre)
        crop = cv2.warpAffine(img, M_in, ds.input_size[::-1], flags=cv2.INTER_LINEAR)
        image = (torch.from_numpy(crop[..., ::-1].transpose(2, 0, 1).copy()).float().div_(255) - mean) / std
        t2 = time.perf_counter()
        M_hm = compose(get_affine(cc, s, rot, ds.heatmap_size, ds.udp), pre)
        kp = r['keypoints'][ds.flip_perm] if flipped else r['keypoints']
        j = np.concatenate([affine_points(kp[:, :2], M_hm), kp[:, 2:3]], 1).astype(np.float32)
        tg, w = gaussian_heatmaps(j, ds.heatmap_size, ds.sigma); torch.from_numpy(tg)
        t3 = time.perf_counter()
        t['decode'] += t1 - t0; t['warp'] += t2 - t1; t['target'] += t3 - t2
    return {k: v / len(idx) for k, v in t.items()}

def floor_time(ds, idx):
    "Seconds per sample for JPEG decode + one warpAffine, nothing else."
    t0 = time.perf_counter()
    for i in idx:
        r = ds.samples[i]; img = cv2.imread(str(ds.img_dir / r['file_name']), cv2.IMREAD_COLOR)
        cv2.warpAffine(img, get_affine(r['center'], r['scale'], 0, ds.input_size), ds.input_size[::-1])
    return (time.perf_counter() - t0) / len(idx)

def getitem_time(ds, idx):
    t0 = time.perf_counter()
    for i in idx: ds[i]
    return (time.perf_counter() - t0) / len(idx)

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--ann-file', help='COCO keypoint annotation file (default: synthetic data made in a temp folder)')
    p.add_argument('--img-dir', help='image folder for --ann-file')
    p.add_argument('--n', type=int, default=300, help='samples timed per configuration (default 300)')
    p.add_argument('--image-size', type=int, nargs=2, default=[480, 640], metavar=('H', 'W'), help='synthetic image size (default 480 640)')
    p.add_argument('--strides', type=int, nargs='+', default=[4, 1], help='output strides to time (default 4 1)')
    p.add_argument('--eval', action='store_true', help='evaluation crops (no augmentation) instead of training ones')
    p.add_argument('--threads', type=int, default=1, help='torch/OpenCV threads, as in one DataLoader worker (default 1)')
    a = p.parse_args()
    torch.set_num_threads(a.threads); cv2.setNumThreads(a.threads)
    if a.ann_file: ann, imgs = a.ann_file, a.img_dir
    else:
        scratch = tempfile.TemporaryDirectory(); tmp = Path(scratch.name)   # removed when the script ends
        print(f"making synthetic data ({a.image_size[1]}x{a.image_size[0]}) in {tmp} ...")
        pth = make_synth_coco(tmp, n_train=max(a.n // 2, 20), n_val=1, seed=0, image_size=tuple(a.image_size))
        ann, imgs = pth['train_ann'], pth['train_img']
    rows = []
    for stride in a.strides:
        ds = CocoKeypoints(ann, imgs, input_size=(256, 192), output_stride=stride, train=not a.eval)
        idx = [i % len(ds) for i in range(a.n)]
        torch.manual_seed(0); getitem_time(ds, idx[:10])                       # warm up
        st = stage_times(ds, idx); fl = floor_time(ds, idx); full = getitem_time(ds, idx)
        rows.append((stride, ds.heatmap_size, st, fl, full))
    print(f"\nper worker ({a.threads} thread), input 256x192, {'eval' if a.eval else 'train (hrnet aug)'} crops, {a.n} samples each")
    print(f"| {'stride':>6} | {'heatmap':>9} | {'decode ms':>10} | {'warp ms':>8} | {'target ms':>10} | {'__getitem__ ms':>15} "
          f"| {'samples/s':>10} | {'floor ms':>9} | {'floor/s':>8} |")
    print('|' + '|'.join('-' * (w + 1) + ':' for w in (6, 9, 10, 8, 10, 15, 10, 9, 8)) + '|')
    for stride, hs, st, fl, full in rows:
        print(f"| {stride:>6} | {f'{hs[0]}x{hs[1]}':>9} | {st['decode']*1e3:>10.2f} | {st['warp']*1e3:>8.2f} | {st['target']*1e3:>10.2f} "
              f"| {full*1e3:>15.2f} | {1/full:>10.0f} | {fl*1e3:>9.2f} | {1/fl:>8.0f} |")

if __name__ == '__main__': main()
