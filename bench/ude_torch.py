#!/usr/bin/python3
"""The flagship UDE of issue 5 trained the way a Python user would: PyTorch autograd
through a fixed-step RK4, float64, one thread.

    /usr/bin/python3 bench/ude_torch.py PROBLEM.json [--iters K] [--fd-check N]

PROBLEM.json is written by build/bench/ude (bench/ude.c) and holds everything both sides
need to compute the same loss:

  params      {"C", "gNa", "gK", "gL", "ENa", "EK", "EL", "I"}  hh_rinzel's values
  stim        [[t_start, t_end, amplitude], ...]  steps on [t_start, t_end), added to I
  y0          [V0, n0]; dt (the RK4 step, cut to divide each data interval)
  starts      optional {"theta": [s_V, s_n], "mean": [..], "std": [..], "trainable": bool}:
              the initial state is mean + std * theta, trained with the network when
              trainable (its gradient follows the network's). bench/ude.c does not write
              it: neurodyn's single shooting starts from the model's initial values, fixed
  data_t, data_V   the observed samples
  loss_scale  the loss is mean_j ((V_pred(t_j) - V_j) / loss_scale)^2 (neurodyn: the
              sample standard deviation of the observed V)
  net         the network in nd_mlp_to_json form (inputs V, n; output INa; scaling)
  iters, lr, beta1, beta2, eps   Adam

The model is hh_rinzel (lib/models/hh_rinzel.nd) with INa = gNa mInf(V)^3 (0.89 - 1.1 n)
(V - ENa) replaced by the network:

  dV/dt = (I + u(t) - net(V, n) - gK n^4 (V - EK) - gL (V - EL)) / C
  dn/dt = an(V) (1 - n) - bn(V) n

The integration mirrors lib/learn/ude_fit.c operation for operation, so that both sides
agree to rounding: each data interval [t_j, t_j+1] is split into
sub_j = ceil((t_j+1 - t_j) / dt - 1e-9) equal steps h, step m starts at t_j + m h, the
stages sit at that time + c_s h and see the stimulus at exactly that time (a step's last
stage on a stimulus edge sees the value after it), the stage states are
y + (h a_sj) K_j and the update adds (h b_s) K_s stage by stage. The stimulus at every
stage is tabulated once, outside the timed loop.

Prints one JSON object: seconds per Adam iteration (forward + backward + step), seconds
per forward solve without autograd, the loss before and after every iteration, the
gradient at the initial parameters (same layout as the network's flat parameters:
per layer W row-major (fan_out x fan_in), then b) and, with --fd-check, a comparison of
that gradient with central differences.
"""

import argparse
import json
import math
import sys
import time

import torch

torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)


def stim_value(steps, t):
    return sum(a for (t_a, t_b, a) in steps if t >= t_a and t < t_b)


def grid(t, dt):
    """(h, [(u at c = 0, c = 1/2, c = 1) for each step]) per data interval, as ude_fit.c."""
    out = []
    for j in range(len(t) - 1):
        sub = max(1, math.ceil((t[j + 1] - t[j]) / dt - 1e-9)) if dt > 0 else 1
        h = (t[j + 1] - t[j]) / sub
        out.append((h, [(t[j] + m * h, h) for m in range(sub)]))
    return out


def stage_stimulus(steps, t, dt):
    """For every data interval: its step h and, per step, u at the three distinct stage
    times t_step + 0 h, t_step + 0.5 h, t_step + 1 h."""
    return [(h, [(stim_value(steps, ts + 0.0 * h), stim_value(steps, ts + 0.5 * h),
                  stim_value(steps, ts + 1.0 * h)) for ts, _ in steps_j])
            for h, steps_j in grid(t, dt)]


