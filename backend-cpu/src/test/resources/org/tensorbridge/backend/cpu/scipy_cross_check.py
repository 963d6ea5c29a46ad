"""Computes the sparse cases tensorbridge's cross-check writes, with scipy.sparse.

Reads a JSON list of cases from argv[1] and writes the results to argv[2]. Each case has COO parts
of two sparse matrices a and b of one shape, and a dense matrix d."""
import json
import sys

import numpy as np
import scipy.sparse as sp


def coo(part, shape):
    rows = np.array([i[0] for i in part["indices"]], dtype=np.int64)
    cols = np.array([i[1] for i in part["indices"]], dtype=np.int64)
    return sp.coo_matrix((np.array(part["values"], dtype=np.float64), (rows, cols)), shape=shape)


def run(case):
    shape = tuple(case["shape"])
    a = coo(case["a"], shape)
    b = coo(case["b"], shape)
    d = np.array(case["d"], dtype=np.float64)
    csr = a.tocsr()
    csr.sum_duplicates()
    csr.sort_indices()
    # COO's own sum_duplicates sorts column-major in this SciPy; row-major order comes from CSR.
    coalesced = csr.tocoo()
    return {
        "coalesce_indices": [[int(r), int(c)] for r, c in zip(coalesced.row, coalesced.col)],
        "coalesce_values": coalesced.data.tolist(),
        "matmul": (a @ d).tolist(),
        "add": (a + b).toarray().tolist(),
        "sum0": np.asarray(a.sum(axis=0)).ravel().tolist(),
        "sum1": np.asarray(a.sum(axis=1)).ravel().tolist(),
        "csr_indptr": csr.indptr.tolist(),
        "csr_indices": csr.indices.tolist(),
        "csr_data": csr.data.tolist(),
        "transpose": a.T.toarray().tolist(),
    }


with open(sys.argv[1]) as source:
    cases = json.load(source)
with open(sys.argv[2], "w") as target:
    json.dump([run(case) for case in cases], target)
