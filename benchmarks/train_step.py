#!/usr/bin/env python3
"""End-to-end training speed (steps/s, img/s) with the real data path, and whether the run is data-bound.

Sets a run up as `hrpose.train.fit` does (recipe from a preset, `create_model`, `make_datasets` -> `CocoKeypoints`,
`hrpose.loop._loader`'s DataLoader, Adam + LambdaLR + GradScaler, bf16/fp16 autocast and channels_last on CUDA,
optional torch.compile) and times `hrpose.loop.train_one_epoch` three ways:

  model only   the step on one pre-loaded batch (already on the device) repeated: the model's speed limit
  loader only  iterating the DataLoader alone, nothing else running: the data pipeline's speed limit
  full loop    train_one_epoch over the DataLoader: what a training run gets

for each --workers value (loader only and full loop). Steady-state rates are measured over --steps steps that follow
max(--warmup, 2 x workers) warm-up steps (the DataLoader prefetches 2 batches per worker, which would otherwise come
free), from train_one_epoch's on_step callback (after loss.item(), which synchronises the GPU); worker start-up, cudnn
autotuning and compilation fall in 'first s' (seconds to the end of the first step), not in the rate. Keep --steps
well above 2 x workers so that whatever the prefetch queue still holds does not flatter a data-bound run.
'x model' is the rate relative to model only: a full loop well below 1.0 with the loader only below 1.0 too means
the run is data-bound (more workers, or a faster pipeline, would help); loader only well above 1.0 means it is not.

Default data: a synthetic COCO-format set at COCO's typical image size (640x480), just large enough for one pass of
warm-up + timed steps, made by `hrpose.synth.make_synth_coco` in a temporary folder and deleted afterwards.

    python benchmarks/train_step.py              # CPU: quick preset, batch 16, workers 0 2: ~30 s on 2 idle cores, ~3 min loaded
    python benchmarks/train_step.py --preset hrnet_w32_256x192 --workers 4 8 16 --steps 200   # a GPU box
"""
import argparse, math, tempfile, time
from pathlib import Path
import torch
from hrpose.recipes import PRESETS, get_recipe, lr_lambda
from hrpose.runtime import amp_dtype, pick_device, seed_everything
from hrpose.loop import make_datasets, find_data, _loader, _default_workers, train_one_epoch
from hrpose.loss import JointsMSELoss
from hrpose.models import create_model
from hrpose.synth import make_synth_coco

class Take:
    "The first `n` batches of `loader`; each pass starts a fresh iterator (and its workers), as an epoch does."
    def __init__(self, loader, n): self.loader, self.n = loader, n
    def __len__(self): return self.n
    def __iter__(self):
        for i, b in enumerate(self.loader):
            if i == self.n: return
            yield b

def rate(stamps, t0, warmup):
    "(steps/s after the first `warmup` steps, seconds from `t0` to the end of the first step)."
    return (len(stamps) - warmup) / (stamps[-1] - stamps[warmup - 1]), stamps[0] - t0

