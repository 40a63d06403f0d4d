"""Plain Python peer: the resolvers as ordinary row-by-row Python functions over a slice of the rows
(default 1,000,000), with nulls as None. Columns are turned into Python lists before timing.

    /usr/bin/python3 bench/peers/python_rows.py --data DIR --slice 1000000 [--runs R]
"""
import math

from peer_common import parse_args, load_columns, timed, report

args = parse_args()
rows = int(args["slice"]) or 1_000_000
c = load_columns(args["data"], rows)
rows = len(c["subtotal"])
subtotal = c["subtotal"].tolist()
discount = [d if v else None for d, v in zip(c["discount"].tolist(), c["discount_valid"].tolist())]
tax_rate = [t if v else None for t, v in zip(c["tax_rate"].tolist(), c["tax_rate_valid"].tolist())]
taxable = c["taxable"].tolist()
email = [e.decode("ascii") for e in c["email"].tolist()]
amount = c["amount"].tolist()
user_id = c["user_id"].tolist()
at = c["at"].tolist()


def total(subtotal, discount, tax_rate, taxable):
    if discount is not None:
        subtotal = max(subtotal - discount, 0.0)
    if not taxable or tax_rate is None:
        return subtotal
    return subtotal * (1.0 + tax_rate)


def username(email):
    user = email.split("@")[0]
    if email.endswith("@gmail.com"):
        user = user.split("+")[0].replace(".", "")
    return user.lower()


def score(subtotal, amount):
    x = math.log(1.0 + subtotal) * math.sqrt(amount)
    return x if math.isnan(x) else min(max(x, 0.0), 100.0)


def w5():
    cutoff = int(args["meta"]["windowStartMicros"])
    groups = {}
    for u, a, t in zip(user_id, amount, at):
        if t >= cutoff:
            g = groups.get(u)
            if g is None:
                groups[u] = [a, 1]
            else:
                g[0] += a
                g[1] += 1
    return groups


work = dict(
    W1=lambda: [total(s, d, t, x) for s, d, t, x in zip(subtotal, discount, tax_rate, taxable)],
    W2=lambda: [s > 1000.0 for s in subtotal],
    W3=lambda: [username(e) for e in email],
    W4=lambda: [score(s, a) for s, a in zip(subtotal, amount)],
    W5=w5,
)
for w in args["workloads"]:
    result, median, times = timed(work[w], args["runs"])
    if w == "W5":
        checksum = dict(sum=math.fsum(g[0] for g in result.values()), nulls=0, groups=len(result),
                        count=sum(g[1] for g in result.values()),
                        mean_sum=math.fsum(g[0] / g[1] for g in result.values()))
    elif w == "W2":
        checksum = dict(sum=sum(result), nulls=0)
    elif w == "W3":
        checksum = dict(sum=sum(len(u) for u in result), nulls=0, distinct=len(set(result)))
    else:
        checksum = dict(sum=math.fsum(v for v in result if v is not None), nulls=sum(v is None for v in result))
    report("python-rows", w, rows, median, times, checksum)
