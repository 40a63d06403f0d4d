"""numpy peer: whole-column operations over the generator's .npy columns (numpy reads no Arrow IPC).
Nulls are a separate bool mask per nullable column, as Arrow's validity bitmap is.

    /usr/bin/python3 bench/peers/numpy_peer.py --data DIR [--runs R] [--workloads W1,W2] [--slice N]

With --runs 0 it computes each workload once and reports only the checksum: bench/run.sh uses that over the
plain-Python slice, so the row-by-row Python checksums are compared too.
"""
import numpy as np

from peer_common import parse_args, load_columns, timed, report

args = parse_args()
c = load_columns(args["data"], int(args["slice"]))
rows = len(c["subtotal"])


def w1():
    s = np.where(c["discount_valid"], np.maximum(c["subtotal"] - c["discount"], 0.0), c["subtotal"])
    plain = ~c["taxable"] | ~c["tax_rate_valid"]
    return np.where(plain, s, s * (1.0 + c["tax_rate"]))


def w2():
    return c["subtotal"] > 1000.0


def w3():
    email = c["email"]
    user = np.char.partition(email, b"@")[:, 0]
    gmail = np.char.endswith(email, b"@gmail.com")
    g = np.char.replace(np.char.partition(user[gmail], b"+")[:, 0], b".", b"")
    user = user.copy()
    user[gmail] = g
    return np.char.lower(user)


def w4():
    x = np.log(1.0 + c["subtotal"]) * np.sqrt(c["amount"])
    return np.where(np.isnan(x), x, np.clip(x, 0.0, 100.0))


def w5():
    keep = c["at"] >= int(args["meta"]["windowStartMicros"])
    users = args["meta"]["users"]
    sums = np.bincount(c["user_id"][keep], weights=c["amount"][keep], minlength=users)
    counts = np.bincount(c["user_id"][keep], minlength=users)
    present = counts > 0
    return sums[present], counts[present], sums[present] / counts[present]


work = dict(W1=w1, W2=w2, W3=w3, W4=w4, W5=w5)
for w in args["workloads"]:
    result, median, times = timed(work[w], args["runs"])
    if w == "W5":
        s, n, m = result
        checksum = dict(sum=float(s.sum()), nulls=0, groups=int(len(s)), count=int(n.sum()), mean_sum=float(m.sum()))
    elif w == "W2":
        checksum = dict(sum=int(result.sum()), nulls=0)
    elif w == "W3":
        checksum = dict(sum=int(np.char.str_len(result).sum()), nulls=0, distinct=int(len(np.unique(result))))
    else:
        checksum = dict(sum=float(result.sum()), nulls=0)
    report("numpy" if args["runs"] > 0 else "numpy-slice", w, rows, median, times, checksum)