class Net(torch.nn.Module):
    """The network of nd_mlp_to_json: Linear layers, activation on the hidden ones,
    inputs standardised and outputs de-standardised inside."""

    def __init__(self, j):
        super().__init__()
        widths = [j["inputs"]] + list(j["hidden"]) + [j["outputs"]]
        act = {"tanh": torch.nn.Tanh, "relu": torch.nn.ReLU, "sigmoid": torch.nn.Sigmoid,
               "softplus": torch.nn.Softplus, "swish": torch.nn.SiLU}[j["activation"]]
        layers = []
        p = j["params"]
        off = 0
        for l in range(len(widths) - 1):
            fi, fo = widths[l], widths[l + 1]
            lin = torch.nn.Linear(fi, fo)
            with torch.no_grad():
                lin.weight.copy_(torch.tensor(p[off:off + fi * fo]).reshape(fo, fi))
                off += fi * fo
                lin.bias.copy_(torch.tensor(p[off:off + fo]))
                off += fo
            layers.append(lin)
            if l < len(widths) - 2:
                layers.append(act())
        assert off == len(p), "parameter count does not match the architecture"
        self.body = torch.nn.Sequential(*layers)
        s = j.get("scaling") or {}
        self.register_buffer("in_mean", torch.tensor(s.get("in_mean", [0.0] * widths[0])))
        self.register_buffer("in_std", torch.tensor(s.get("in_std", [1.0] * widths[0])))
        self.register_buffer("out_mean", torch.tensor(s.get("out_mean", [0.0] * widths[-1])))
        self.register_buffer("out_std", torch.tensor(s.get("out_std", [1.0] * widths[-1])))

    def forward(self, x):
        return self.out_mean + self.out_std * self.body((x - self.in_mean) / self.in_std)

    def flat_params(self):
        return torch.cat([p.reshape(-1) for p in self.parameters()])

    def flat_grad(self):
        return torch.cat([p.grad.reshape(-1) for p in self.parameters()])


class RinzelUDE(torch.nn.Module):
    def __init__(self, prob):
        super().__init__()
        self.net = Net(prob["net"])
        par = prob["params"]
        self.C, self.gK, self.gL = par["C"], par["gK"], par["gL"]
        self.EK, self.EL, self.I = par["EK"], par["EL"], par["I"]
        st = prob.get("starts")
        if st:
            self.s_mean = torch.tensor(st["mean"])
            self.s_std = torch.tensor(st["std"])
            self.s = torch.nn.Parameter(torch.tensor(st["theta"]),
                                        requires_grad=bool(st.get("trainable", True)))
        else:
            self.s_mean, self.s_std = torch.zeros(2), torch.ones(2)
            self.s = torch.nn.Parameter(torch.tensor(prob["y0"]), requires_grad=False)

    def y0(self):
        return self.s_mean + self.s_std * self.s

    def trainable(self):
        return [p for p in self.parameters() if p.requires_grad]

    def flat_grad(self):
        return torch.cat([p.grad.reshape(-1) for p in self.trainable()])

    def flat_params(self):
        return torch.cat([p.reshape(-1) for p in self.trainable()])

    def rhs(self, V, n, u):
        ina = self.net(torch.stack([V, n]).unsqueeze(0))[0, 0]
        an = 0.01 * (V + 55) / (1 - torch.exp(-(V + 55) / 10))
        bn = 0.125 * torch.exp(-(V + 65) / 80)
        ik = self.gK * n ** 4 * (V - self.EK)
        il = self.gL * (V - self.EL)
        dV = (self.I + u - ina - ik - il) / self.C
        dn = an * (1 - n) - bn * n
        return dV, dn


def solve(model, stim):
    """V at the data times: RK4 on the grid of stage_stimulus, from model.y0()."""
    y0 = model.y0()
    V, n = y0[0], y0[1]
    out = [V]
    for h, us in stim:
        ha, h6, h3 = h * 0.5, h * (1.0 / 6), h * (1.0 / 3)
        for ua, um, ub in us:
            k1V, k1n = model.rhs(V, n, ua)
            k2V, k2n = model.rhs(V + ha * k1V, n + ha * k1n, um)
            k3V, k3n = model.rhs(V + ha * k2V, n + ha * k2n, um)
            k4V, k4n = model.rhs(V + h * k3V, n + h * k3n, ub)
            V = V + h6 * k1V + h3 * k2V + h3 * k3V + h6 * k4V
            n = n + h6 * k1n + h3 * k2n + h3 * k3n + h6 * k4n
        out.append(V)
    return torch.stack(out)


