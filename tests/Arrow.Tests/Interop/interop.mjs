// The apache-arrow side of the IPC interop tests (tests/Arrow.Tests/Interop/IpcInteropTests.cs).
//
//   node interop.mjs write <dir>   writes <case>.arrow (file) and <case>.arrows (stream) for every case,
//                                  plus <case>.json with the values apache-arrow itself reads back
//   node interop.mjs read <file>   reads an Arrow IPC file or stream and prints its values as JSON
//   node interop.mjs read-all <dir> reads every <name>.here.* and <name>.sliced.* file of <dir> and prints
//                                  one JSON object of their documents by file name (one process for all of them)
//
// Values are rendered from the raw buffers so the comparison is exact and language-neutral: integers,
// timestamps, durations, date32 days and decimal128 unscaled integers as decimal strings, floats as the hex of their IEEE bits ("NaN" for
// any NaN), binary as hex, lists as arrays, structs as objects, dictionary values decoded, null as null.
import { readFileSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
    Binary, Bool, DateDay, Decimal, Dictionary, Duration, Field, Float32, Float64, Int8, Int16, Int32, Int64, LargeUtf8,
    List, RecordBatch, RecordBatchReader, Schema, Struct, Table, Timestamp, TimeUnit, Type, Uint8, Uint16,
    Uint32, Uint64, Utf8, makeData, tableToIPC, vectorFromArray,
} from 'apache-arrow';

const UNIT_NAMES = { [TimeUnit.SECOND]: 's', [TimeUnit.MILLISECOND]: 'ms', [TimeUnit.MICROSECOND]: 'us', [TimeUnit.NANOSECOND]: 'ns' };

/** The canonical type name shared with the C# side (IpcInteropTests.TypeName). */
export function typeName(type) {
    switch (type.typeId) {
        case Type.Int: return `${type.isSigned ? 'int' : 'uint'}${type.bitWidth}`;
        case Type.Float: return type.precision === 2 ? 'float64' : type.precision === 1 ? 'float32' : 'float16';
        case Type.Bool: return 'bool';
        case Type.Utf8: return 'utf8';
        case Type.LargeUtf8: return 'large_utf8';
        case Type.Binary: return 'binary';
        case Type.Date: return type.unit === 0 ? 'date32' : 'date64';
        case Type.Decimal: return `decimal${type.bitWidth}(${type.precision}, ${type.scale})`;
        case Type.Timestamp: return `timestamp[${UNIT_NAMES[type.unit]}${type.timezone ? `, tz=${type.timezone}` : ''}]`;
        case Type.Duration: return `duration[${UNIT_NAMES[type.unit]}]`;
        case Type.List: return `list<${typeName(type.children[0].type)}>`;
        case Type.Struct: return `struct<${type.children.map((f) => `${f.name}: ${typeName(f.type)}`).join(', ')}>`;
        case Type.Dictionary: return `dictionary<values=${typeName(type.dictionary)}, indices=${typeName(type.indices)}>`;
        default: return `unsupported:${type}`;
    }
}

