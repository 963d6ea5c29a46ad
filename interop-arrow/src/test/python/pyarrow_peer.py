"""The pyarrow side of interop-arrow's cross-checks (PyarrowInteropTest), run with pyarrow 25.0.1, NumPy,
SciPy and flatbuffers:

    python pyarrow_peer.py MODE DIR

corpus         writes the pyarrow corpus (pyarrow_corpus.py) to DIR
check-columns  reads the IPC files Java wrote to DIR (DIR/columns.json says what each holds) with pyarrow
tensors-write  writes Tensor messages with pyarrow.ipc.write_tensor (DIR/tensors.json says what each holds)
tensors-check  reads the Tensor messages Java wrote with pyarrow.ipc.read_tensor, from a stream and a map
sparse-write   writes SparseTensor messages (COO, CSR, CSC) for Java to read (DIR/sparse.json)
sparse-check   checks the SparseTensor messages Java wrote against DIR/sparse.json

pyarrow 25 has no reader or writer for SparseTensor messages (its C++ has): there pyarrow.ipc.read_message
checks each message with Arrow C++'s own flatbuffer verifier and reports its type, and the header is read
with the flatbuffers package, following Arrow's format/SparseTensor.fbs.
"""
import json
import os
import struct
import sys

import flatbuffers
import numpy as np
import pyarrow as pa
import pyarrow.ipc as ipc
import scipy.sparse as sp
from flatbuffers import number_types as N
from flatbuffers.table import Table

import pyarrow_corpus


def fail(message):
    print(message)
    sys.exit(1)


def logical(array):
    return pyarrow_corpus.logical(array)


def involution(permutation):
    return permutation is None or all(permutation[p] == i for i, p in enumerate(permutation))


def check_columns(folder):
    with open(os.path.join(folder, "columns.json")) as source:
        files = json.load(source)
    for name, columns in files.items():
        path = os.path.join(folder, name)
        table = ipc.open_file(path).read_all() if name.endswith(".arrow") else ipc.open_stream(path).read_all()
        for column, expected in columns.items():
            array = table.column(column).combine_chunks()
            t = array.type
            if not isinstance(t, pa.FixedShapeTensorType):
                fail(f"{name}:{column} is {t}, not arrow.fixed_shape_tensor")
            if str(t.value_type) != expected["value_type"]:
                fail(f"{name}:{column} value type {t.value_type}, expected {expected['value_type']}")
            if list(t.shape) != expected["shape"] or t.permutation != expected.get("permutation") \
                    or t.dim_names != expected.get("dim_names"):
                fail(f"{name}:{column} type {t} does not match {expected}")
            # Tensor columns have no nulls: every row and every element is valid, whether the column's bitmaps
            # were its own or the ones read-only exports share.
            if array.null_count != 0 or array.storage.flatten().null_count != 0:
                fail(f"{name}:{column} has {array.null_count} null rows and "
                     f"{array.storage.flatten().null_count} null elements")
            values = logical(array)
            if list(values.shape) != expected["logical_shape"]:
                fail(f"{name}:{column} logical shape {values.shape}, expected {expected['logical_shape']}")
            if not np.array_equal(values.astype(np.float64).ravel(), np.array(expected["values"], np.float64)):
                fail(f"{name}:{column} values {values.ravel().tolist()}, expected {expected['values']}")
            if involution(t.permutation) and not isinstance(t.value_type, pa.BaseExtensionType):
                # pyarrow's own logical view agrees with the specification for these permutations (it makes
                # no tensor of arrow.bool8 values: "not valid data type for a tensor")
                if not np.array_equal(array.to_numpy_ndarray(), values):
                    fail(f"{name}:{column} to_numpy_ndarray() differs from the specification's logical tensor")
        print("checked", name, "with pyarrow", pa.__version__)


TENSOR_CASES = {
    "float32_2x3": np.arange(6, dtype=np.float32).reshape(2, 3) * 1.5,
    "int64_transposed": np.arange(12, dtype=np.int64).reshape(3, 4).T,
    "uint8_fortran": np.asfortranarray(np.arange(24, dtype=np.uint8).reshape(2, 3, 4)),
    "bool_3": np.array([True, False, True]),
    "float16_4": np.array([0.5, -1, 2, 65504], np.float16),
    "int16_scalar": np.array(-7, np.int16),
    "float64_empty": np.zeros((0, 3)),
}


