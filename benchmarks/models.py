#!/usr/bin/env python3
"""Throughput of every `hrpose.models.create_model` network at 256x192: forward and forward+backward images/s.

For each device, model and configuration it times `--iters` iterations after `--warmup` ones (keeping the fastest, as
timeit does: the one least disturbed by other load on a shared machine) of (1) a forward pass in eval mode under
`torch.inference_mode` and (2) a training forward+backward (train mode, loss = mean square of the heatmaps, no
optimizer; see benchmarks/train_step.py for whole steps), and reports:

  fwd/train img/s   batch size / fastest iteration time
  fwd x, train x    speed relative to the model's first configuration on that device (the ratio to compare machines by)
  fwd/train MiB     peak memory: CUDA `torch.cuda.max_memory_allocated` (weights included); CPU the process's
                    resident-set high-water mark (VmHWM, reset before each pass) minus the RSS before the model was built
  GFLOP/img         forward FLOPs of one image (`hrpose.models.count_flops`, FlopCounterMode on the meta device)
  TFLOP/s, % peak   achieved FLOP rate of the training pass (forward+backward FLOPs counted by FlopCounterMode) and its
                    fraction of the device's dense bf16 tensor-core peak (--peak-tflops; default from a table keyed on
                    torch.cuda.get_device_name(), CUDA only). The same peak is used for every row, fp32 ones included.
  warm-up s         time of the warm-up iterations (includes torch.compile's compilation and cudnn autotuning)

Configurations (--configs): a dtype (fp32, bf16, fp16: autocast) with optional '+cl' (channels_last model and input)
and '+compile' (torch.compile, default mode), as the training code uses them (hrpose.train.fit: bf16 autocast and
channels_last on CUDA, --compile optional). 'all' = every combination for the device. CUDA rows run with
cudnn.benchmark on (as fit does) and PyTorch's default TF32 convolutions, so 'fp32' there means TF32 convolutions.

Defaults: on CPU batch 2, 1 warm-up + 3 timed iterations, 4 models (sbn_r50 frsbn_r34 hrnet_w32 hrgcnet_w32; all 14
take ~10+ minutes on 2 cores), config fp32; on CUDA batch 32, 3 + 20 iterations, all 14 models, configs
fp32 fp32+cl bf16 bf16+cl bf16+cl+compile.

    python benchmarks/models.py                                  # CPU: ~1 min on 2 idle cores, ~3.5 loaded
    python benchmarks/models.py --all --configs fp32 fp32+cl     # CPU, all 14 models, channels_last too (long)
    python benchmarks/models.py                                  # CUDA: all 14 x 5 configs; compilation dominates
    python benchmarks/models.py --device cuda cpu --models hrnet_w32 sbn_r50
    python benchmarks/models.py --device cuda --configs all --batch-size 64
"""
import argparse, ctypes, gc, itertools, resource, statistics, sys, time, traceback
from contextlib import nullcontext
import torch
from torch.utils.flop_counter import FlopCounterMode
from hrpose.models import MODEL_NAMES, create_model
from hrpose.complexity import count_flops

SIZE = (256, 192)
CPU_MODELS = ('sbn_r50', 'frsbn_r34', 'hrnet_w32', 'hrgcnet_w32')
CPU_CONFIGS = ('fp32',)
CUDA_CONFIGS = ('fp32', 'fp32+cl', 'bf16', 'bf16+cl', 'bf16+cl+compile')
# Dense (no sparsity) bf16 tensor-core peak in TFLOP/s by device name, first match wins (vendor datasheets; fp16 for
# V100/T4, which have no bf16). Pass --peak-tflops for anything else.
PEAK_TFLOPS = (('GH200', 989), ('H200', 989), ('H100 PCIe', 756), ('H100 NVL', 835), ('H100', 989), ('H800', 989),
               ('B200', 2250), ('B100', 1750), ('A100', 312), ('A800', 312), ('L40S', 362), ('L40', 181), ('L4', 121),
               ('A6000', 155), ('RTX 4090', 165), ('RTX 3090', 71), ('A10G', 70), ('A10', 125), ('V100', 125), ('T4', 65))

def device_peak(name):
    "Dense bf16 peak TFLOP/s of a CUDA device from `PEAK_TFLOPS`, or None."
    return next((v for k, v in PEAK_TFLOPS if k in name), None)

def parse_config(s):
    "'bf16+cl+compile' -> dict(dtype=torch.bfloat16, cl=True, compile=True)."
    dt, *opts = s.split('+')
    dtypes = dict(fp32=None, bf16=torch.bfloat16, fp16=torch.float16)
    if dt not in dtypes or not set(opts) <= {'cl', 'compile'}:
        raise SystemExit(f"bad config {s!r}: expected fp32|bf16|fp16 followed by optional +cl and +compile")
    return dict(name=s, dtype=dtypes[dt], cl='cl' in opts, compile='compile' in opts)

