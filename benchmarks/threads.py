#!/usr/bin/env python3
"""Training throughput on a CPU that other work also uses: one process on N threads against N single-thread processes.

Each of torch's parallel operations waits for all of its threads, so a process running on every core stalls whenever
another program takes one of them, while single-thread processes only lose the time they are not scheduled. This is
why `hrpose_ablation --jobs 2` runs two single-thread trainings rather than one on two threads. The script times
training steps (forward, backward, Adam) of one of `hrpose.ablation`'s rows on random 96x64 batches, three ways:

  1 x N threads   one process, torch on N threads (N = --threads, default: the CPU count)
  1 x 1 thread    one process on one thread
  N x 1 thread    N processes on one thread each, their images/s added up

each alone and again next to --busy processes that spin a core each (default: N - 1, the other work), and prints
images/s and the ratio to `1 x N threads` alone.

    python benchmarks/threads.py                       # FR-SBN row, about 2 minutes on 2 cores
    python benchmarks/threads.py --row SBN --steps 20 --busy 1
"""
import argparse, multiprocessing as mp, os, time

def spin(stop):
    "Keep one core busy until `stop` is set (the other program)."
    while not stop.is_set(): sum(i * i for i in range(10_000))

def steps(row, threads, n, batch, out):
    "Time `n` training steps of `row` on `threads` threads after two warm-up steps; put images/s on `out`."
    import torch
    torch.set_num_threads(threads)
    from hrpose.ablation import ABLATION_ROWS, ABLATION_INPUT
    from hrpose.models import create_model
    from hrpose.loss import JointsMSELoss
    torch.manual_seed(0)
    name, opts = ABLATION_ROWS[row]
    net = create_model(name, **opts); opt = torch.optim.Adam(net.parameters(), 1e-3); loss = JointsMSELoss()
    H, W = ABLATION_INPUT; s = net.output_stride
    x, t, w = torch.randn(batch, 3, H, W), torch.rand(batch, 17, H // s, W // s) * 0.1, torch.ones(batch, 17, 1)
    for i in range(n + 2):
        if i == 2: t0 = time.perf_counter()
        l = loss(net(x), t, w); opt.zero_grad(); l.backward(); opt.step()
    out.put(n * batch / (time.perf_counter() - t0))

def measure(row, procs, threads, busy, n, batch):
    "Images/s of `procs` processes on `threads` threads each, added up, with `busy` spinning processes beside them."
    ctx = mp.get_context('spawn')
    stop, out = ctx.Event(), ctx.Queue()
    spinners = [ctx.Process(target=spin, args=(stop,)) for _ in range(busy)]
    workers = [ctx.Process(target=steps, args=(row, threads, n, batch, out)) for _ in range(procs)]
    for p in spinners + workers: p.start()
    rates = [out.get() for _ in workers]
    stop.set()
    for p in spinners + workers: p.join()
    return sum(rates)

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--row', default='FR-SBN', help="a row of hrpose.ablation.ABLATION_ROWS")
    ap.add_argument('--threads', type=int, default=os.cpu_count(), help='N: threads of the one process, or processes')
    ap.add_argument('--busy', type=int, default=None, help='spinning processes beside the training (default N - 1)')
    ap.add_argument('--steps', type=int, default=10, help='timed steps per process')
    ap.add_argument('--batch', type=int, default=16)
    a = ap.parse_args()
    N, busy = a.threads, a.threads - 1 if a.busy is None else a.busy
    print(f"{a.row} row, batch {a.batch}, 96x64, {a.steps} timed steps; {os.cpu_count()} CPUs, load before: "
          f"{os.getloadavg()[0]:.2f}\n")
    print(f"| configuration | other work | img/s | x 1 x {N} threads alone |\n|---|---|---|---|")
    base = None
    for b in (0, busy):
        for label, procs, threads in ((f'1 x {N} threads', 1, N), ('1 x 1 thread', 1, 1), (f'{N} x 1 thread', N, 1)):
            r = measure(a.row, procs, threads, b, a.steps, a.batch)
            base = base or r
            print(f"| {label} | {b} busy process{'es' * (b != 1)} | {r:.1f} | {r / base:.2f} |", flush=True)

if __name__ == '__main__': main()