const hex = (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');

function floatBits(value, single) {
    if (Number.isNaN(value)) return 'NaN';
    const view = new DataView(new ArrayBuffer(8));
    if (single) {
        view.setFloat32(0, value, true);
        return view.getUint32(0, true).toString(16).padStart(8, '0');
    }
    view.setFloat64(0, value, true);
    return view.getBigUint64(0, true).toString(16).padStart(16, '0');
}

/** Renders value <index> of one Data chunk (index relative to the chunk, as apache-arrow's accessors use it). */
function render(data, index) {
    if (!data.getValid(index)) return null;
    const type = data.type;
    switch (type.typeId) {
        case Type.Int: case Type.Date: case Type.Timestamp: case Type.Duration:
            return String(data.values[index]);
        case Type.Decimal: {
            // Four little-endian 32-bit words per value, two's complement.
            let unscaled = 0n;
            for (let k = 3; k >= 0; k--) unscaled = (unscaled << 32n) | BigInt(data.values[index * 4 + k]);
            return String(BigInt.asIntN(128, unscaled));
        }
        case Type.Float:
            return floatBits(data.values[index], type.precision === 1);
        case Type.Bool: {
            const bit = data.offset + index;
            return (data.values[bit >> 3] & (1 << (bit % 8))) !== 0;
        }
        case Type.Utf8: case Type.LargeUtf8: case Type.Binary: {
            const begin = Number(data.valueOffsets[index]);
            const end = Number(data.valueOffsets[index + 1]);
            const bytes = data.values.subarray(begin, end);
            return type.typeId === Type.Binary ? hex(bytes) : new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        }
        case Type.List: {
            const child = data.children[0];
            const items = [];
            for (let i = data.valueOffsets[index]; i < data.valueOffsets[index + 1]; i++) items.push(render(child, i));
            return items;
        }
        case Type.Struct: {
            const row = {};
            type.children.forEach((field, k) => { row[field.name] = render(data.children[k], index); });
            return row;
        }
        case Type.Dictionary:
            return renderVector(data.dictionary, Number(data.values[index]));
        default:
            throw new Error(`interop.mjs cannot render ${type}`);
    }
}

function renderVector(vector, index) {
    for (const chunk of vector.data) {
        if (index < chunk.length) return render(chunk, index);
        index -= chunk.length;
    }
    throw new Error(`dictionary index ${index} out of range`);
}

// A stream or file without record batches reads back as one synthetic empty batch; it is not data.
const isPlaceholder = (batch) => batch.constructor.name === '_InternalEmptyPlaceholderRecordBatch';

const metadataObject = (map) => Object.fromEntries([...(map ?? new Map()).entries()].sort());

/** The JSON document both sides compare: schema, then every batch's columns. */
export function describe(schema, batches) {
    return {
        schema: {
            metadata: metadataObject(schema.metadata),
            fields: schema.fields.map((f) => ({ name: f.name, type: typeName(f.type), nullable: f.nullable, metadata: metadataObject(f.metadata) })),
        },
        batches: batches.filter((batch) => !isPlaceholder(batch)).map((batch) => ({
            length: batch.numRows,
            columns: batch.data.children.map((column) => Array.from({ length: batch.numRows }, (_, i) => render(column, i))),
        })),
    };
}

// ---------------------------------------------------------------- building the cases

/** A fixed-width column from values with nulls, built from raw buffers so every bit is what the case says. */
function fixed(type, ArrayType, values) {
    const data = new ArrayType(values.length);
    const bitmap = new Uint8Array(Math.ceil(values.length / 8) || 1);
    let nullCount = 0;
    values.forEach((v, i) => {
        if (v === null) { nullCount++; } else { data[i] = v; bitmap[i >> 3] |= 1 << (i % 8); }
    });
    return makeData({ type, length: values.length, nullCount, nullBitmap: nullCount > 0 ? bitmap : null, data });
}

/** A decimal128 column from unscaled BigInt values (null = null row), as four little-endian 32-bit words each. */
function decimals(type, values) {
    const words = new Uint32Array(values.length * 4);
    const bitmap = new Uint8Array(Math.ceil(values.length / 8) || 1);
    let nullCount = 0;
    values.forEach((v, i) => {
        if (v === null) { nullCount++; return; }
        bitmap[i >> 3] |= 1 << (i % 8);
        let bits = BigInt.asUintN(128, v);
        for (let k = 0; k < 4; k++) { words[i * 4 + k] = Number(bits & 0xffffffffn); bits >>= 32n; }
    });
    return makeData({ type, length: values.length, nullCount, nullBitmap: nullCount > 0 ? bitmap : null, data: words });
}

const fromArray = (type, values) => vectorFromArray(values, type).data[0];

function batchOf(fields, columns) {
    const length = columns.length ? columns[0].length : 0;
    const schema = new Schema(fields);
    return new RecordBatch(schema, makeData({ type: new Struct(fields), length, nullCount: 0, children: columns }));
}

const sliceBatch = (batch, begin, end) => batch.slice(begin, end);

function primitivesCase() {
    const fields = [
        new Field('i8', new Int8(), true), new Field('i16', new Int16(), true), new Field('i32', new Int32(), true),
        new Field('i64', new Int64(), true), new Field('u8', new Uint8(), true), new Field('u16', new Uint16(), true),
        new Field('u32', new Uint32(), true), new Field('u64', new Uint64(), true), new Field('f32', new Float32(), true),
        new Field('f64', new Float64(), true), new Field('flag', new Bool(), true),
    ];
    const make = (n, seed) => {
        const pick = (i, v) => ((i * 7 + seed) % 5 === 0 ? null : v);
        const idx = [...Array(n).keys()];
        return batchOf(fields, [
            fixed(new Int8(), Int8Array, idx.map((i) => pick(i, [-128, 127, 0, -1, 5][i % 5]))),
            fixed(new Int16(), Int16Array, idx.map((i) => pick(i + 1, [-32768, 32767, 0, -1, 300][i % 5]))),
            fixed(new Int32(), Int32Array, idx.map((i) => pick(i + 2, [-2147483648, 2147483647, 0, -1, i * 1000][i % 5]))),
            fixed(new Int64(), BigInt64Array, idx.map((i) => pick(i + 3, [-(2n ** 63n), 2n ** 63n - 1n, 0n, -1n, BigInt(i) * 10n ** 12n][i % 5]))),
            fixed(new Uint8(), Uint8Array, idx.map((i) => pick(i + 4, [0, 255, 1, 128, i % 256][i % 5]))),
            fixed(new Uint16(), Uint16Array, idx.map((i) => pick(i, [0, 65535, 1, 32768, i][i % 5]))),
            fixed(new Uint32(), Uint32Array, idx.map((i) => pick(i + 1, [0, 4294967295, 1, 2147483648, i][i % 5]))),
            fixed(new Uint64(), BigUint64Array, idx.map((i) => pick(i + 2, [0n, 2n ** 64n - 1n, 1n, 2n ** 63n, BigInt(i)][i % 5]))),
            fixed(new Float32(), Float32Array, idx.map((i) => pick(i + 3, [NaN, -0, Infinity, -3.4028234663852886e38, 1.5 + i][i % 5]))),
            fixed(new Float64(), Float64Array, idx.map((i) => pick(i + 4, [NaN, -0, -Infinity, Number.MAX_VALUE, 5e-324 * i][i % 5]))),
            fromArray(new Bool(), idx.map((i) => ((i * 3 + seed) % 4 === 0 ? null : (i % 3 === 0)))),
        ]);
    };
    const big = make(77, 1);
    return [make(20, 0), sliceBatch(big, 3, 70), make(0, 0), make(1, 2)];
}

const WORDS = ['', 'a', 'héllo', '日本語', 'emoji 🎉', 'tab\tand\nnewline', 'quote " and \\ backslash'];

function stringsCase() {
    const fields = [new Field('s', new Utf8(), true), new Field('b', new Binary(), true)];
    const make = (n, seed) => {
        const idx = [...Array(n).keys()];
        return batchOf(fields, [
            fromArray(new Utf8(), idx.map((i) => ((i + seed) % 4 === 3 ? null : WORDS[(i + seed) % WORDS.length]))),
            fromArray(new Binary(), idx.map((i) => ((i + seed) % 3 === 2 ? null : Uint8Array.from({ length: i % 6 }, (_, k) => (k * 37 + i) % 256)))),
        ]);
    };
    return [make(15, 0), sliceBatch(make(40, 1), 5, 33), make(0, 0)];
}

// apache-arrow 21 cannot write a sliced large_utf8 column (it mixes BigInt and number when rebasing offsets),
// so large_utf8 has unsliced batches of its own.
function largeStringsCase() {
    const fields = [new Field('ls', new LargeUtf8(), true)];
    const make = (n, seed) => batchOf(fields, [
        fromArray(new LargeUtf8(), [...Array(n).keys()].map((i) => ((i + seed) % 5 === 1 ? null : WORDS[(i * 2) % WORDS.length] + i))),
    ]);
    return [make(11, 0), make(0, 0), make(6, 2)];
}

function temporalCase() {
    const units = [TimeUnit.SECOND, TimeUnit.MILLISECOND, TimeUnit.MICROSECOND, TimeUnit.NANOSECOND];
    const stamps = units.map((u, k) => new Timestamp(u, [null, 'UTC', 'America/New_York', '+05:30'][k]));
    const durations = units.map((u) => new Duration(u));
    const fields = [
        new Field('day', new DateDay(), true),
        ...stamps.map((t) => new Field(`ts_${UNIT_NAMES[t.unit]}`, t, true)),
        ...durations.map((t) => new Field(`dur_${UNIT_NAMES[t.unit]}`, t, true)),
    ];
    const make = (n, seed) => {
        const idx = [...Array(n).keys()];
        const int64 = (i) => [0n, -1n, 1700000000123456789n, -(2n ** 63n), 2n ** 63n - 1n, BigInt(i) * 86400n][i % 6];
        return batchOf(fields, [
            fixed(new DateDay(), Int32Array, idx.map((i) => ((i + seed) % 4 === 0 ? null : [0, -1, 19700, -719162, 2932896][i % 5]))),
            ...stamps.map((t, k) => fixed(t, BigInt64Array, idx.map((i) => ((i + k + seed) % 3 === 0 ? null : int64(i + k))))),
            ...durations.map((t, k) => fixed(t, BigInt64Array, idx.map((i) => ((i + k + seed) % 4 === 1 ? null : int64(i + 2 * k))))),
        ]);
    };
    return [make(13, 0), make(0, 0), sliceBatch(make(30, 2), 7, 29)];
}

function decimalCase() {
    // Precision 38 at both ends of its range, a System.Decimal-sized one, money, and negative and zero scales.
    const types = [new Decimal(10, 38), new Decimal(28, 38), new Decimal(2, 12), new Decimal(0, 29), new Decimal(-3, 5)];
    const fields = types.map((t, k) => new Field(`d${k}`, t, true));
    const max = (digits) => 10n ** BigInt(digits) - 1n;
    const unscaled = (i, precision) => [0n, 1n, -1n, max(precision), -max(precision), 2n ** 96n - 1n, -(2n ** 96n), BigInt(i) * 12345n, 100n]
        .filter((v) => (v < 0n ? -v : v) <= max(precision))[i % 9 % (precision >= 29 ? 9 : 5)];
    const make = (n, seed) => {
        const idx = [...Array(n).keys()];
        return batchOf(fields, types.map((t, k) => decimals(t, idx.map((i) => ((i + k + seed) % 4 === 0 ? null : unscaled(i + k, t.precision))))));
    };
    return [make(14, 0), make(0, 0), sliceBatch(make(31, 1), 5, 27)];
}

function nestedCase() {
    const intList = new List(new Field('item', new Int32(), true));
    const stringList = new List(new Field('item', new Utf8(), true));
    const point = new Struct([new Field('x', new Float64(), true), new Field('name', new Utf8(), true), new Field('tags', stringList, true)]);
    const nestedList = new List(new Field('item', intList, true));
    const fields = [new Field('ints', intList, true), new Field('strings', stringList, true), new Field('point', point, true), new Field('nested', nestedList, true)];
    const make = (n, seed) => {
        const idx = [...Array(n).keys()];
        const ints = (i) => ((i + seed) % 5 === 4 ? null : Array.from({ length: i % 4 }, (_, k) => (k === 1 ? null : i * 10 + k)));
        return batchOf(fields, [
            fromArray(intList, idx.map(ints)),
            fromArray(stringList, idx.map((i) => ((i + seed) % 6 === 5 ? null : Array.from({ length: (i + 1) % 3 }, (_, k) => (k === 2 ? null : `s${i}.${k}`))))),
            fromArray(point, idx.map((i) => ((i + seed) % 4 === 2 ? null : { x: i % 3 === 0 ? null : i / 4, name: i % 5 === 0 ? null : `p${i}`, tags: i % 2 ? [`t${i}`] : [] }))),
            fromArray(nestedList, idx.map((i) => ((i + seed) % 7 === 6 ? null : Array.from({ length: i % 3 }, (_, k) => ints(i + k))))),
        ]);
    };
    return [make(17, 0), sliceBatch(make(50, 3), 9, 41), make(0, 0)];
}

function dictionaryCase() {
    const dictType = new Dictionary(new Utf8(), new Int32(), 0);
    const smallDictType = new Dictionary(new Utf8(), new Int8(), 1);
    const fields = [new Field('color', dictType, true), new Field('size', smallDictType, true), new Field('n', new Int32(), true)];
    const colors = vectorFromArray(['red', 'green', 'blue', 'ünïcode', ''], new Utf8());
    const sizes = vectorFromArray(['S', null, 'L'], new Utf8());
    const make = (n, seed) => {
        const idx = [...Array(n).keys()];
        const color = fixed(new Int32(), Int32Array, idx.map((i) => ((i + seed) % 6 === 0 ? null : (i * 3 + seed) % 5)));
        const size = fixed(new Int8(), Int8Array, idx.map((i) => ((i + seed) % 5 === 0 ? null : i % 3)));
        return batchOf(fields, [
            makeData({ type: dictType, length: n, nullCount: color.nullCount, nullBitmap: color.nullBitmap, data: color.values, dictionary: colors }),
            makeData({ type: smallDictType, length: n, nullCount: size.nullCount, nullBitmap: size.nullBitmap, data: size.values, dictionary: sizes }),
            fixed(new Int32(), Int32Array, idx.map((i) => i)),
        ]);
    };
    return [make(12, 0), make(25, 1), make(0, 0)];
}

function metadataCase() {
    const field = new Field('value', new Float64(), false, new Map([['unit', 'EUR'], ['note', 'ünïcode ✓']]));
    const schema = new Schema([field], new Map([['producer', 'apache-arrow'], ['empty', '']]));
    const values = fixed(new Float64(), Float64Array, [1.5, 2.5, -0, 1e300]);
    return { schema, batches: [new RecordBatch(schema, makeData({ type: new Struct([field]), length: 4, nullCount: 0, children: [values] }))] };
}

export function cases() {
    const plain = { primitives: primitivesCase(), strings: stringsCase(), large_strings: largeStringsCase(), temporal: temporalCase(), decimal: decimalCase(), nested: nestedCase(), dictionary: dictionaryCase() };
    const result = {};
    for (const [name, batches] of Object.entries(plain)) result[name] = { schema: batches[0].schema, batches };
    result.metadata = metadataCase();
    const emptySchema = new Schema([new Field('only', new Int64(), true), new Field('text', new Utf8(), true)]);
    result.no_batches = { schema: emptySchema, batches: [] };
    return result;
}

function write(dir) {
    mkdirSync(dir, { recursive: true });
    for (const [name, { schema, batches }] of Object.entries(cases())) {
        const table = batches.length ? new Table(batches) : new Table(schema);
        for (const [format, extension] of [['file', 'arrow'], ['stream', 'arrows']]) {
            const bytes = tableToIPC(table, format);
            writeFileSync(join(dir, `${name}.${extension}`), bytes);
            // What apache-arrow itself reads back is the expectation: it pins what the bytes mean.
            const reader = RecordBatchReader.from(bytes).open();
            const readSchema = reader.schema;
            const readBatches = [...reader];
            writeFileSync(join(dir, `${name}.${extension}.json`), JSON.stringify(describe(readSchema, readBatches), null, 1));
        }
    }
}

function readDocument(file) {
    const reader = RecordBatchReader.from(readFileSync(file)).open();
    const schema = reader.schema;
    const batches = [...reader];
    return describe(schema, batches);
}

function read(file) {
    process.stdout.write(JSON.stringify(readDocument(file)));
}

function readAll(dir) {
    const documents = {};
    for (const name of readdirSync(dir).filter((n) => /\.(here|sliced)\.arrows?$/.test(n)).sort()) {
        documents[name] = readDocument(join(dir, name));
    }
    process.stdout.write(JSON.stringify(documents));
}

const [command, argument] = process.argv.slice(2);
if (command === 'write' && argument) {
    write(argument);
} else if (command === 'read' && argument) {
    read(argument);
} else if (command === 'read-all' && argument) {
    readAll(argument);
} else {
    process.stderr.write('usage: node interop.mjs write <dir> | read <file> | read-all <dir>\n');
    process.exit(2);
}
