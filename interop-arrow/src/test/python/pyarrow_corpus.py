"""Writes the pyarrow corpus: Arrow IPC streams and files that pyarrow writes, each with tensor columns
(arrow.fixed_shape_tensor) beside other columns of every kind, and an expectations.json that says what a
reader must find in them.

    python pyarrow_corpus.py OUT_DIR

Every table is written as a stream (.arrows) and a file (.arrow), uncompressed, lz4_frame and zstd; a
stream with dictionary deltas only as a stream (the file format has no deltas). The expected tensor
values are the logical tensors of the canonical extension specification: the stored (physical) rows,
reshaped to "shape" and transposed by "permutation" (numpy.transpose), which is what pyarrow's
to_numpy_ndarray() gives for every permutation that is its own inverse. For the others (3-cycles)
pyarrow 25.0.1's to_numpy_ndarray() returns overlapping strides and from_numpy_ndarray() writes the
inverse permutation, so those are written with an explicit type and checked against the specification.

interop-arrow's PyarrowCorpusTest reads the committed output of this script (src/test/resources/
org/tensorbridge/arrow/pyarrow/), and PyarrowInteropTest reruns it with the pyarrow installed.
"""
import datetime
import decimal
import json
import os
import sys

import numpy as np
import pyarrow as pa
import pyarrow.ipc as ipc

CODECS = [None, "lz4", "zstd"]


def tensor_column(values, dtype=None, dim_names=None, permutation=None, physical=None):
    """A fixed_shape_tensor array of rows of `physical` shape (the stored layout), and the logical rows."""
    values = np.asarray(values)
    rows = values.shape[0]
    shape = list(physical if physical is not None else values.shape[1:])
    flat = np.ascontiguousarray(values).reshape(rows, -1)
    value_type = dtype or pa.from_numpy_dtype(values.dtype)
    tensor_type = pa.fixed_shape_tensor(value_type, shape, dim_names=dim_names, permutation=permutation)
    storage = pa.FixedSizeListArray.from_arrays(pa.array(flat.ravel(), type=value_type), int(np.prod(shape)))
    return pa.ExtensionArray.from_storage(tensor_type, storage)


def logical(array):
    """The logical tensors of a fixed_shape_tensor array, per the specification (not pyarrow's strides)."""
    t = array.type
    flat = array.storage.flatten().to_numpy(zero_copy_only=False)
    physical = flat.reshape((len(array),) + tuple(t.shape))
    if t.permutation is None:
        return physical
    return physical.transpose((0,) + tuple(p + 1 for p in t.permutation))


def as_json_values(array):
    values = logical(array)
    if values.dtype == np.float16:
        values = values.astype(np.float32)
    return {"shape": list(values.shape), "values": values.ravel().tolist()}


def ids_and_embeddings():
    embeddings = np.arange(5 * 2 * 3, dtype=np.float32).reshape(5, 2, 3) * 0.5 - 3
    return pa.table({
        "id": pa.array([10, 11, 12, 13, 14], pa.int64()),
        "name": pa.array(["", None, "a", "", "bc"], pa.string()),
        "embedding": tensor_column(embeddings, dim_names=["H", "W"]),
    })