def skip(warmup, workers):
    "Warm-up steps: at least the batches the DataLoader prefetches (2 per worker), which would otherwise come free."
    return max(warmup, 2 * workers)

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--preset', default='quick', choices=sorted(PRESETS), help='training recipe (default: quick)')
    p.add_argument('--batch-size', type=int, help="per-step batch (default: the preset's on CUDA; 16 on CPU)")
    p.add_argument('--steps', type=int, help='timed steps per measurement, best >> 2 x workers (default: 100 on CUDA, 12 on CPU)')
    p.add_argument('--warmup', type=int, default=2, help='untimed steps before them, >= 1 (default: 2; use ~5 with --compile)')
    p.add_argument('--workers', nargs='+',
                   help='DataLoader worker counts to compare, as "0 2" or "0,2" (default: 0 2 on CPU; on CUDA 0, '
                        "fit's default min(8, CPUs) and half of it)")
    p.add_argument('--device', help='cpu, cuda, cuda:1... (default: cuda when present, else cpu)')
    p.add_argument('--no-amp', dest='amp', action='store_false', help='full precision on CUDA (default: bf16/fp16 autocast, as fit)')
    p.add_argument('--compile', action='store_true', help='torch.compile the model, as fit(compile=True)')
    p.add_argument('--data', help='dataset root, COCO or synthetic layout (default: synthetic, made in a temp folder)')
    p.add_argument('--image-size', type=int, nargs=2, default=[480, 640], metavar=('H', 'W'),
                   help='synthetic image size (default: 480 640, typical of COCO)')
    p.add_argument('--seed', type=int, default=0)
    a = p.parse_args()
    if a.warmup < 1: p.error('--warmup must be >= 1')
    device = pick_device(a.device)
    cuda = device.type == 'cuda'
    workers = ([int(w) for s in a.workers for w in s.split(',') if w] if a.workers else
               sorted({0, max(1, _default_workers() // 2), _default_workers()}) if cuda else [0, 2])
    steps = a.steps or (100 if cuda else 12)
    recipe = get_recipe(a.preset, batch_size=a.batch_size or (None if cuda else 16))
    n = skip(a.warmup, max(workers)) + steps
    with tempfile.TemporaryDirectory() as tmp:
        if a.data: paths = find_data(a.data)
        else:
            n_img = math.ceil(n * recipe.batch_size / 2 * 1.1) + 4          # ~2 people per synthetic image
            t = time.perf_counter()
            paths = make_synth_coco(Path(tmp), n_train=n_img, n_val=1, seed=a.seed, image_size=tuple(a.image_size))
            print(f"synthetic data: {n_img} images {a.image_size[1]}x{a.image_size[0]} in {time.perf_counter() - t:.0f}s")
        run(recipe, paths, device, workers, a, steps)

def run(recipe, paths, device, workers, a, steps):
    cuda = device.type == 'cuda'
    seed_everything(a.seed)
    model = create_model(recipe.model, pretrained=False, **recipe.model_options).to(device)
    train_ds, _ = make_datasets(recipe, paths, model.output_stride)
    channels_last, dtype = cuda, amp_dtype(device, a.amp)
    if channels_last: torch.backends.cudnn.benchmark = True; model = model.to(memory_format=torch.channels_last)
    n = skip(a.warmup, max(workers)) + steps
    nb = len(train_ds) // recipe.batch_size
    if nb < n: raise SystemExit(f"{len(train_ds)} samples give {nb} batches of {recipe.batch_size}, fewer than "
                                f"--warmup + --steps = {n}; lower them or use a larger dataset")
    optimizer = torch.optim.Adam(model.parameters(), lr=recipe.lr, weight_decay=recipe.weight_decay)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda(recipe, nb))
    scaler = torch.amp.GradScaler(device.type, enabled=dtype == torch.float16)
    net = torch.compile(model) if a.compile else model
    loss_fn = JointsMSELoss(topk=recipe.ohkm_topk)
    print(f"preset {a.preset}: {recipe.model} {recipe.model_options or ''} input {recipe.input_size[0]}x{recipe.input_size[1]}, "
          f"stride {model.output_stride}, batch {recipe.batch_size}; {len(train_ds)} training samples\n"
          f"device {torch.cuda.get_device_name(device) if cuda else 'cpu'} ({torch.get_num_threads()} torch threads), "
          f"autocast {dtype}, channels_last {channels_last}, compile {a.compile}; torch {torch.__version__}\n"
          f"{steps} timed steps per measurement after {a.warmup} warm-up steps (2 x workers with workers: prefetched batches)")

    def train(loader, warmup):
        stamps = []; t0 = time.perf_counter()
        train_one_epoch(net, loader, loss_fn, optimizer, scheduler, scaler, device, 1, dtype, channels_last, progress=False,
                        on_step=lambda e, s, l: stamps.append(time.perf_counter()))
        return rate(stamps, t0, warmup)

    def load_only(loader, warmup):
        stamps = []; t0 = time.perf_counter()
        for _ in loader: stamps.append(time.perf_counter())
        return rate(stamps, t0, warmup)

    rows = []
    loader, gen = _loader(train_ds, recipe, 1, 0, 0, device, a.seed)
    gen.manual_seed(a.seed)
    batch = {k: v.to(device, non_blocking=True) if torch.is_tensor(v) else v for k, v in next(iter(loader)).items()}
    model_rate, model_first = train([batch] * (a.warmup + steps), a.warmup)
    rows.append(('model only (pre-loaded batch)', '-', model_rate, model_first))
    for w in workers:
        loader, gen = _loader(train_ds, recipe, 1, 0, w, device, a.seed)
        k = skip(a.warmup, w)
        gen.manual_seed(a.seed); rows.append(('loader only', w, *load_only(Take(loader, k + steps), k)))
        gen.manual_seed(a.seed); rows.append(('full loop (train_one_epoch)', w, *train(Take(loader, k + steps), k)))

    bs = recipe.batch_size
    print(f"\n| {'measurement':<29} | workers | {'steps/s':>7} | {'img/s':>7} | x model | first s |")
    print(f"|{'-' * 31}|--------:|--------:|--------:|--------:|--------:|")
    for what, w, r, first in rows:
        print(f"| {what:<29} | {w:>7} | {r:7.2f} | {r * bs:7.1f} | {r / model_rate:7.2f} | {first:7.1f} |")
    print()
    for w in workers:
        ld = next(r for what, ww, r, _ in rows if ww == w and what == 'loader only')
        full = next(r for what, ww, r, _ in rows if ww == w and what.startswith('full'))
        lost = f"the full loop runs at {full / model_rate:.0%} of the model-only rate"
        if w == 0:   # loading and the step run one after the other in the main process
            print(f"workers 0: loading runs in series with the step ({1 / ld:.2f}s of data per step); {lost} "
                  f"(series estimate {1 / (1 / ld + 1 / model_rate) / model_rate:.0%})")
        else:
            print(f"workers {w}: {'DATA-BOUND' if ld < model_rate else 'model-bound'}: the loader alone delivers "
                  f"{ld / model_rate:.2f}x the model's rate; {lost}")

if __name__ == '__main__': main()