def all_configs(device):
    dts = ('fp32', 'bf16') if device == 'cuda' else ('fp32',)
    return [d + '+cl' * cl + '+compile' * c for d in dts for c in (False, True) for cl in (False, True)]

# --- memory --------------------------------------------------------------------------------------------------------
def _trim():
    gc.collect()
    try: ctypes.CDLL('libc.so.6').malloc_trim(0)    # hand freed heap back so the next high-water mark starts low
    except (OSError, AttributeError): pass

def _status_kb(key):
    try:
        for line in open('/proc/self/status'):
            if line.startswith(key + ':'): return int(line.split()[1])
    except OSError: pass
    return None

def rss_mib(): return (_status_kb('VmRSS') or 0) / 1024

def reset_peak(device):
    "Start a new peak-memory window."
    _trim()
    if device == 'cuda': torch.cuda.synchronize(); torch.cuda.reset_peak_memory_stats(); return
    try:
        with open('/proc/self/clear_refs', 'w') as f: f.write('5')       # Linux >= 4.0: VmHWM := VmRSS
    except OSError: pass

def peak_mib(device):
    "Peak memory since `reset_peak`: CUDA allocated bytes, or the CPU resident high-water mark (absolute)."
    if device == 'cuda': return torch.cuda.max_memory_allocated() / 2**20
    hwm = _status_kb('VmHWM')
    if hwm is None:                                    # no /proc: ru_maxrss (never reset, so only rises)
        r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return r / 2**20 if sys.platform == 'darwin' else r / 1024
    return hwm / 1024

# --- FLOPs ---------------------------------------------------------------------------------------------------------
def flops_per_image(name):
    "(forward, forward+backward) FLOPs of one 256x192 image, counted on the meta device (no memory, no compute)."
    with torch.device('meta'): m = create_model(name)
    fwd = count_flops(m, SIZE)['flops']
    try:
        with FlopCounterMode(display=False) as fc:
            m(torch.empty(1, 3, *SIZE, device='meta')).float().square().mean().backward()
        train = fc.get_total_flops()
    except Exception: train = 3 * fwd                 # backward ~ 2x forward
    return fwd, train

# --- timing --------------------------------------------------------------------------------------------------------
def sync(device):
    if device == 'cuda': torch.cuda.synchronize()

def time_it(fn, device, warmup, iters):
    "(warm-up seconds, fastest timed iteration in seconds: the least disturbed by other load)."
    ts = []
    for _ in range(warmup + iters):
        sync(device); t = time.perf_counter(); fn(); sync(device); ts.append(time.perf_counter() - t)
    return sum(ts[:warmup]), min(ts[warmup:])

def measure(model, cfg, device, batch_size, warmup, iters, base_mib):
    "Forward and training throughput and peak memory of `model` (already on `device`) under configuration `cfg`."
    fmt = torch.channels_last if cfg['cl'] else torch.contiguous_format
    model.to(memory_format=fmt)
    x = torch.randn(batch_size, 3, *SIZE, device=device).contiguous(memory_format=fmt)
    if cfg['compile']: torch._dynamo.reset()           # fresh cache per model: shared forward code would hit the recompile limit
    net = torch.compile(model) if cfg['compile'] else model
    amp = lambda: torch.autocast(device, dtype=cfg['dtype'] or torch.float32, enabled=cfg['dtype'] is not None)
    def fwd():
        with torch.inference_mode(), amp(): net(x)
    def train():
        model.zero_grad(set_to_none=True)
        with amp(): out = net(x)
        out.float().square().mean().backward()
    r = {}
    for mode, fn in (('fwd', fwd), ('train', train)):
        model.train(mode == 'train')
        reset_peak(device)
        warm, t = time_it(fn, device, warmup, iters)
        r[mode] = batch_size / t; r[mode + '_mib'] = peak_mib(device) - base_mib; r[mode + '_warm'] = warm
    model.zero_grad(set_to_none=True)
    return r

# --- table ---------------------------------------------------------------------------------------------------------
COLS = ('device', 'model', 'config', 'fwd img/s', 'train img/s', 'fwd x', 'train x', 'fwd MiB', 'train MiB',
        'GFLOP/img', 'TFLOP/s', '% peak', 'warm-up s')
WIDTHS = (6, 12, 16, 9, 11, 5, 7, 8, 9, 9, 7, 6, 9)

def row(*vals):
    print('| ' + ' | '.join(f'{v:<{w}}' if i < 3 else f'{v:>{w}}' for i, (v, w) in enumerate(zip(vals, WIDTHS))) + ' |',
          flush=True)