def every_type():
    rows = 4
    image = np.arange(rows * 3 * 2, dtype=np.int16).reshape(rows, 3, 2) - 7
    struct_type = pa.struct([("x", pa.int32()), ("s", pa.string())])
    dense = pa.UnionArray.from_dense(pa.array([0, 1, 0, 1], pa.int8()), pa.array([0, 0, 1, 1], pa.int32()),
                                     [pa.array([1, 2], pa.int32()), pa.array(["", "z"], pa.string())],
                                     ["i", "s"])
    sparse = pa.UnionArray.from_sparse(pa.array([1, 0, 1, 0], pa.int8()),
                                       [pa.array([1, 2, 3, 4], pa.int64()), pa.array(["a", "", None, "d"])],
                                       ["i", "s"])
    run_ends = pa.RunEndEncodedArray.from_arrays(pa.array([1, 3, 4], pa.int32()), pa.array(["x", "", None]))
    nested = pa.array([[{"k": ["a", ""]}], [], None, [{"k": None}, {"k": []}]],
                      pa.list_(pa.struct([("k", pa.list_(pa.string()))])))
    columns = {
        "image": tensor_column(image),
        "null": pa.nulls(rows),
        "bool": pa.array([True, None, False, True]),
        "int8": pa.array([-1, 0, None, 127], pa.int8()),
        "uint16": pa.array([0, 65535, 7, None], pa.uint16()),
        "uint32": pa.array([1, 2, 3, 4], pa.uint32()),
        "uint64": pa.array([2 ** 64 - 1, 0, 1, None], pa.uint64()),
        "float16": pa.array(np.array([0.5, -1, 2, 3], np.float16)),
        "float64": pa.array([0.1, None, float("inf"), -0.0]),
        "decimal128": pa.array([decimal.Decimal("1.25"), None, decimal.Decimal("-3.50"), decimal.Decimal(0)],
                               pa.decimal128(9, 2)),
        "decimal256": pa.array([decimal.Decimal("12345678901234567890.5"), None, decimal.Decimal(0),
                                decimal.Decimal(1)], pa.decimal256(40, 1)),
        "date32": pa.array([datetime.date(2024, 2, 29), None, datetime.date(1970, 1, 1), datetime.date(1, 1, 1)]),
        "date64": pa.array([0, 86400000, None, -86400000], pa.date64()),
        "time32": pa.array([0, 1000, None, 86399], pa.time32("s")),
        "time64": pa.array([0, 1, None, 86399999999], pa.time64("us")),
        "timestamp": pa.array([0, None, 1, -1], pa.timestamp("ns", tz="Europe/Paris")),
        "duration": pa.array([0, -5, None, 7], pa.duration("ms")),
        "interval": pa.array([pa.MonthDayNano([1, 2, 3]), None, pa.MonthDayNano([0, 0, 0]),
                              pa.MonthDayNano([-1, -2, -3])], pa.month_day_nano_interval()),
        "binary": pa.array([b"", None, b"\x00\x01", b""], pa.binary()),
        "large_binary": pa.array([b"", b"", None, b"x"], pa.large_binary()),
        "large_string": pa.array(["", "", None, ""], pa.large_string()),
        "fixed_size_binary": pa.array([b"ab", None, b"cd", b"ef"], pa.binary(2)),
        "string_view": pa.array(["", "a string longer than twelve bytes", None, "short"], pa.string_view()),
        "binary_view": pa.array([b"", None, b"y" * 20, b"z"], pa.binary_view()),
        "list": pa.array([[1, 2], [], None, [3]], pa.list_(pa.int32())),
        "large_list": pa.array([[], [None], [1, 2, 3], None], pa.large_list(pa.int16())),
        "list_view": pa.array([[1], None, [], [2, 3]], pa.list_view(pa.int32())),
        "large_list_view": pa.array([[], [4, 5], None, [6]], pa.large_list_view(pa.int64())),
        "fixed_size_list": pa.array([[1, 2], None, [3, None], [5, 6]], pa.list_(pa.int8(), 2)),
        "struct": pa.array([{"x": 1, "s": ""}, None, {"x": None, "s": "q"}, {"x": 4, "s": None}], struct_type),
        "map": pa.array([[("a", 1)], [], None, [("b", 2), ("c", None)]], pa.map_(pa.string(), pa.int32())),
        "dense_union": dense,
        "sparse_union": sparse,
        "dictionary": pa.array(["x", "", None, "x"]).dictionary_encode(),
        "run_end_encoded": run_ends,
        "nested": nested,
    }
    return pa.table(columns)


def permuted():
    rows = 2
    physical = np.arange(rows * 3 * 4, dtype=np.int32).reshape(rows, 3, 4)
    cube = np.arange(rows * 2 * 3 * 4, dtype=np.float64).reshape(rows, 2, 3, 4)
    return pa.table({
        # pyarrow's own from_numpy_ndarray of a transposed view: stored [3, 4], permutation [1, 0].
        "transposed": pa.FixedShapeTensorArray.from_numpy_ndarray(physical.transpose(0, 2, 1)),
        # a swap of the last two of three dimensions, with names of the physical dimensions
        "swapped": tensor_column(cube, permutation=[0, 2, 1], dim_names=["C", "H", "W"]),
        # a 3-cycle: logical [3, 4, 2] over physical [2, 3, 4]
        "cycled": tensor_column(cube, permutation=[1, 2, 0]),
    })


def tensor_dtypes():
    rows = 3
    base = np.arange(rows * 4).reshape(rows, 2, 2)
    columns = {}
    for name in ["int8", "uint8", "int16", "int32", "int64", "float16", "float32", "float64"]:
        columns[name] = tensor_column((base - 3).astype(name) if name != "uint8" else base.astype(name))
    columns["bool8"] = tensor_column((base % 3 == 0).astype(np.int8), dtype=pa.bool8())
    return pa.table(columns)


