"""PyTorch side of `npm run bench:vs-pytorch`: the same training steps as cyclegan-lab's,
timed on the CPU, batch 1.

The networks are written after the reference pytorch-CycleGAN-and-pix2pix
(ResnetGenerator: reflect padding, InstanceNorm2d(affine=False) so every conv keeps its
bias, ConvTranspose2d(k3, s2, p1, output_padding=1); NLayerDiscriminator: k4 p1,
LeakyReLU 0.2, instance norm), init normal(0, 0.02) with zero biases, and trained with
torch.optim.Adam(lr 2e-4, betas (0.5, 0.999)) as the reference does.

--what gen       L1(G(x), y), backward, Adam step (bench/training-steps.ts generatorStep)
--what disc      0.5 * (MSE(D(real), 1) + MSE(D(fake), 0)), backward, Adam step
--what cyclegan  one iteration of the reference's CycleGANModel.optimize_parameters

Inputs are random tensors in [-1, 1]: the time of a step does not depend on the values.
Prints one JSON line: per-step wall and process-CPU ms, their medians, the parameter count
of each network kind involved, torch's version and thread count.
"""
import argparse
import json
import random
import statistics
import time

import torch
import torch.nn.functional as F
from torch import nn

LR = 2e-4
BETAS = (0.5, 0.999)
LAMBDA_CYCLE = 10.0
LAMBDA_IDENTITY = 0.5
POOL_SIZE = 50