def main():
    has_cuda = torch.cuda.is_available()
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--device', nargs='+', choices=('cpu', 'cuda'), default=['cuda' if has_cuda else 'cpu'],
                   help='devices to time, in order (default: cuda when present, else cpu)')
    p.add_argument('--models', nargs='+', choices=MODEL_NAMES, metavar='NAME',
                   help=f"models (default: all 14 on CUDA, {' '.join(CPU_MODELS)} on CPU); one of: {' '.join(MODEL_NAMES)}")
    p.add_argument('--all', action='store_true', help='all 14 models on every device')
    p.add_argument('--configs', nargs='+', metavar='CFG',
                   help=f"configurations such as fp32, fp32+cl, bf16+cl+compile, or 'all' "
                        f"(default: {' '.join(CUDA_CONFIGS)} on CUDA, {' '.join(CPU_CONFIGS)} on CPU)")
    p.add_argument('--batch-size', type=int, help='images per iteration (default: 32 on CUDA, 2 on CPU)')
    p.add_argument('--warmup', type=int, help='untimed iterations per pass (default: 3 on CUDA, 1 on CPU)')
    p.add_argument('--iters', type=int, help='timed iterations per pass, fastest reported (default: 20 on CUDA, 3 on CPU)')
    p.add_argument('--peak-tflops', type=float,
                   help="the CUDA device's dense bf16 peak for '%% peak' (default: looked up by device name: "
                        + ', '.join(f'{k} {v}' for k, v in PEAK_TFLOPS) + ')')
    p.add_argument('--threads', type=int, help='torch CPU threads (default: torch\'s choice)')
    a = p.parse_args()
    if 'cuda' in a.device and not has_cuda: raise SystemExit('--device cuda: CUDA is not available here')
    if a.threads: torch.set_num_threads(a.threads)

    print(f"torch {torch.__version__}, {torch.get_num_threads()} CPU threads, input {SIZE[0]}x{SIZE[1]}")
    flops = {}
    header = False
    for device in a.device:
        cuda = device == 'cuda'
        models = a.models or (MODEL_NAMES if cuda or a.all else CPU_MODELS)
        configs = a.configs or (CUDA_CONFIGS if cuda else CPU_CONFIGS)
        if configs == ['all']: configs = all_configs(device)
        configs = [parse_config(c) for c in configs]
        bs = a.batch_size or (32 if cuda else 2)
        warmup = a.warmup if a.warmup is not None else (3 if cuda else 1)
        iters = a.iters or (20 if cuda else 3)
        peak = None
        if cuda:
            torch.backends.cudnn.benchmark = True
            name = torch.cuda.get_device_name()
            peak = a.peak_tflops or device_peak(name)
            print(f"cuda: {name}, {torch.cuda.get_device_properties(0).total_memory / 2**30:.0f} GiB, "
                  f"peak {peak or '?'} TFLOP/s dense bf16 ({'--peak-tflops' if a.peak_tflops else 'table'})")
        print(f"{device}: batch {bs}, {warmup} warm-up + {iters} timed iterations (fastest), "
              f"configs {' '.join(c['name'] for c in configs)}, {len(models)} models\n")
        if not header:
            row(*COLS); print('|' + '|'.join('-' * (w + 2 - (i >= 3)) + ':' * (i >= 3) for i, w in enumerate(WIDTHS)) + '|')
            header = True
        for name in models:
            if name not in flops: flops[name] = flops_per_image(name)
            f_fwd, f_train = flops[name]
            _trim(); base = 0.0 if cuda else rss_mib()
            model = create_model(name).to(device)
            ref = None
            for cfg in configs:
                try:
                    r = measure(model, cfg, device, bs, warmup, iters, base)
                except Exception as e:
                    oom = isinstance(e, torch.OutOfMemoryError)
                    if not oom: traceback.print_exc(limit=2)
                    row(device, name, cfg['name'], 'OOM' if oom else 'error', *[''] * 9)
                    model.zero_grad(set_to_none=True); gc.collect()
                    if cuda: torch.cuda.empty_cache()
                    continue
                ref = ref or r
                tflops = r['train'] * f_train / 1e12
                row(device, name, cfg['name'], f"{r['fwd']:.1f}", f"{r['train']:.1f}", f"{r['fwd'] / ref['fwd']:.2f}",
                    f"{r['train'] / ref['train']:.2f}", f"{r['fwd_mib']:.0f}", f"{r['train_mib']:.0f}",
                    f"{f_fwd / 1e9:.1f}", f"{tflops:.3g}", f"{100 * tflops / peak:.1f}" if peak else '-',
                    f"{r['fwd_warm'] + r['train_warm']:.1f}")
            del model; _trim()
            if cuda: torch.cuda.empty_cache()

if __name__ == '__main__': main()
