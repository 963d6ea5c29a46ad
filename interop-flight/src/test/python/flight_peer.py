"""The pyarrow.flight side of interop-flight's cross-checks (PyarrowFlightTest runs it with pyarrow 25.0.1).

  flight_peer.py client URI [--token T | --user U --password P] [--tls-root CERT]
      Against a tensorbridge server that publishes "ramp" (float32 [4, 3, 2], element i = i * 0.5 + 1) and
      "sparse": lists, reads the descriptions, gets "ramp" as a FixedShapeTensorArray and checks it with
      to_numpy_ndarray(), puts "from_python" (float32 [4, 2, 3], element i = i * 2) and reads it back, puts
      and deletes "scratch". Prints one "checked ..." line per check; exits non-zero on a mismatch.
  flight_peer.py server
      A pyarrow.flight server on 127.0.0.1 publishing "from_pyarrow" (float32 [6, 2, 3], element i = i * 0.25)
      and storing what is put. Prints "port N" once listening; stops when its standard input closes.
"""
import json
import sys
import threading

import numpy as np
import pyarrow as pa
import pyarrow.flight as flight


def fail(message):
    print("MISMATCH " + message, flush=True)
    sys.exit(1)


def options_for(client, args):
    if "--token" in args:
        token = args[args.index("--token") + 1]
        return flight.FlightCallOptions(headers=[(b"authorization", b"Bearer " + token.encode())])
    if "--user" in args:
        user = args[args.index("--user") + 1]
        password = args[args.index("--password") + 1]
        header = client.authenticate_basic_token(user, password)
        return flight.FlightCallOptions(headers=[header])
    return flight.FlightCallOptions()


def client_mode(uri, args):
    connect = {}
    if "--tls-root" in args:
        with open(args[args.index("--tls-root") + 1], "rb") as f:
            connect["tls_root_certs"] = f.read()
    client = flight.connect(uri, **connect)
    options = options_for(client, args)

    infos = {"/".join(p.decode() if isinstance(p, bytes) else p for p in info.descriptor.path): info
             for info in client.list_flights(options=options)}
    if "ramp" not in infos or "sparse" not in infos:
        fail("list_flights gave " + str(sorted(infos)))
    ramp = infos["ramp"]
    metadata = ramp.schema.metadata
    if metadata[b"tensorbridge.kind"] != b"dense" or json.loads(metadata[b"tensorbridge.shape"]) != [4, 3, 2] \
            or metadata[b"tensorbridge.dtype"] != b"float32" or ramp.total_records != 4 or ramp.total_bytes != 96:
        fail("ramp is described as " + str(metadata) + ", " + str(ramp.total_records) + " rows, "
             + str(ramp.total_bytes) + " bytes")
    sparse_metadata = infos["sparse"].schema.metadata
    if sparse_metadata[b"tensorbridge.kind"] != b"sparse" \
            or json.loads(sparse_metadata[b"tensorbridge.sparse.dense_shape"]) != [5, 4]:
        fail("sparse is described as " + str(sparse_metadata))
    print("checked list_flights and the descriptions", flush=True)

    expected = (np.arange(24, dtype=np.float32) * 0.5 + 1).reshape(4, 3, 2)
    for how, ticket in (("Ticket(b'ramp')", flight.Ticket(b"ramp")), ("the endpoint's ticket", ramp.endpoints[0].ticket)):
        table = client.do_get(ticket, options=options).read_all()
        column = table.column(0).combine_chunks()
        if not isinstance(column.type, pa.FixedShapeTensorType):
            fail("ramp arrived as " + str(column.type))
        if not np.array_equal(column.to_numpy_ndarray(), expected):
            fail("ramp's values are " + str(column.to_numpy_ndarray()))
        print("checked do_get ramp with " + how, flush=True)

    sparse = client.do_get(flight.Ticket(b"sparse"), options=options).read_all()
    if sparse.column("indices").to_pylist() != [[0, 1], [2, 3], [4, 0]] \
            or sparse.column("values").to_pylist() != [1.5, -2.0, 3.0]:
        fail("sparse arrived as " + str(sparse.to_pylist()))
    print("checked do_get sparse", flush=True)

    sent = (np.arange(24, dtype=np.float32) * 2).reshape(4, 2, 3)
    table = pa.table({"from_python": pa.FixedShapeTensorArray.from_numpy_ndarray(sent)})
    writer, _ = client.do_put(flight.FlightDescriptor.for_path("from_python"), table.schema, options=options)
    writer.write_table(table)
    writer.close()
    back = client.do_get(flight.Ticket(b"from_python"), options=options).read_all().column(0).combine_chunks()
    if not np.array_equal(back.to_numpy_ndarray(), sent):
        fail("from_python came back as " + str(back.to_numpy_ndarray()))
    print("checked do_put from_python and read it back", flush=True)

    writer, _ = client.do_put(flight.FlightDescriptor.for_path("scratch"), table.schema, options=options)
    writer.write_table(table)
    writer.close()
    list(client.do_action(flight.Action("delete", b"scratch"), options=options))
    names = ["/".join(p.decode() if isinstance(p, bytes) else p for p in info.descriptor.path)
             for info in client.list_flights(options=options)]
    if "scratch" in names:
        fail("scratch is still listed after delete: " + str(names))
    print("checked do_action delete", flush=True)
    print("ok", flush=True)


class TensorServer(flight.FlightServerBase):
    def __init__(self):
        super().__init__("grpc://127.0.0.1:0")
        values = (np.arange(36, dtype=np.float32) * 0.25).reshape(6, 2, 3)
        self.tables = {"from_pyarrow": pa.table({"from_pyarrow": pa.FixedShapeTensorArray.from_numpy_ndarray(values)})}
        self.lock = threading.Lock()

    def _info(self, name, table):
        descriptor = flight.FlightDescriptor.for_path(name)
        return flight.FlightInfo(table.schema, descriptor, [flight.FlightEndpoint(name.encode(), [])],
                                 table.num_rows, table.nbytes)

    def list_flights(self, context, criteria):
        with self.lock:
            for name, table in self.tables.items():
                yield self._info(name, table)

    def get_flight_info(self, context, descriptor):
        name = descriptor.path[0].decode()
        with self.lock:
            if name not in self.tables:
                raise flight.FlightServerError("no " + name)
            return self._info(name, self.tables[name])

    def do_get(self, context, ticket):
        with self.lock:
            return flight.RecordBatchStream(self.tables[ticket.ticket.decode()])

    def do_put(self, context, descriptor, reader, writer):
        table = reader.read_all()
        with self.lock:
            self.tables[descriptor.path[0].decode()] = table


def server_mode():
    server = TensorServer()
    print("port " + str(server.port), flush=True)
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    if sys.argv[1] == "client":
        client_mode(sys.argv[2], sys.argv[3:])
    elif sys.argv[1] == "server":
        server_mode()
    else:
        fail("unknown mode " + sys.argv[1])
