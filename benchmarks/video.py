#!/usr/bin/env python3
"""Frames per second of hrpose's video path (`hrpose.video.predict_video`) against the image path: `hrpose_predict`
called on the same frames saved as a folder of JPEG images, one image after another, as a user would do today.

Both paths use the same pose checkpoint (a randomly initialised network: speed does not depend on the weights), the
same flip test, batch size and device, and the same person boxes: the synthetic clip's true boxes, read back from a
small binary code drawn in each frame's corner, plus (default) the cost of a real detector forward pass on the frame
(torchvision's Faster R-CNN MobileNetV3-320 with random weights, its output discarded), so that `det_every` shows what
skipping the detector saves. `--detector-weights` runs a real `PersonDetector` instead (its boxes are then used).
Each path writes what it writes for a user: the image path a drawing per image and results.json; the video path the
annotated video, the per-frame JSON lines and the summary.

    python benchmarks/video.py                       # 60 frames 480x640, sbn_r18 at 256x192, ~1-2 minutes on 2 CPU cores
    python benchmarks/video.py --device cuda --frames 300 --model hrnet_w32 --detector-cost r50
"""
import argparse, contextlib, io, shutil, tempfile, time
from pathlib import Path
import cv2, numpy as np, torch
from hrpose.models import create_model
from hrpose.predictor import PosePredictor
from hrpose.detector import PersonDetector
from hrpose.predict import hrpose_predict
from hrpose.synth import background, body_pose, draw_person
from hrpose.tracking import PoseSmoother
from hrpose.utils import parse_input_size
from hrpose.video import predict_video, VideoFrames

CODE_BITS, CELL = 12, 6                       # the frame index as 12 black/white cells of 6x6 px, top-left

def draw_code(img, i):
    for b in range(CODE_BITS): img[:CELL, b * CELL:(b + 1) * CELL] = 255 if (i >> b) & 1 else 0

def read_code(img):
    return sum(1 << b for b in range(CODE_BITS) if img[1:CELL - 1, b * CELL + 1:(b + 1) * CELL - 1].mean() > 127)

def make_clip(folder, n, size, n_people, fps, seed=0):
    "clip.avi (mp4v) and frames/NNNNNN.jpg of `n_people` synthetic people walking; the true boxes (N, 5) per frame."
    rng = np.random.default_rng(seed); H, W = size
    bg = background(rng, size); people = [(body_pose(rng), rng.uniform(0.35, 0.6) * H, rng.uniform(0.1, 0.9) * W,
                                           rng.uniform(0.55, 0.85) * H, rng.choice([-1, 1]) * rng.uniform(1, 4))
                                          for _ in range(n_people)]
    (folder / 'frames').mkdir(parents=True)
    w = cv2.VideoWriter(str(folder / 'clip.avi'), cv2.VideoWriter_fourcc(*'mp4v'), fps, (W, H)); boxes = []
    for f in range(n):
        img, bx = bg.copy(), []
        for k, ((J, yaw), h, x0, y0, vx) in enumerate(people):
            m = np.zeros(size, np.uint8)
            draw_person(img, m, J * h + [(x0 + vx * f) % W, y0], h, np.random.default_rng(k), yaw)
            ys, xs = np.nonzero(m)
            if len(xs): bx.append([xs.min(), ys.min(), xs.max() - xs.min() + 1, ys.max() - ys.min() + 1, 1.0])
        draw_code(img, f); boxes.append(np.array(bx, float).reshape(-1, 5))
        w.write(img[..., ::-1]); cv2.imwrite(str(folder / 'frames' / f'{f:06d}.jpg'), img[..., ::-1], [cv2.IMWRITE_JPEG_QUALITY, 95])
    w.release()
    return boxes

def detector_fn(boxes, cost, weights, device):
    "image -> boxes: a real PersonDetector, or the clip's true boxes after (optionally) paying for a detector's forward."
    if weights: return PersonDetector(weights, device=device)
    net = None
    if cost != 'none':
        from torchvision.models import detection
        arch = dict(mobilenet='fasterrcnn_mobilenet_v3_large_320_fpn', r50='fasterrcnn_resnet50_fpn_v2')[cost]
        net = getattr(detection, arch)(weights=None, weights_backbone=None, num_classes=91).to(device).eval()
    def det(img):
        if net is not None:
            x = torch.from_numpy(np.ascontiguousarray(img[..., ::-1].transpose(2, 0, 1))).float().div_(255).to(device)
            with torch.inference_mode(): net([x])
        return boxes[read_code(img)]
    return det

def checkpoint(model, input_size, path):
    "A checkpoint of a randomly initialised `model`, as hrpose_train would save it (weights, model name, recipe)."
    torch.manual_seed(0); net = create_model(model, pretrained='none')
    torch.save(dict(model=net.state_dict(), model_name=model, model_options={},
                    recipe=dict(input_size=list(input_size), flip_test=True)), path)
    return path

