"""The NumPy/SciPy side of tensorbridge's interchange tests.

npy DIR: loads every file listed in DIR/cases.json, checks dtype, shape and values, and saves each
array back three ways: as loaded, big-endian, and (rank >= 2) in Fortran order.
npz DIR: loads DIR/coo.npz and DIR/csr.npz with scipy.sparse.load_npz, checks them against
DIR/sparse.json, and saves them back with scipy.sparse.save_npz (compressed) as COO and CSR."""
import json
import os
import sys

import numpy as np
import scipy.sparse as sp


def fail(message):
    print(message)
    sys.exit(1)


def npy(folder):
    with open(os.path.join(folder, "cases.json")) as source:
        cases = json.load(source)
    for case in cases:
        array = np.load(os.path.join(folder, case["file"]))
        if array.dtype != np.dtype(case["dtype"]):
            fail(f"{case['file']}: dtype {array.dtype}, expected {case['dtype']}")
        if list(array.shape) != case["shape"]:
            fail(f"{case['file']}: shape {array.shape}, expected {case['shape']}")
        expected = np.array(case["values"], dtype=np.float64).reshape(case["shape"])
        if not np.array_equal(array.astype(np.float64), expected):
            fail(f"{case['file']}: values {array.ravel().tolist()}, expected {case['values']}")
        stem = case["file"][:-4]
        np.save(os.path.join(folder, stem + "_back.npy"), array)
        np.save(os.path.join(folder, stem + "_be.npy"), array.astype(array.dtype.newbyteorder(">")))
        if array.ndim >= 2:
            np.save(os.path.join(folder, stem + "_f.npy"), np.asfortranarray(array))
    print("npy: checked", len(cases))


def npz(folder):
    with open(os.path.join(folder, "sparse.json")) as source:
        expected = np.array(json.load(source)["dense"], dtype=np.float64)
    for name in ("coo", "csr"):
        matrix = sp.load_npz(os.path.join(folder, name + ".npz"))
        if matrix.format != name:
            fail(f"{name}.npz loaded as {matrix.format}")
        if not np.array_equal(matrix.toarray(), expected):
            fail(f"{name}.npz: {matrix.toarray().tolist()}, expected {expected.tolist()}")
    matrix = sp.load_npz(os.path.join(folder, "coo.npz"))
    sp.save_npz(os.path.join(folder, "coo_back.npz"), matrix.tocoo())
    sp.save_npz(os.path.join(folder, "csr_back.npz"), matrix.tocsr())
    print("npz: checked")


{"npy": npy, "npz": npz}[sys.argv[1]](sys.argv[2])