def loss_fn(model, prob, stim, data_V):
    Vp = solve(model, stim)
    return torch.mean(((Vp - data_V) / prob["loss_scale"]) ** 2)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("problem")
    ap.add_argument("--iters", type=int, help="Adam iterations (default: the file's)")
    ap.add_argument("--fd-check", type=int, default=0, metavar="N",
                    help="compare the gradient with central differences on N parameters")
    args = ap.parse_args()
    with open(args.problem) as f:
        prob = json.load(f)
    iters = args.iters if args.iters is not None else prob["iters"]
    stim = stage_stimulus(prob["stim"], prob["data_t"], prob["dt"])
    nsteps = sum(len(us) for _, us in stim)
    data_V = torch.tensor(prob["data_V"])
    model = RinzelUDE(prob)

    # A forward solve alone (no autograd graph): best of a few.
    fwd = []
    with torch.no_grad():
        for _ in range(3):
            t = time.perf_counter()
            loss0_nograd = loss_fn(model, prob, stim, data_V).item()
            fwd.append(time.perf_counter() - t)

    # The gradient at the initial parameters, and its cost against the forward solve.
    t = time.perf_counter()
    model.zero_grad()
    l0 = loss_fn(model, prob, stim, data_V)
    t_fwd_graph = time.perf_counter() - t
    l0.backward()
    t_grad = time.perf_counter() - t
    grad0 = model.flat_grad().tolist()

    fd = None
    if args.fd_check > 0:
        fd = []
        params = model.trainable()
        flat = model.flat_params().detach()
        npar = flat.numel()
        idx = sorted(set(int(i * (npar - 1) / max(1, args.fd_check - 1))
                         for i in range(args.fd_check)))

        def set_one(i, val):
            off = 0
            for p in params:
                if i < off + p.numel():
                    with torch.no_grad():
                        p.view(-1)[i - off] = val
                    return
                off += p.numel()

        with torch.no_grad():
            for i in idx:
                x = flat[i].item()
                h = 1e-6 * max(1.0, abs(x))
                set_one(i, x + h)
                fp = loss_fn(model, prob, stim, data_V).item()
                set_one(i, x - h)
                fm = loss_fn(model, prob, stim, data_V).item()
                set_one(i, x)
                g_fd = (fp - fm) / (2 * h)
                fd.append({"index": i, "autograd": grad0[i], "fd": g_fd,
                           "rel": abs(grad0[i] - g_fd) / max(abs(g_fd), 1e-300)})

    # Adam, timed per iteration (forward + backward + step).
    opt = torch.optim.Adam(model.trainable(), lr=prob["lr"],
                           betas=(prob.get("beta1", 0.9), prob.get("beta2", 0.999)),
                           eps=prob.get("eps", 1e-8))
    losses, times = [], []
    for _ in range(iters):
        t = time.perf_counter()
        opt.zero_grad()
        loss = loss_fn(model, prob, stim, data_V)
        loss.backward()
        opt.step()
        times.append(time.perf_counter() - t)
        losses.append(loss.item())
    with torch.no_grad():
        losses.append(loss_fn(model, prob, stim, data_V).item())

    srt = sorted(times)
    out = {
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "nparams": len(grad0),
        "nsteps": nsteps,
        "iters": iters,
        "sec_per_iter_median": srt[len(srt) // 2] if srt else None,
        "sec_per_iter_mean": sum(times) / len(times) if times else None,
        "sec_per_iter": times,
        "sec_forward_nograd": min(fwd),
        "sec_forward_graph": t_fwd_graph,
        "sec_loss_and_grad": t_grad,
        "loss0": l0.item(),
        "loss0_nograd": loss0_nograd,
        "losses": losses,   # f(theta_0), f(theta_1), ..., f(theta_iters)
        "grad0": grad0,
        "fd_check": fd,
    }
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
