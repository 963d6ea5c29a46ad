#!/usr/bin/env python3
"""NumPy peers of the JMH suite, timed with timeit on the same machine and recorded beside its results.

P1: np.asarray(a) on a float32 ndarray (the call users make to get "a NumPy array"; it returns the array
itself), and np.frombuffer(view, np.float32) over a memoryview of another object's memory (a new
zero-copy array object, closer to what toHost(NEVER) builds), at 4 KiB, 4 MiB and 256 MiB.
P4: a + b on float32 vectors of 1 K, 1 M and 16 M elements, result allocated.
P7: SciPy CSR @ dense: a float32 4096 x 4096 scipy.sparse.random matrix in CSR form (density 0.01 and
0.10) times a dense float32 4096 x 64 ndarray, result allocated. Skipped, with the reason in the JSON
("scipy_error"), when SciPy is missing (Debian: apt-get install -y python3-scipy).

Prints one JSON object on standard output. Each figure is the median, over 5 repeats, of the mean time
per call of a timeit run long enough to last at least 0.2 s (timeit.Timer.autorange).
"""
import json
import platform
import os
import statistics
import sys
import timeit

import numpy as np

REPEATS = 3
BYTE_SIZES = {"4KiB": 4 << 10, "4MiB": 4 << 20, "256MiB": 256 << 20}
ELEMENT_COUNTS = {"1K": 1 << 10, "1M": 1 << 20, "16M": 16 << 20}
SPARSE_DENSITIES = ["0.01", "0.10"]



def interpreter():
    """sys.executable, relative to the current folder when it lies inside it."""
    path = os.path.abspath(sys.executable)
    here = os.path.abspath(os.curdir)
    return os.path.relpath(path, here) if path.startswith(here + os.sep) else path

def seconds_per_call(statement, namespace):
    timer = timeit.Timer(statement, globals=namespace)
    number, _ = timer.autorange()
    runs = timer.repeat(repeat=REPEATS, number=number)
    return statistics.median(runs) / number


def main():
    results = []
    for label, size in BYTE_SIZES.items():
        a = np.full(size // 4, 1.5, dtype=np.float32)
        foreign = memoryview(bytearray(a.tobytes()))
        namespace = {"np": np, "a": a, "foreign": foreign}
        results.append({"row": "P1", "name": "np.asarray(a)", "param": label,
                        "ns_per_call": seconds_per_call("np.asarray(a)", namespace) * 1e9})
        results.append({"row": "P1", "name": "np.frombuffer(memoryview, np.float32)", "param": label,
                        "ns_per_call": seconds_per_call("np.frombuffer(foreign, np.float32)", namespace) * 1e9})
        del a, foreign, namespace
    for label, count in ELEMENT_COUNTS.items():
        a = np.full(count, 1.5, dtype=np.float32)
        b = np.full(count, 2.5, dtype=np.float32)
        namespace = {"a": a, "b": b}
        results.append({"row": "P4", "name": "a + b", "param": label,
                        "ns_per_call": seconds_per_call("a + b", namespace) * 1e9})
        results.append({"row": "P4", "name": "a * b", "param": label,
                        "ns_per_call": seconds_per_call("a * b", namespace) * 1e9})
        del a, b, namespace
    scipy_version, scipy_error = None, None
    try:
        import scipy
        import scipy.sparse
        scipy_version = scipy.__version__
    except ImportError as e:
        scipy_error = "SciPy is not installed (%s); Debian: apt-get install -y python3-scipy" % e
    if scipy_version is not None:
        rng = np.random.default_rng(8)
        dense = rng.random((4096, 64), dtype=np.float32)
        for density in SPARSE_DENSITIES:
            csr = scipy.sparse.random(4096, 4096, density=float(density), format="csr", dtype=np.float32,
                                      random_state=8)
            namespace = {"a": csr, "b": dense}
            results.append({"row": "P7", "name": "csr @ dense", "param": density,
                            "ns_per_call": seconds_per_call("a @ b", namespace) * 1e9})
            del csr, namespace
    document = {
        # Relative to the working folder when inside it: the report names no path of one machine.
        "python": interpreter() + " " + platform.python_version(),
        "numpy": np.__version__,
        "method": "timeit: median of %d repeats of the mean time per call (Timer.autorange)" % REPEATS,
        "results": results,
    }
    if scipy_version is not None:
        document["scipy"] = scipy_version
    else:
        document["scipy_error"] = scipy_error
    json.dump(document, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