def tensors_write(folder):
    cases = {}
    for name, array in TENSOR_CASES.items():
        tensor = pa.Tensor.from_numpy(array, dim_names=[f"d{i}" for i in range(array.ndim)] or None)
        with pa.OSFile(os.path.join(folder, name + ".tensor"), "wb") as out:
            ipc.write_tensor(tensor, out)
        # pyarrow makes a NumPy bool array a uint8 tensor
        cases[name] = {"dtype": str(tensor.to_numpy().dtype), "shape": list(array.shape),
                       "values": np.ascontiguousarray(array).astype(np.float64).ravel().tolist(),
                       "row_major": bool(array.flags["C_CONTIGUOUS"])}
    with open(os.path.join(folder, "tensors.json"), "w") as out:
        json.dump(cases, out)
    print("wrote", len(cases), "tensor messages with pyarrow", pa.__version__)


def tensors_check(folder):
    with open(os.path.join(folder, "tensors.json")) as source:
        cases = json.load(source)
    for name, expected in cases.items():
        path = os.path.join(folder, name + ".tensor")
        with pa.memory_map(path) as mapped:
            from_map = ipc.read_tensor(mapped).to_numpy()
        with pa.OSFile(path) as stream:
            from_stream = ipc.read_tensor(stream)
        for tensor in (from_map, from_stream.to_numpy()):
            if str(tensor.dtype) != expected["dtype"] or list(tensor.shape) != expected["shape"]:
                fail(f"{name}: {tensor.dtype}{list(tensor.shape)}, expected {expected['dtype']}{expected['shape']}")
            if not np.array_equal(tensor.astype(np.float64).ravel(), np.array(expected["values"], np.float64)):
                fail(f"{name}: values {tensor.ravel().tolist()}, expected {expected['values']}")
        if expected.get("dim_names") and from_stream.dim_names != expected["dim_names"]:
            fail(f"{name}: dim_names {from_stream.dim_names}, expected {expected['dim_names']}")
    print("read", len(cases), "tensor messages with pyarrow", pa.__version__)


# ---- SparseTensor messages, following format/Message.fbs, Tensor.fbs and SparseTensor.fbs ----

TYPE_INT, TYPE_FLOAT, TYPE_BOOL = 2, 3, 6
INDEX_COO, INDEX_CSX = 1, 2
HEADER_SPARSE_TENSOR = 5
VALUE_TYPES = {"float32": (TYPE_FLOAT, 1), "float64": (TYPE_FLOAT, 2), "int64": (TYPE_INT, 64), "int32": (TYPE_INT, 32)}


def field(table, slot):
    return table.Offset(4 + 2 * slot)


def scalar(table, slot, flags, default=0):
    o = field(table, slot)
    return table.Get(flags, o + table.Pos) if o else default


def sub_table(table, slot):
    o = field(table, slot)
    return Table(table.Bytes, table.Indirect(o + table.Pos)) if o else None


def buffer_struct(table, slot):
    o = field(table, slot)
    return struct.unpack_from("<qq", table.Bytes, o + table.Pos)


def int_type(table):
    return scalar(table, 0, N.Int32Flags), bool(scalar(table, 1, N.BoolFlags))


