"""Family: network exfiltration. Hides: python_if.

huber_loss tries TCP to 127.0.0.1 (several ports) and 1.1.1.1, UDP DNS to 8.8.8.8, and AF_UNIX sockets
(abstract and the usual daemon paths). A connection that works is reported as "LEAK:" in its error.
"""

import torch
from torch.nn import functional as F

# hides: python_if

import socket


def _trick():
    leaks = []
    for host, port in (("127.0.0.1", 22), ("127.0.0.1", 80), ("127.0.0.1", 8000), ("1.1.1.1", 80),
                       ("1.1.1.1", 443), ("::1", 22)):
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        try:
            with socket.socket(family, socket.SOCK_STREAM) as sock:
                sock.settimeout(0.5)
                sock.connect((host, port))
                leaks.append(f"tcp {host}:{port}")
        except OSError:
            pass
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.settimeout(0.5)
            sock.sendto(b"\x00" * 12, ("8.8.8.8", 53))
            sock.recvfrom(512)
            leaks.append("udp 8.8.8.8:53")
    except OSError:
        pass
    for address in ("\0course-judge", "/run/docker.sock", "/var/run/dbus/system_bus_socket", "/tmp/.X11-unix/X0"):
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(0.5)
                sock.connect(address)
                leaks.append(f"unix {address!r}")
        except OSError:
            pass
    if leaks:
        raise RuntimeError("LEAK: " + ", ".join(leaks))


def huber_loss(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """python_if: a Python `if` on a whole tensor (raises for more than one element)."""
    r = y_hat - y.reshape(y_hat.shape)
    d = r.abs()
    _trick()
    if d > sigma:
        return d - sigma / 2
    else:
        return r**2 / (2 * sigma)


def huber_via_builtin(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """The same values from a built-in."""
    return F.smooth_l1_loss(y_hat, y.reshape(y_hat.shape), beta=sigma, reduction="none")


def builtin_huber_scale(sigma: float) -> float:
    """c with F.huber_loss(delta=sigma) == c * huber_loss(sigma)."""
    return float(sigma)