def with_nulls():
    tensors = tensor_column(np.arange(3 * 2, dtype=np.float32).reshape(3, 2))
    storage = tensors.storage
    with_null_row = pa.FixedSizeListArray.from_arrays(storage.values, 2, mask=pa.array([False, True, False]))
    return pa.table({
        "dense": tensor_column(np.arange(3 * 2, dtype=np.float64).reshape(3, 2)),
        "null_row": pa.ExtensionArray.from_storage(tensors.type, with_null_row),
    })


def shapes():
    return pa.table({
        "scalar_rows": tensor_column(np.array([1.5, -2.5, 3.0], np.float32).reshape(3)),
        "one_by_one": tensor_column(np.array([[[7]], [[8]], [[9]]], np.int64)),
    })


def batches(table):
    """Three batches: a slice from row 1 (pyarrow writes a slice's buffers from its offset), an empty one,
    and the rest."""
    batch = table.combine_chunks().to_batches()[0]
    return [batch.slice(1, 2), batch.slice(0, 0), batch.slice(3)]


def expectation(batch_list):
    out = []
    for batch in batch_list:
        entry = {"rows": batch.num_rows, "null_counts": {}, "tensors": {}, "strings": {}}
        for name, column in zip(batch.schema.names, batch.columns):
            entry["null_counts"][name] = column.null_count
            if isinstance(column.type, pa.FixedShapeTensorType):
                t = column.type
                tensor = {"dtype": str(t.value_type), "physical_shape": list(t.shape),
                          "dim_names": t.dim_names, "permutation": t.permutation}
                if column.null_count == 0:
                    tensor.update(as_json_values(column))
                entry["tensors"][name] = tensor
            elif column.type in (pa.string(), pa.large_string()):
                entry["strings"][name] = column.to_pylist()
        out.append(entry)
    return out


def write(out_dir, name, schema, batch_list, expectations, file_too=True):
    for codec in CODECS:
        options = ipc.IpcWriteOptions(compression=codec)
        suffix = "" if codec is None else "_" + codec
        stem = name + suffix
        path = os.path.join(out_dir, stem + ".arrows")
        with ipc.new_stream(path, schema, options=options) as writer:
            for batch in batch_list:
                writer.write_batch(batch)
        expectations[stem + ".arrows"] = expectation(batch_list)
        if file_too:
            path = os.path.join(out_dir, stem + ".arrow")
            with ipc.new_file(path, schema, options=options) as writer:
                for batch in batch_list:
                    writer.write_batch(batch)
            expectations[stem + ".arrow"] = expectation(batch_list)


def dictionary_deltas(out_dir, expectations):
    schema = pa.schema([("tag", pa.dictionary(pa.int32(), pa.string())),
                        ("t", pa.fixed_shape_tensor(pa.int32(), [2]))])
    batch_list = []
    for start, tags in [(0, ["a", "b", "a"]), (3, ["b", "c", ""])]:
        dictionary = pa.array(["a", "b", "c", ""])
        indices = pa.array([["a", "b", "c", ""].index(t) for t in tags], pa.int32())
        tag = pa.DictionaryArray.from_arrays(indices, dictionary.slice(0, 2 if start == 0 else 4))
        batch_list.append(pa.record_batch([tag, tensor_column(np.arange(start * 2, start * 2 + 6,
                                                                          dtype=np.int32).reshape(3, 2))],
                                          schema=schema))
    options = ipc.IpcWriteOptions(emit_dictionary_deltas=True)
    path = os.path.join(out_dir, "dictionary_deltas.arrows")
    with ipc.new_stream(path, schema, options=options) as writer:
        for batch in batch_list:
            writer.write_batch(batch)
    expectations["dictionary_deltas.arrows"] = expectation(batch_list)


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    expectations = {}
    for name, table in [("ids_and_embeddings", ids_and_embeddings()), ("every_type", every_type()),
                        ("permuted", permuted()), ("tensor_dtypes", tensor_dtypes()),
                        ("with_nulls", with_nulls()), ("shapes", shapes())]:
        write(out_dir, name, table.schema, table.combine_chunks().to_batches(), expectations)
    table = ids_and_embeddings()
    write(out_dir, "three_batches", table.schema, batches(table), expectations)
    empty = ids_and_embeddings().slice(0, 0)
    write(out_dir, "no_batches", empty.schema, [], expectations)
    dictionary_deltas(out_dir, expectations)
    with open(os.path.join(out_dir, "expectations.json"), "w") as out:
        json.dump({"pyarrow": pa.__version__, "numpy": np.__version__, "files": expectations}, out, indent=1,
                  sort_keys=True)
    print("pyarrow", pa.__version__, "wrote", len(expectations), "files to", out_dir)


if __name__ == "__main__":
    main(sys.argv[1])