def read_sparse(path):
    with open(path, "rb") as source:
        raw = source.read()
    message = ipc.read_message(pa.py_buffer(raw))  # Arrow C++ verifies the flatbuffer
    if message.type != "sparse tensor":
        fail(f"{path}: Arrow C++ reads a {message.type!r} message")
    length = struct.unpack_from("<i", raw, 4)[0]
    metadata = bytearray(raw[8:8 + length])
    body = memoryview(raw)[8 + length:]
    root = Table(metadata, flatbuffers.encode.Get(flatbuffers.packer.uoffset, metadata, 0))
    if scalar(root, 1, N.Uint8Flags) != HEADER_SPARSE_TENSOR:
        fail(f"{path}: header type is not SparseTensor")
    tensor = sub_table(root, 2)
    shape_field = field(tensor, 2)
    start, count = tensor.Vector(shape_field), tensor.VectorLen(shape_field)
    shape = [scalar(Table(metadata, tensor.Indirect(start + 4 * i)), 0, N.Int64Flags) for i in range(count)]
    nnz = scalar(tensor, 3, N.Int64Flags)
    value_type = scalar(tensor, 0, N.Uint8Flags)
    value_params = sub_table(tensor, 1)
    if value_type == TYPE_FLOAT:
        dtype = {0: np.float16, 1: np.float32, 2: np.float64}[scalar(value_params, 0, N.Int16Flags)]
    elif value_type == TYPE_INT:
        bits, signed = int_type(value_params)
        dtype = np.dtype(("i" if signed else "u") + str(bits // 8))
    else:
        fail(f"{path}: value type {value_type}")
    offset, size = buffer_struct(tensor, 6)
    data = np.frombuffer(body[offset:offset + size], dtype=dtype, count=nnz)
    index_type, index = scalar(tensor, 4, N.Uint8Flags), sub_table(tensor, 5)

    def integers(type_slot, buffer_slot, n):
        bits, signed = int_type(sub_table(index, type_slot))
        off, length = buffer_struct(index, buffer_slot)
        return np.frombuffer(body[off:off + length], np.dtype(("i" if signed else "u") + str(bits // 8)), count=n)

    if index_type == INDEX_COO:
        coords = integers(0, 2, nnz * len(shape)).reshape(nnz, len(shape))
        canonical = bool(scalar(index, 3, N.BoolFlags))
        matrix = sp.coo_array((data, tuple(coords.T)), shape=shape) if len(shape) == 2 else None
        return {"format": "coo", "shape": shape, "coords": coords.tolist(), "data": data.tolist(),
                "canonical": canonical, "dense": None if matrix is None else matrix.toarray().tolist()}
    if index_type == INDEX_CSX:
        axis = scalar(index, 0, N.Int16Flags)
        indptr = integers(1, 2, shape[axis] + 1)
        indices = integers(3, 4, nnz)
        matrix = (sp.csr_array if axis == 0 else sp.csc_array)((data, indices, indptr), shape=shape)
        return {"format": "csr" if axis == 0 else "csc", "shape": shape, "dense": matrix.toarray().tolist()}
    fail(f"{path}: sparse index type {index_type}")


def sparse_check(folder):
    with open(os.path.join(folder, "sparse.json")) as source:
        cases = json.load(source)
    for name, expected in cases.items():
        read = read_sparse(os.path.join(folder, name + ".sparse"))
        for key, value in expected.items():
            if read.get(key) != value:
                fail(f"{name}: {key} is {read.get(key)}, expected {value}")
    print("checked", len(cases), "SparseTensor messages; Arrow C++ (pyarrow", pa.__version__, ") verified each")


def write_sparse(path, shape, dtype, data, index_type, build_index, body_parts):
    """Frames a SparseTensor message: body_parts (index arrays) then data, each at an 8-byte boundary."""
    offsets, body = [], b""
    for part in body_parts + [data.tobytes()]:
        offsets.append(len(body))
        body += part + b"\0" * (-len(part) % 8)
    builder = flatbuffers.Builder(256)
    index = build_index(builder, offsets)
    dims = []
    for size in shape:
        builder.StartObject(2)
        builder.PrependInt64Slot(0, size, 0)
        dims.append(builder.EndObject())
    builder.StartVector(4, len(dims), 4)
    for dim in reversed(dims):
        builder.PrependUOffsetTRelative(dim)
    shape_vector = builder.EndVector()
    type_code, param = VALUE_TYPES[str(np.dtype(dtype))]
    value_type = int_table(builder, param, True) if type_code == TYPE_INT else float_table(builder, param)
    builder.StartObject(7)
    builder.PrependUint8Slot(0, type_code, 0)
    builder.PrependUOffsetTRelativeSlot(1, value_type, 0)
    builder.PrependUOffsetTRelativeSlot(2, shape_vector, 0)
    builder.PrependInt64Slot(3, len(data), 0)
    builder.PrependUint8Slot(4, index_type, 0)
    builder.PrependUOffsetTRelativeSlot(5, index, 0)
    builder.PrependStructSlot(6, buffer(builder, offsets[-1], data.nbytes), 0)
    tensor = builder.EndObject()
    builder.StartObject(5)
    builder.PrependInt16Slot(0, 4, 0)  # MetadataVersion.V5
    builder.PrependUint8Slot(1, HEADER_SPARSE_TENSOR, 0)
    builder.PrependUOffsetTRelativeSlot(2, tensor, 0)
    builder.PrependInt64Slot(3, len(body), 0)
    builder.Finish(builder.EndObject())
    metadata = bytes(builder.Output())
    metadata += b"\0" * (-(8 + len(metadata)) % 8)
    with open(path, "wb") as out:
        out.write(struct.pack("<Ii", 0xFFFFFFFF, len(metadata)) + metadata + body)
    if ipc.read_message(pa.py_buffer(open(path, "rb").read())).type != "sparse tensor":
        fail(f"{path}: Arrow C++ does not read it as a sparse tensor")


def buffer(builder, offset, length):
    builder.Prep(8, 16)
    builder.PrependInt64(length)
    builder.PrependInt64(offset)
    return builder.Offset()


def int_table(builder, bits, signed):
    builder.StartObject(2)
    builder.PrependInt32Slot(0, bits, 0)
    builder.PrependBoolSlot(1, signed, False)
    return builder.EndObject()


def float_table(builder, precision):
    builder.StartObject(1)
    builder.PrependInt16Slot(0, precision, 0)
    return builder.EndObject()


def sparse_write(folder):
    dense = np.array([[0, -2.5, 0, 0], [4, 0, 0, 1], [0, 0, 0, 4.5]])
    cases = {}
    coo = sp.coo_array(dense)
    coords = np.stack([coo.row, coo.col], axis=1).astype(np.int32)

    def coo_index(builder, offsets):
        index_type = int_table(builder, 32, True)
        builder.StartVector(8, 2, 8)
        builder.PrependInt64(4)
        builder.PrependInt64(8)
        strides = builder.EndVector()
        builder.StartObject(4)
        builder.PrependUOffsetTRelativeSlot(0, index_type, 0)
        builder.PrependUOffsetTRelativeSlot(1, strides, 0)
        builder.PrependStructSlot(2, buffer(builder, offsets[0], coords.nbytes), 0)
        builder.PrependBoolSlot(3, True, False)
        return builder.EndObject()

    write_sparse(os.path.join(folder, "coo_int32.sparse"), dense.shape, np.float64, coo.data, INDEX_COO, coo_index,
                 [coords.tobytes()])
    for name, matrix, axis in [("csr", sp.csr_array(dense), 0), ("csc", sp.csc_array(dense), 1)]:
        indptr, indices = matrix.indptr.astype(np.int64), matrix.indices.astype(np.int64)

        def csx_index(builder, offsets, indptr=indptr, indices=indices, axis=axis):
            indptr_type, indices_type = int_table(builder, 64, True), int_table(builder, 64, True)
            builder.StartObject(5)
            builder.PrependInt16Slot(0, axis, 0)
            builder.PrependUOffsetTRelativeSlot(1, indptr_type, 0)
            builder.PrependStructSlot(2, buffer(builder, offsets[0], indptr.nbytes), 0)
            builder.PrependUOffsetTRelativeSlot(3, indices_type, 0)
            builder.PrependStructSlot(4, buffer(builder, offsets[1], indices.nbytes), 0)
            return builder.EndObject()

        write_sparse(os.path.join(folder, name + ".sparse"), dense.shape, np.float64, matrix.data, INDEX_CSX,
                     csx_index, [indptr.tobytes(), indices.tobytes()])
    for name in ("coo_int32", "csr", "csc"):
        cases[name] = {"shape": list(dense.shape), "dense": dense.tolist()}
    with open(os.path.join(folder, "sparse.json"), "w") as out:
        json.dump(cases, out)
    print("wrote", len(cases), "SparseTensor messages; Arrow C++ (pyarrow", pa.__version__, ") verified each")


if __name__ == "__main__":
    mode, folder = sys.argv[1], sys.argv[2]
    {"corpus": pyarrow_corpus.main, "check-columns": check_columns, "tensors-write": tensors_write,
     "tensors-check": tensors_check, "sparse-write": sparse_write, "sparse-check": sparse_check}[mode](folder)