def timed(f):
    t = time.perf_counter(); f(); return time.perf_counter() - t

def run(a, tmp):
    "Make the clip, time every row, print the table."
    device = torch.device(a.device or ('cuda' if torch.cuda.is_available() else 'cpu'))
    size, input_size = parse_input_size(a.size), parse_input_size(a.input_size)
    t = time.perf_counter(); boxes = make_clip(tmp, a.frames, size, a.people, a.fps)
    ck = checkpoint(a.model, input_size, tmp / 'pose.pth')
    pred = PosePredictor.from_checkpoint(ck, device=device, batch_size=a.batch_size)
    det = detector_fn(boxes, a.detector_cost, a.detector_weights, device)
    print(f"clip: {a.frames} frames {size[1]}x{size[0]} at {a.fps:g} fps, {a.people} people, in {tmp} (made in "
          f"{time.perf_counter() - t:.1f}s)\npose: {a.model} at {input_size[0]}x{input_size[1]}, flip test, batch "
          f"{a.batch_size}; detector: {'weights ' + a.detector_weights if a.detector_weights else a.detector_cost + ' cost, true boxes'}"
          f"\ndevice {device} ({torch.get_num_threads()} torch threads), torch {torch.__version__}, OpenCV {cv2.__version__}")
    runs = {}
    def image_path():
        with contextlib.redirect_stdout(io.StringIO()):
            hrpose_predict([str(tmp / 'frames')], checkpoint=str(ck), detector=det, out=str(tmp / 'img'), overwrite=True,
                           batch_size=a.batch_size, device=str(device), quiet=True)
    def video_path(src, n, smooth):
        return lambda: predict_video(pred, src, tmp / 'vid', det, det_every=n, smoother=PoseSmoother() if smooth else None,
                                     overwrite=True, progress=False)
    rows = [('hrpose_predict on the frames (images)', 'frames/*.jpg', 1, image_path)]
    rows += [(f'predict_video{", smoothed" if s else ""}', 'clip.avi', n, video_path(tmp / 'clip.avi', n, s))
             for n in a.det_every for s in ((False, True) if n == max(a.det_every) else (False,))]
    rows += [('predict_video on the frames', 'frames/', 1, video_path(tmp / 'frames', 1, False))]
    with contextlib.redirect_stdout(io.StringIO()):               # warm-up: allocator, kernels, file cache
        predict_video(pred, VideoFrames(tmp / 'clip.avi'), tmp / 'warm', det, progress=False)
    for name, src, n, f in rows: runs[name, src, n] = min(timed(f) for _ in range(a.repeat))
    base = runs[rows[0][0], rows[0][1], 1]
    print(f"\n| path | input | det every | frames/s | x image path |\n|---|---|--:|--:|--:|")
    for (name, src, n), s in runs.items():
        print(f"| {name} | {src} | {n} | {a.frames / s:.2f} | {base / s:.2f} |")

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--frames', type=int, default=60, help='frames in the clip (default 60)')
    ap.add_argument('--size', default='480x640', help='frame size HxW (default 480x640, COCO-like)')
    ap.add_argument('--people', type=int, default=2, help='people per frame (default 2)')
    ap.add_argument('--fps', type=float, default=30, help='frame rate of the clip (default 30)')
    ap.add_argument('--model', default='sbn_r18', help='pose network (default sbn_r18; any create_model name)')
    ap.add_argument('--input-size', default='256x192', help='network input HxW (default 256x192)')
    ap.add_argument('--batch-size', type=int, default=32, help='crops per forward pass, both paths (default 32)')
    ap.add_argument('--det-every', type=int, nargs='+', default=[1, 5], help='video rows: detector every N frames (default 1 5)')
    ap.add_argument('--detector-cost', choices=['none', 'mobilenet', 'r50'], default='mobilenet',
                    help="detector forward paid per detection: torchvision Faster R-CNN MobileNetV3-320 (default), "
                         "ResNet-50-FPN v2, or none (boxes free)")
    ap.add_argument('--detector-weights', help='a torchvision COCO Faster R-CNN .pth: run the real PersonDetector instead')
    ap.add_argument('--device', default=None, help='cpu, cuda, ... (default: cuda if available)')
    ap.add_argument('--repeat', type=int, default=1, help='timed runs per row; the fastest is kept (default 1)')
    ap.add_argument('--keep', action='store_true', help='keep the temporary folder (clip, outputs)')
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix='hrpose_video_bench_'))
    try: run(a, tmp)
    finally:
        if not a.keep: shutil.rmtree(tmp)

if __name__ == '__main__': main()
