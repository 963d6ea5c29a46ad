"""Writes .npz sparse matrices the way SciPy and NumPy users produce them, beside the usual save_npz:

    python npz_corpus.py OUT_DIR

- nonseekable_csr.npz: scipy.sparse.save_npz to a stream that cannot seek (a pipe, a socket, an HTTP
  response), so each zip member is followed by a data descriptor instead of having its sizes up front;
- old_format_coo.npz: the 'format' member stored as a unicode string (<U3), as older SciPy wrote it;
- compressed_csr.npz: save_npz(compressed=True), the default.

Each holds the 3x4 float64 matrix [[0, -2, 0, 0], [4, 0, 0, 0], [0, 0, 0, 4.5]]. interop-numpy's
NpzScipyFilesTest reads the committed output (src/test/resources/org/tensorbridge/numpy/scipy/).
"""
import io
import os
import sys

import numpy as np
import scipy.sparse as sp

DENSE = np.array([[0, -2, 0, 0], [4, 0, 0, 0], [0, 0, 0, 4.5]])


class NonSeekable(io.RawIOBase):
    def __init__(self, target):
        self.target = target

    def writable(self):
        return True

    def write(self, data):
        return self.target.write(data)

    def seekable(self):
        return False


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    matrix = sp.csr_matrix(DENSE)
    with open(os.path.join(out_dir, "nonseekable_csr.npz"), "wb") as target:
        sp.save_npz(NonSeekable(target), matrix, compressed=False)
    coo = matrix.tocoo()
    np.savez(os.path.join(out_dir, "old_format_coo.npz"), row=coo.row, col=coo.col, data=coo.data,
             shape=np.array(coo.shape), format=np.array("coo"))
    sp.save_npz(os.path.join(out_dir, "compressed_csr.npz"), matrix, compressed=True)
    for name in ("nonseekable_csr.npz", "old_format_coo.npz", "compressed_csr.npz"):
        back = sp.load_npz(os.path.join(out_dir, name))
        assert np.array_equal(back.toarray(), DENSE), name
    import scipy
    print("scipy", scipy.__version__, "wrote 3 files to", out_dir)


if __name__ == "__main__":
    main(sys.argv[1])
