// The Arrow JS side of ArrowJsInteropTest: an independent Arrow implementation reads the IPC file that
// Java wrote and checks every column against the expectations Java gives (field type, element type,
// extension name and metadata, every value), then writes an IPC file of its own with a
// arrow.fixed_shape_tensor column that Java reads back.
//
// usage: node fixed_shape_tensor_check.mjs <java-written.arrow> <expectations.json> <js-written.arrow>
// Exit status 0 when every check passes; otherwise 1, with the first failure on stderr.
import { readFileSync, writeFileSync } from 'node:fs';
import {
  Field, FixedSizeList, Float32, Float64, Int32, Int64, Precision, RecordBatch, Schema, Struct, Table, Type,
  makeData, tableFromIPC, tableToIPC,
} from 'apache-arrow';

const EXTENSION_NAME = 'ARROW:extension:name';
const EXTENSION_METADATA = 'ARROW:extension:metadata';

const ELEMENT_TYPES = {
  int32: { make: () => new Int32(), array: Int32Array, matches: (t) => t.typeId === Type.Int && t.bitWidth === 32 && t.isSigned },
  int64: { make: () => new Int64(), array: BigInt64Array, matches: (t) => t.typeId === Type.Int && t.bitWidth === 64 && t.isSigned },
  float32: { make: () => new Float32(), array: Float32Array, matches: (t) => t.typeId === Type.Float && t.precision === Precision.SINGLE },
  float64: { make: () => new Float64(), array: Float64Array, matches: (t) => t.typeId === Type.Float && t.precision === Precision.DOUBLE },
};

function fail(message) {
  process.stderr.write(`FAIL: ${message}\n`);
  process.exit(1);
}

function check(condition, message) {
  if (!condition) {
    fail(message);
  }
}

function sameJson(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

function checkColumn(table, expected) {
  const field = table.schema.fields.find((f) => f.name === expected.name);
  check(field, `no column ${expected.name} in ${table.schema.fields.map((f) => f.name)}`);
  check(field.type.typeId === Type.FixedSizeList, `${expected.name}: type is ${field.type}, not a FixedSizeList`);
  check(field.type.listSize === expected.listSize,
    `${expected.name}: list size is ${field.type.listSize}, expected ${expected.listSize}`);
  const element = ELEMENT_TYPES[expected.elementType];
  check(element.matches(field.type.children[0].type),
    `${expected.name}: element type is ${field.type.children[0].type}, expected ${expected.elementType}`);
  check(field.metadata.get(EXTENSION_NAME) === 'arrow.fixed_shape_tensor',
    `${expected.name}: ${EXTENSION_NAME} is ${field.metadata.get(EXTENSION_NAME)}`);
  const metadata = field.metadata.get(EXTENSION_METADATA);
  check(metadata !== undefined, `${expected.name}: no ${EXTENSION_METADATA}`);
  check(sameJson(JSON.parse(metadata), JSON.parse(expected.metadata)),
    `${expected.name}: ${EXTENSION_METADATA} is ${metadata}, expected ${expected.metadata}`);
  const column = table.getChild(expected.name);
  check(column.length === expected.rows, `${expected.name}: ${column.length} rows, expected ${expected.rows}`);
  check(column.nullCount === 0, `${expected.name}: ${column.nullCount} null rows`);
  const elementNulls = column.data.reduce((nulls, data) => nulls + data.children[0].nullCount, 0);
  check(elementNulls === 0, `${expected.name}: ${elementNulls} null elements`);
  for (let row = 0; row < expected.rows; row++) {
    const values = Array.from(column.get(row), Number);
    check(values.length === expected.listSize, `${expected.name}: row ${row} has ${values.length} values`);
    for (let i = 0; i < values.length; i++) {
      const want = expected.values[row * expected.listSize + i];
      check(values[i] === want, `${expected.name}: row ${row} element ${i} is ${values[i]}, expected ${want}`);
    }
  }
  process.stdout.write(`OK: ${expected.name} ${field.type} ${metadata}, ${expected.rows} rows\n`);
}

function writeReply(path, reply) {
  const element = ELEMENT_TYPES[reply.elementType];
  const values = reply.elementType === 'int64'
    ? BigInt64Array.from(reply.values, BigInt)
    : element.array.from(reply.values);
  const type = new FixedSizeList(reply.listSize, new Field('item', element.make(), false));
  const elements = makeData({ type: element.make(), length: values.length, nullCount: 0, data: values });
  const lists = makeData({ type, length: reply.rows, nullCount: 0, child: elements });
  const metadata = new Map([[EXTENSION_NAME, 'arrow.fixed_shape_tensor'], [EXTENSION_METADATA, reply.metadata]]);
  const schema = new Schema([new Field(reply.name, type, false, metadata)]);
  const batch = new RecordBatch(schema,
    makeData({ type: new Struct(schema.fields), length: reply.rows, nullCount: 0, children: [lists] }));
  writeFileSync(path, tableToIPC(new Table([batch]), 'file'));
  process.stdout.write(`WROTE: ${reply.name} ${type} ${reply.metadata}, ${reply.rows} rows\n`);
}

const [javaFile, expectationsFile, replyFile] = process.argv.slice(2);
if (!replyFile) {
  fail('usage: node fixed_shape_tensor_check.mjs <java-written.arrow> <expectations.json> <js-written.arrow>');
}
const expectations = JSON.parse(readFileSync(expectationsFile, 'utf8'));
const table = tableFromIPC(readFileSync(javaFile));
expectations.columns.forEach((expected) => checkColumn(table, expected));
writeReply(replyFile, expectations.reply);