class ResidualBlock(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.body = nn.Sequential(
            nn.ReflectionPad2d(1), nn.Conv2d(dim, dim, 3), nn.InstanceNorm2d(dim), nn.ReLU(True),
            nn.ReflectionPad2d(1), nn.Conv2d(dim, dim, 3), nn.InstanceNorm2d(dim),
        )

    def forward(self, x):
        return x + self.body(x)


def resnet_generator(ngf, n_blocks):
    layers = [nn.ReflectionPad2d(3), nn.Conv2d(3, ngf, 7), nn.InstanceNorm2d(ngf), nn.ReLU(True)]
    for i in range(2):
        c = ngf * 2 ** i
        layers += [nn.Conv2d(c, 2 * c, 3, stride=2, padding=1), nn.InstanceNorm2d(2 * c), nn.ReLU(True)]
    layers += [ResidualBlock(ngf * 4) for _ in range(n_blocks)]
    for i in range(2):
        c = ngf * 2 ** (2 - i)
        layers += [
            nn.ConvTranspose2d(c, c // 2, 3, stride=2, padding=1, output_padding=1),
            nn.InstanceNorm2d(c // 2),
            nn.ReLU(True),
        ]
    layers += [nn.ReflectionPad2d(3), nn.Conv2d(ngf, 3, 7), nn.Tanh()]
    return init_weights(nn.Sequential(*layers))


def patch_discriminator(ndf, n_layers=3):
    width = lambda n: ndf * min(2 ** n, 8)  # noqa: E731
    layers = [nn.Conv2d(3, ndf, 4, stride=2, padding=1), nn.LeakyReLU(0.2, True)]
    for n in range(1, n_layers):
        layers += [nn.Conv2d(width(n - 1), width(n), 4, stride=2, padding=1), nn.InstanceNorm2d(width(n)), nn.LeakyReLU(0.2, True)]
    layers += [
        nn.Conv2d(width(n_layers - 1), width(n_layers), 4, stride=1, padding=1),
        nn.InstanceNorm2d(width(n_layers)),
        nn.LeakyReLU(0.2, True),
        nn.Conv2d(width(n_layers), 1, 4, stride=1, padding=1),
    ]
    return init_weights(nn.Sequential(*layers))


def init_weights(net):
    for m in net.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
            nn.init.normal_(m.weight, 0.0, 0.02)
            nn.init.zeros_(m.bias)
    return net


def count_params(net):
    return sum(p.numel() for p in net.parameters() if p.requires_grad)


def adam(*nets):
    return torch.optim.Adam([p for net in nets for p in net.parameters()], lr=LR, betas=BETAS)


def image(size):
    return torch.rand(1, 3, size, size) * 2 - 1


def lsgan(prediction, real):
    target = torch.ones_like(prediction) if real else torch.zeros_like(prediction)
    return F.mse_loss(prediction, target)


def gen_step(args):
    g = resnet_generator(args.ngf, args.blocks)
    opt = adam(g)
    x, y = image(args.size), image(args.size)

    def step():
        opt.zero_grad()
        loss = F.l1_loss(g(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    return step, {"generator": count_params(g)}


def disc_step(args):
    d = patch_discriminator(args.ngf)
    opt = adam(d)
    real, fake = image(args.size), image(args.size)

    def step():
        opt.zero_grad()
        loss = (lsgan(d(real), True) + lsgan(d(fake), False)) * 0.5
        loss.backward()
        opt.step()
        return loss.item()

    return step, {"discriminator": count_params(d)}


class ImagePool:
    """The reference's image pool (Shrivastava et al.): past fakes for the discriminators."""

    def __init__(self, size):
        self.size = size
        self.images = []

    def query(self, image):
        if len(self.images) < self.size:
            self.images.append(image)
            return image
        if random.uniform(0, 1) > 0.5:
            i = random.randint(0, self.size - 1)
            old = self.images[i].clone()
            self.images[i] = image
            return old
        return image


def set_requires_grad(nets, flag):
    for net in nets:
        for p in net.parameters():
            p.requires_grad = flag


def cyclegan_step(args):
    # Names as the reference: G_A: A -> B, D_A judges G_A's outputs (domain B).
    g_a, g_b = resnet_generator(args.ngf, args.blocks), resnet_generator(args.ngf, args.blocks)
    d_a, d_b = patch_discriminator(args.ngf), patch_discriminator(args.ngf)
    opt_g, opt_d = adam(g_a, g_b), adam(d_a, d_b)
    pool_a, pool_b = ImagePool(POOL_SIZE), ImagePool(POOL_SIZE)
    lambda_idt = LAMBDA_IDENTITY * LAMBDA_CYCLE

    def step():
        real_a, real_b = image(args.size), image(args.size)
        fake_b = g_a(real_a)
        rec_a = g_b(fake_b)
        fake_a = g_b(real_b)
        rec_b = g_a(fake_a)

        set_requires_grad([d_a, d_b], False)
        opt_g.zero_grad()
        idt_a = g_a(real_b)
        idt_b = g_b(real_a)
        loss_g = (
            lsgan(d_a(fake_b), True)
            + lsgan(d_b(fake_a), True)
            + F.l1_loss(rec_a, real_a) * LAMBDA_CYCLE
            + F.l1_loss(rec_b, real_b) * LAMBDA_CYCLE
            + F.l1_loss(idt_a, real_b) * lambda_idt
            + F.l1_loss(idt_b, real_a) * lambda_idt
        )
        loss_g.backward()
        opt_g.step()

        set_requires_grad([d_a, d_b], True)
        opt_d.zero_grad()
        losses = []
        for d, real, fake in ((d_a, real_b, pool_b.query(fake_b)), (d_b, real_a, pool_a.query(fake_a))):
            loss_d = (lsgan(d(real), True) + lsgan(d(fake.detach()), False)) * 0.5
            loss_d.backward()
            losses.append(loss_d)
        opt_d.step()
        return loss_g.item() + sum(l.item() for l in losses)

    return step, {"generator": count_params(g_a), "discriminator": count_params(d_a)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--what", choices=["gen", "disc", "cyclegan"], required=True)
    parser.add_argument("--size", type=int, default=32)
    parser.add_argument("--ngf", type=int, default=64, help="generator width; the discriminator's ndf is the same")
    parser.add_argument("--blocks", type=int, default=3, help="residual blocks of the generator")
    parser.add_argument("--steps", type=int, default=10, help="timed steps")
    parser.add_argument("--warmup", type=int, default=2, help="untimed steps first")
    parser.add_argument("--threads", type=int, default=1, help="torch.set_num_threads")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    random.seed(1)
    step, params = {"gen": gen_step, "disc": disc_step, "cyclegan": cyclegan_step}[args.what](args)
    for _ in range(args.warmup):
        step()
    wall, cpu = [], []
    for _ in range(args.steps):
        c0, t0 = time.process_time(), time.perf_counter()
        step()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    print(json.dumps({
        "what": args.what,
        "size": args.size,
        "ngf": args.ngf,
        "blocks": args.blocks,
        "steps": args.steps,
        "warmup": args.warmup,
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "params": params,
        "ms": wall,
        "cpu_ms": cpu,
        "median_ms": statistics.median(wall),
        "median_cpu_ms": statistics.median(cpu),
    }))


if __name__ == "__main__":
    main()
